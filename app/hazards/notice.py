"""The rectification notice (隐患整改通知书) of one hazard: an A4 page to print, sign and stamp."""

import io
from datetime import datetime, tzinfo

from flask import current_app
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from app.db_types import utcnow
from app.hazards.ledger import SOURCE_NAMES, local_text, place_text, reporter_text
from app.hazards.models import Hazard
from app.hazards.pdf_blocks import (
    BLANK_DATE, FULL, LABEL_W, PAIR, WIDTH, BoldTitle, LevelMark, Styles, blank, chinese_date, grid, para, section,
    texts,
)
from app.hazards.services import photo_rows
from app.labels.fonts import font_path, pdf_font
from app.photos.services import photo_path
from app.points.levels import category_name, level, level_name
from app.timezones import school_zone

FOUND_ACTIONS = ("report", "found_again", "merged")  # the photos of the hazard as found
MAX_PHOTOS = 4
PHOTO_EDGE_PX = 1000  # about 300 dpi at the size printed; keeps the PDF small
INTRO = "经排查，你单位存在下列安全隐患。请按以下要求落实整改，整改完成后及时报请验收。"


def _photos(hazard: Hazard) -> list:
    """Up to four photos of the hazard as found, scaled to fit side by side, their aspect kept."""
    ids = list(dict.fromkeys(hazard.photo_ids(*FOUND_ACTIONS)))[:MAX_PHOTOS]
    found = {p.id: p for p in photo_rows(ids)}
    images = []
    for pid in ids:
        try:
            with PILImage.open(photo_path(found[pid])) as image:
                image = image.convert("RGB")
                image.thumbnail((PHOTO_EDGE_PX, PHOTO_EDGE_PX))
                buf = io.BytesIO()
                image.save(buf, "JPEG", quality=82)
                images.append((buf, image.width, image.height))
        except (KeyError, OSError) as exc:  # a lost file must not stop the notice from printing
            current_app.logger.warning("hazard %s: photo %s left off the notice (%s)", hazard.id, pid, exc)
    if not images:
        return []
    gap = 2 * mm
    box_w = (WIDTH - LABEL_W - 8 - gap * (len(images) - 1)) / len(images)
    box_h = 40 * mm if len(images) <= 2 else 32 * mm
    cells = []
    for buf, w, h in images:
        scale = min(box_w / w, box_h / h)
        buf.seek(0)
        cells.append(Image(buf, width=w * scale, height=h * scale))
    row = Table([cells], colWidths=[box_w + (gap if i < len(cells) - 1 else 0) for i in range(len(cells))])
    row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                             ("ALIGN", (0, 0), (-1, -1), "LEFT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [row]


def _found(hazard: Hazard, styles: Styles, zone: tzinfo, font: str) -> list:
    s, lab = styles.text, styles.label
    found = level(hazard.risk_level)
    pairs = grid([
        [para("类别", lab), para(category_name(hazard.category), s),
         para("风险等级", lab), LevelMark(level_name(hazard.risk_level), found.colour if found else None, font)],
        [para("发现时间", lab), para(local_text(hazard.reported_at, zone), s),
         para("发现人", lab), para(reporter_text(hazard), s)],
        [para("来源", lab), para(SOURCE_NAMES.get(hazard.source, str(hazard.source)), s),
         para("承办单位", lab), para(hazard.holder.name, s)],
    ], PAIR, (0, 2))
    full = [[para("学校", lab), para(hazard.school.name, s)], [para("位置", lab), para(place_text(hazard), s)]]
    story = [grid(full, FULL, (0,)), pairs, texts([("隐患描述", hazard.description, 9 * mm)], styles)]
    photos = _photos(hazard)
    if photos:
        story.append(grid([[para("隐患照片", lab), photos[0]]], FULL, (0,)))
    return story


def _requirements(hazard: Hazard, styles: Styles, zone: tzinfo) -> list:
    """整改要求: blank boxes to fill in by hand while the hazard is not assigned."""
    s, lab = styles.text, styles.label
    assigned = hazard.rectifier is not None
    funds = ((f"{hazard.funds_yuan:,.2f} 元" if hazard.funds_yuan is not None else "—") if assigned else "")
    pairs = grid([
        [para("整改责任人", lab), para(hazard.rectifier.display_name if assigned else "", s),
         para("整改时限", lab), para(chinese_date(hazard.deadline if assigned else None, zone, with_time=True), s)],
        [para("资金", lab), para(funds, s),
         para("下发人", lab), para(hazard.assigned_by.display_name if assigned and hazard.assigned_by else "", s)],
    ], PAIR, (0, 2), heights=None if assigned else [8 * mm, 8 * mm])  # room to write in, when blank
    return [pairs, texts([("责任", hazard.responsibility if assigned else "", 8 * mm),
                           ("整改措施", hazard.measures if assigned else "", 12 * mm)], styles)]


def _signatures(styles: Styles) -> list:
    s, lab = styles.text, styles.label
    date = para(BLANK_DATE, s)
    signed = grid([
        [para("整改责任人签字", lab), "", para("学校负责人签字（盖章）", lab), ""],
        [para("日期", lab), date, para("日期", lab), date],
    ], PAIR, (0, 2), heights=[13 * mm, 8 * mm])
    signer = para(f"验收人签字：{blank(9)}日期：{BLANK_DATE}", styles.right)
    done = para(f"整改责任人签字：{blank(9)}日期：{BLANK_DATE}", styles.right)
    boxes = Table([[para("整改完成情况", lab), ""], ["", done], [para("验收意见", lab), ""], ["", signer]],
                  colWidths=FULL, rowHeights=[20 * mm, 7 * mm, 20 * mm, 7 * mm])
    boxes.setStyle(TableStyle([
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (0, 2), (0, 3)),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, 1), 0.6, colors.black),
        ("LINEAFTER", (0, 0), (0, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return [KeepTogether([signed, section("三、整改完成情况及验收意见", styles), boxes])]


def notice_pdf(hazard: Hazard, now: datetime | None = None) -> bytes:
    """The hazard's rectification notice as an A4 PDF, with the CJK font's subset embedded."""
    font = pdf_font(font_path())
    zone = school_zone()
    styles = Styles(font)
    printed = local_text(now or utcnow(), zone)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=13 * mm,
                            bottomMargin=15 * mm, title=f"隐患整改通知书 {hazard.number}", author="Huxiao 护校")
    issued = chinese_date(hazard.assigned_at if hazard.rectifier is not None else None, zone)
    heading = Table([[para(f"编号：{hazard.number}", styles.small), para(f"下发日期：{issued}", styles.right)]],
                    colWidths=[WIDTH / 2] * 2,
                    style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    story = [
        BoldTitle("隐患整改通知书", font, 22, "挂牌督办" if hazard.supervised else None),
        Spacer(0, 2 * mm), heading, Spacer(0, 2 * mm),
        para(f"{hazard.school.name}：", styles.text), para(INTRO, styles.intro), Spacer(0, 1.5 * mm),
        section("一、隐患情况", styles), *_found(hazard, styles, zone, font),
        section("二、整改要求", styles), *_requirements(hazard, styles, zone), *_signatures(styles),
    ]

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
        canvas.drawString(18 * mm, 9 * mm, f"{hazard.number}　打印于 {printed}　护校 Huxiao")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
