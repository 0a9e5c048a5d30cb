"""Printed QR labels: every code decodes to its point's URL, from paper and from a poor photo."""

from collections import defaultdict
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from app.extensions import db
from app.labels.batches import Selection, UndrawableText, create_batch
from app.labels.runner import run_batch
from app.labels.fonts import font_path, image_font, missing_glyphs
from app.labels.layout import QR, Rect, layout
from app.labels.content import label_data
from app.labels.models import PrintBatch
from app.labels.qr import qr_matrix
from app.labels.sheets import TEMPLATES, check_fits_a4
from app.orgs.models import OrgUnit
from app.points.levels import RiskLevel
from app.points.models import RiskPoint
from tests.labels_helpers import (
    decode_all, like_a_phone_photo, manifest, pdf_page_sizes_pt, pdf_pages, pdf_texts,
)

A4_PT = (595.28, 841.89)


def print_batch(app, scope_id, template, **selection):
    with app.app_context():
        batch = create_batch(db.session.get(OrgUnit, scope_id), Selection(**selection), template)
        run_batch(batch.id)
        return Path(app.config["QR_BATCH_DIR"]) / batch.folder


@pytest.fixture
def seeded(app, runner):
    assert runner.invoke(args=["demo", "seed", "--history-days", "0"]).exit_code == 0
    with app.app_context():
        return db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "county"))


@pytest.mark.parametrize("template", ["2x4", "3x8", "single"])
def test_every_label_decodes_to_its_point_from_the_pdf(app, seeded, template):
    """Rasterised at 300 and 150 dpi, each page's codes are exactly the manifest's for that page."""
    with app.app_context():
        school = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "演示县第一中学"))
        selection = {"school_id": school.id} if template != "single" else {"school_id": school.id, "risk_level": "red"}
        points = {p.id: p.token for p in db.session.scalars(select(RiskPoint).where(RiskPoint.school_id == school.id))}
    folder = print_batch(app, seeded, template, **selection)
    rows = manifest(folder)
    assert rows and all(row["url"] == f"https://huxiao.example.cn/p/{points[int(row['point_id'])]}" for row in rows)
    by_page = defaultdict(list)
    for row in rows:
        by_page[int(row["page"])].append(row["url"])
    for dpi in (300, 150):
        pages = pdf_pages(folder / "labels.pdf", dpi)
        assert len(pages) == len(by_page)
        for number, page in enumerate(pages, start=1):
            assert sorted(decode_all(page)) == sorted(by_page[number]), (template, dpi, number)
    for size in pdf_page_sizes_pt(folder / "labels.pdf"):
        assert size == pytest.approx(A4_PT, abs=0.1)


def test_label_pngs_decode_even_from_a_poor_phone_photo(app, world):
    folder = print_batch(app, world.county_id, "2x4")
    for row in manifest(folder):
        image = Image.open(folder / row["label_file"])
        assert image.size == (round(95 / 25.4 * 300), round(66 / 25.4 * 300))  # 95 x 66 mm at 300 dpi
        assert decode_all(image) == [row["url"]]
        assert decode_all(like_a_phone_photo(image)) == [row["url"]], row["point_name"]


def test_small_stickers_decode_from_a_poor_phone_photo(app, world):
    folder = print_batch(app, world.county_id, "3x8")
    for row in manifest(folder):
        photo = like_a_phone_photo(Image.open(folder / row["label_file"]))
        assert decode_all(photo) == [row["url"]]


def test_pdf_text_names_points_and_levels_in_chinese(app, world):
    folder = print_batch(app, world.county_id, "2x4")
    text = "".join(pdf_texts(folder / "labels.pdf"))
    for expected in ("教学楼灭火器", "南侧河道", "宿舍疏散通道", "一般风险", "重大风险", "甲小学", "乙中学",
                     "微信或手机相机扫码巡检", "巡检频次"):
        assert expected in text
    for row in manifest(folder):
        assert row["short_code"] in text


def test_font_is_embedded_as_a_subset(app, world):
    folder = print_batch(app, world.county_id, "2x4")
    raw = (folder / "labels.pdf").read_bytes()
    assert b"/FontFile2" in raw  # the TrueType program travels inside the PDF
    assert len(raw) < 400_000  # a subset, not the 10 MB font


def test_every_chinese_glyph_is_drawn_not_a_box(app, world):
    with app.app_context():
        points = db.session.scalars(select(RiskPoint)).all()
        path = font_path()
        base = "https://huxiao.example.cn"
        texts = "".join(
            d.school + d.name + d.location + d.category + d.responsible + d.frequency + d.level.name_zh
            for d in (label_data(p, base) for p in points)
        ) + "微信或手机相机扫码巡检编码位置类别责任人巡检频次"
        assert missing_glyphs(path, texts) == set()
        font = image_font(path, 48)

        def drawn(ch):
            image = Image.new("L", (64, 64), 0)
            ImageDraw.Draw(image).text((4, 4), ch, font=font, fill=255)
            return image.tobytes()

        box = drawn("\U0002A6D6")  # a rare CJK Extension B character the font lacks: drawn as a box
        assert missing_glyphs(path, "\U0002A6D6") == {"\U0002A6D6"}
        for ch in set(texts) - {" "}:
            assert drawn(ch) != box, ch


def test_a_label_the_font_cannot_print_refuses_the_batch_at_once(app, world):
    with app.app_context():
        point = db.session.get(RiskPoint, world.fire_a.id)
        point.name = "\U0002A6D6字灭火器"
        db.session.commit()
        with pytest.raises(UndrawableText, match="no glyph") as refused:
            create_batch(db.session.get(OrgUnit, world.county_id), Selection(), "2x4")
        assert refused.value.missing == {world.fire_a.id: "\U0002A6D6"}
        db.session.rollback()
        assert db.session.scalar(select(PrintBatch.id)) is None
        assert not Path(app.config["QR_BATCH_DIR"]).exists() or not any(Path(app.config["QR_BATCH_DIR"]).iterdir())


def test_batch_is_recorded_with_token_versions(app, world):
    folder = print_batch(app, world.county_id, "2x4")
    with app.app_context():
        batch = db.session.scalar(select(PrintBatch))
        assert batch.folder == folder.name and batch.status == "done" and batch.done == batch.total == 3
        assert [(i.point_id, i.token, i.token_version) for i in batch.items] == [
            (world.fire_a.id, world.fire_a.token, 1), (world.water_a.id, world.water_a.token, 1),
            (world.dorm_b.id, world.dorm_b.token, 1),
        ]
    assert folder.name.endswith("-county%d-1" % world.county_id)
    assert [int(r["point_id"]) for r in manifest(folder)] == [world.fire_a.id, world.water_a.id, world.dorm_b.id]


def test_templates_are_mm_exact_on_a4_with_a_big_enough_code(app):
    for template in TEMPLATES.values():
        check_fits_a4(template)
    with app.app_context():
        level = RiskLevel("red", "重大风险", "Major risk", "#D7191C", "每日巡检")
        from app.labels.layout import LabelData
        data = LabelData("甲小学", "教学楼灭火器", "一楼", "消防", "王建国", "每日巡检", level,
                         "https://huxiao.example.cn/p/" + "x" * 22, "ABCD-EFGH")
        for key, minimum in (("2x4", 25), ("single", 80), ("3x8", 22)):
            template = TEMPLATES[key]
            ops = layout(data, template, font_path(), qr_matrix(data.url))
            qr = next(op for op in ops if isinstance(op, QR))
            modules = len(qr.matrix) + 8
            assert qr.size * len(qr.matrix) / modules >= minimum, key  # the symbol itself, quiet zone aside
            for op in ops:  # nothing leaves the label
                if isinstance(op, (Rect, QR)):
                    w, h = (op.w, op.h) if isinstance(op, Rect) else (op.size, op.size)
                    assert op.x >= 0 and op.y >= 0
                    assert op.x + w <= template.label_mm[0] + 1e-6 and op.y + h <= template.label_mm[1] + 1e-6


def test_levels_and_colours_come_from_configuration(app, world):
    three = (RiskLevel("red", "高风险", "High", "#C00000", "每日巡检"),
             RiskLevel("yellow", "中风险", "Medium", "#FFD000", "每周巡检"),
             RiskLevel("blue", "低风险", "Low", "#0050A0", "每月巡检"))
    app.config["RISK_LEVELS"] = three
    try:
        folder = print_batch(app, world.county_id, "2x4")
    finally:
        app.config["RISK_LEVELS"] = None
    text = "".join(pdf_texts(folder / "labels.pdf"))
    assert "高风险" in text and "每日巡检" in text and "重大风险" not in text
    red_label = Image.open(folder / manifest(folder)[1]["label_file"]).convert("RGB")  # 南侧河道, red
    assert red_label.getpixel((5, 5)) == (0xC0, 0x00, 0x00)


def test_both_encoders_give_codes_of_the_same_meaning(app):
    url = "https://huxiao.example.cn/p/_hkAPcZcE7qHQAR7lLVtOg"
    with app.app_context():
        for encoder in ("zxing", "qrcode"):
            matrix = qr_matrix(url, encoder)
            n = len(matrix)
            image = Image.frombytes("L", (n, n), b"".join(matrix).translate(bytes([255, 0] + [0] * 254)))
            framed = Image.new("L", (n + 8, n + 8), 255)
            framed.paste(image, (4, 4))
            results = __import__("zxingcpp").read_barcodes(framed.resize((8 * (n + 8),) * 2, Image.NEAREST))
            assert [(r.text, r.ec_level) for r in results] == [(url, "Q")], encoder
