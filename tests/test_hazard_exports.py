"""Hazards on paper: the rectification notice, the ledger (XLSX and CSV), and a school's 随手拍 poster."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import quote

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.extensions import db
from app.hazards.ledger import COLUMNS, overdue_days
from app.hazards.models import Hazard, State
from app.hazards.pdf_blocks import wrap_lines
from tests.hazard_helpers import done, photo, picture, report
from tests.labels_helpers import decode_all, pdf_page_sizes_pt, pdf_pages, pdf_texts

HEADERS = [header for header, _ in COLUMNS]
A4_PT = (595.28, 841.89)
MM = 72 / 25.4
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _set(app, hazard_id: int, **values) -> None:
    """Change a hazard behind the API's back: deadlines in the past cannot be given over HTTP."""
    with app.app_context():
        db.session.execute(sa.update(Hazard).where(Hazard.id == hazard_id).values(**values))
        db.session.commit()


def _get(app, hazard_id: int, field: str):
    with app.app_context():
        return getattr(db.session.get(Hazard, hazard_id), field)


def _public_hazard(app, world, login) -> dict:
    """A parent's 随手拍 report, accepted by the school's safety officer."""
    safety = login("safety")
    token = safety.get(f"/api/schools/{world.school_a_id}/snap-code").json["token"]
    buf = io.BytesIO()
    picture(77).save(buf, "JPEG")
    buf.seek(0)
    sent = app.test_client().post(f"/api/public/snap/{token}", data={
        "description": "校门口减速带坏了", "photos": [(buf, "snap.jpg")]})
    assert sent.status_code == 201, sent.json
    accepted = safety.post(f"/api/public-reports/{sent.json['id']}/accept",
                           json={"place": "校门口", "category": "gate", "urgency": "normal"})
    assert accepted.status_code == 200, accepted.json
    return safety.get(f"/api/hazards/{accepted.json['hazard_id']}").json


@pytest.fixture
def hazards(app, world, login):
    """School A's hazards: assigned, closed (late, after one rejection), supervised, public, overdue."""
    teacher, safety, principal = login("teacher"), login("safety"), login("principal")
    teacher_id = world.user_ids["teacher"]
    assigned = report(teacher, point_id=world.fire_a.id, place="", category=None, urgency=None,
                      description="灭火器压力不足，指针在红区")
    done(safety, assigned["id"], "assign", rectifier_id=teacher_id, responsibility="总务处",
         measures="更换灭火器并张贴月检卡", funds_yuan="1200.50", deadline="2030-01-01T10:00:00Z")
    closed = report(teacher, place="操场西侧", category="playground", description="篮球架底座螺栓缺失")
    done(safety, closed["id"], "assign", rectifier_id=teacher_id, measures="补齐螺栓")
    done(teacher, closed["id"], "rectify", note="已补齐", photo_ids=[photo(teacher)])
    done(principal, closed["id"], "reject", note="仍有一颗松动")
    done(teacher, closed["id"], "rectify", note="已紧固", photo_ids=[photo(teacher)])
    done(principal, closed["id"], "verify", note="复查合格")
    # the work was reported done 30 hours after its deadline: two days late, a part of a day counting as one
    _set(app, closed["id"], deadline=_get(app, closed["id"], "rectified_at") - timedelta(hours=30))
    supervised = report(teacher, place="南侧河道", category="water", urgency="urgent", description="护栏缺失约30米")
    done(login("county"), supervised["id"], "supervise", note="临水重大隐患，县局挂牌督办")
    public = _public_hazard(app, world, login)
    overdue = report(teacher, place="食堂后厨", category="canteen", description="排水沟盖板破损")
    done(safety, overdue["id"], "assign", rectifier_id=teacher_id)
    _set(app, overdue["id"], deadline=datetime.now(timezone.utc) - timedelta(days=2, hours=1))
    return SimpleNamespace(**{name: safety.get(f"/api/hazards/{h['id']}").json for name, h in (
        ("assigned", assigned), ("closed", closed), ("supervised", supervised), ("public", public),
        ("overdue", overdue))})


def _pdf(tmp_path, response, name: str = "out.pdf"):
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    path = tmp_path / name
    path.write_bytes(response.data)
    return path


def _text(path) -> str:
    """The PDF's text without whitespace (lines wrap wherever the page needs) or page footers."""
    text = "".join("".join(pdf_texts(path)).split())
    return re.sub(r"YH\d{8}-\d{5}打印于[\d:-]+护校Huxiao第\d+页", "", text)


def _images(path) -> list[tuple[float, float, float, float]]:
    """The bounds (left, bottom, right, top) of the images on page 1, left to right."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return sorted(obj.get_bounds() for obj in pdf[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    finally:
        pdf.close()


# -- the rectification notice ------------------------------------------------------------------------------


def test_the_notice_says_what_to_do_by_when_and_where_to_sign(hazards, login, tmp_path):
    hazard = hazards.assigned
    response = login("teacher").get(f"/api/hazards/{hazard['id']}/notice.pdf")
    path = _pdf(tmp_path, response)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('整改通知书-' + hazard['number'] + '.pdf')}" in disposition
    assert [tuple(round(v, 2) for v in size) for size in pdf_page_sizes_pt(path)] == [A4_PT]
    text = _text(path)
    for expected in ["隐患整改通知书", hazard["number"], "学校甲小学", "灭火器压力不足，指针在红区",
                     "教学楼灭火器（教学楼1层）", "类别消防", "风险等级一般风险", "发现人teacher", "来源教职工上报",
                     "整改责任人teacher", "责任总务处", "整改措施更换灭火器并张贴月检卡", "资金1,200.50元",
                     "整改时限2030年1月1日18:00",  # 10:00 UTC, printed in Asia/Shanghai
                     "下发人safety", "整改责任人签字", "学校负责人签字（盖章）", "日期", "整改完成情况", "验收意见",
                     "验收人签字"]:
        assert expected in text, expected
    assert "挂牌督办" not in text
    assert len(_images(path)) == 1  # the photo of the hazard as found


def test_the_notice_shows_up_to_four_photos_as_found_with_their_shape(world, login, tmp_path):
    teacher = login("teacher")
    sizes = [(160, 120), (90, 160), (120, 120), (200, 100), (64, 48)]
    hazard = report(teacher, photo_ids=[photo(teacher, size=size) for size in sizes])
    path = _pdf(tmp_path, login("safety").get(f"/api/hazards/{hazard['id']}/notice.pdf"))
    images = _images(path)
    assert len(images) == 4 and len(pdf_page_sizes_pt(path)) == 1
    for (width, height), (left, bottom, right, top) in zip(sizes, images):
        assert (right - left) / (top - bottom) == pytest.approx(width / height, rel=0.02)
        assert top - bottom <= 33 * MM  # four side by side are scaled to fit one row


def test_a_long_description_wraps_and_never_leaves_the_page(world, login, tmp_path):
    teacher = login("teacher")
    description = ("围墙东段约二十米出现贯通裂缝，雨后渗水严重，墙体向外倾斜。" * 12 + "\n"
                   + "URL:https://example.cn/" + "a" * 300 + "\n" + "学生放学时常在墙下停留。" * 40)[:2000]
    hazard = report(teacher, description=description, place="围墙", category="fence")
    done(login("safety"), hazard["id"], "assign", rectifier_id=world.user_ids["teacher"],
         measures="拆除重砌，设置警戒线。" * 180, responsibility="总务处")
    path = _pdf(tmp_path, login("safety").get(f"/api/hazards/{hazard['id']}/notice.pdf"))
    assert "".join(description.split()) in _text(path)
    assert "拆除重砌，设置警戒线。" * 150 in _text(path)
    pdf = pdfium.PdfDocument(str(path))
    try:
        assert len(pdf) >= 2
        for page in pdf:
            width, height = page.get_size()
            assert (round(width, 2), round(height, 2)) == A4_PT
            chars = page.get_textpage()
            for i in range(chars.count_chars()):
                left, bottom, right, top = chars.get_charbox(i)
                if right > left:  # a drawn character, not a line break
                    assert 17 * MM <= left and right <= width - 17 * MM, (i, left, right)
                    assert 8 * MM <= bottom and top <= height - 12 * MM, (i, bottom, top)
    finally:
        pdf.close()


def test_lines_break_between_any_characters_and_punctuation_never_starts_one(app):
    with app.app_context():
        from app.labels.fonts import font_path, pdf_font

        font = pdf_font(font_path())
        lines = wrap_lines("一二三四五，六七\n" + "a" * 30, font, 10, 40)  # 10 pt: four CJK characters a line
        widths = [stringWidth(line, font, 10) for line in lines]
    assert lines[:2] == ["一二三四", "五，六七"]  # "，" takes "五" down with it
    assert "".join(lines[2:]) == "a" * 30 and len(lines) > 3 and max(widths) <= 40


def test_a_notice_before_assignment_leaves_the_assignment_to_fill_in(hazards, login, tmp_path):
    path = _pdf(tmp_path, login("safety").get(f"/api/hazards/{hazards.public['id']}/notice.pdf"))
    assert len(pdf_page_sizes_pt(path)) == 1  # blank boxes and all, it fits one page
    text = _text(path)
    for expected in ["隐患整改通知书", "校门口减速带坏了", "位置校门口", "发现人随手拍（群众上报）", "来源随手拍",
                     "整改责任人整改时限年月日时", "资金下发人", "责任整改措施", "下发日期：年月日"]:
        assert expected in text, expected
    assert "—" not in text and "挂牌督办" not in text


def test_a_supervised_hazard_is_marked_on_its_notice(hazards, login, tmp_path):
    text = _text(_pdf(tmp_path, login("county").get(f"/api/hazards/{hazards.supervised['id']}/notice.pdf")))
    assert "挂牌督办" in text and "重大风险" in text


@pytest.mark.parametrize("who,status", [("teacher", 200), ("patroller", 200), ("township", 200), ("county", 200),
                                        ("patroller_b", 404)])
def test_the_notice_is_for_those_whose_area_includes_the_hazard(world, login, who, status):
    hazard = report(login("teacher"))
    assert login(who).get(f"/api/hazards/{hazard['id']}/notice.pdf").status_code == status


def test_an_unknown_hazard_has_no_notice(world, login):
    assert login("county").get("/api/hazards/999999/notice.pdf").status_code == 404


# -- the ledger ----------------------------------------------------------------------------------------------


def _sheet(response):
    assert response.status_code == 200, response.json
    assert response.mimetype == XLSX
    return load_workbook(io.BytesIO(response.data)).active


def _rows(sheet) -> dict[str, dict]:
    return {row[0]: dict(zip(HEADERS, row)) for row in sheet.iter_rows(min_row=4, values_only=True)}


def test_the_ledger_has_a_row_per_hazard_as_an_inspector_reads_it(hazards, login):
    response = login("safety").get("/api/hazards/ledger")
    assert "filename*=UTF-8''" + quote("隐患整改工作台账-甲小学-") in response.headers["Content-Disposition"]
    sheet = _sheet(response)
    assert sheet["A1"].value == "隐患整改工作台账"
    assert "单位：甲小学" in sheet["A2"].value and "发现时间：全部" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == HEADERS
    assert sheet.freeze_panes == "B4"
    rows = _rows(sheet)
    h = hazards
    assert list(rows) == sorted(rows, key=lambda number: int(number.split("-")[1]))  # oldest first
    assert set(rows) == {h.assigned["number"], h.closed["number"], h.supervised["number"], h.public["number"],
                         h.overdue["number"]}
    assigned = rows[h.assigned["number"]]
    assert {k: assigned[k] for k in ("学校", "乡镇", "发现人", "来源", "位置", "类别", "风险等级", "隐患描述", "整改责任人",
                                     "责任", "整改措施", "资金（元）", "整改时限", "整改完成时间", "验收人", "逾期天数",
                                     "退回次数", "挂牌督办", "当前状态", "承办单位")} == {
        "学校": "甲小学", "乡镇": "一镇", "发现人": "teacher", "来源": "教职工上报", "位置": "教学楼灭火器（教学楼1层）",
        "类别": "消防", "风险等级": "一般风险", "隐患描述": "灭火器压力不足，指针在红区", "整改责任人": "teacher",
        "责任": "总务处", "整改措施": "更换灭火器并张贴月检卡", "资金（元）": 1200.5, "整改时限": "2030-01-01 18:00",
        "整改完成时间": None, "验收人": None, "逾期天数": 0, "退回次数": 0, "挂牌督办": "否", "当前状态": "整改中",
        "承办单位": "甲小学"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", assigned["发现时间"])
    closed = rows[h.closed["number"]]
    assert (closed["当前状态"], closed["验收人"], closed["退回次数"], closed["逾期天数"]) == ("已销号", "principal", 1, 2)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", closed["整改完成时间"]) and closed["验收时间"]
    assert (rows[h.supervised["number"]]["挂牌督办"], rows[h.supervised["number"]]["当前状态"]) == ("是", "待交办")
    assert rows[h.supervised["number"]]["风险等级"] == "重大风险"
    public = rows[h.public["number"]]
    assert (public["发现人"], public["来源"], public["位置"]) == ("随手拍（群众上报）", "随手拍", "校门口")
    overdue = rows[h.overdue["number"]]
    assert (overdue["当前状态"], overdue["逾期天数"]) == ("整改中", 3)  # 2 days and 1 hour late


def test_the_csv_is_the_same_table_for_excel(hazards, login):
    safety = login("safety")
    response = safety.get("/api/hazards/ledger?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese as UTF-8 only with a BOM
    assert response.headers["Content-Disposition"].split("filename*=UTF-8''")[1].endswith(".csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    in_sheet = {number: [("" if v is None else str(v)) for v in row.values()]
                for number, row in _rows(_sheet(safety.get("/api/hazards/ledger"))).items()}
    assert len(rows) == 1 + len(in_sheet)
    for row in rows[1:]:
        funds = HEADERS.index("资金（元）")
        assert row[:funds] + row[funds + 1:] == in_sheet[row[0]][:funds] + in_sheet[row[0]][funds + 1:]
    assigned = next(row for row in rows if row[0] == hazards.assigned["number"])
    assert assigned[HEADERS.index("资金（元）")] == "1200.50"


def test_only_managers_get_the_ledger_and_only_as_xlsx_or_csv(world, login):
    assert login("teacher").get("/api/hazards/ledger").status_code == 403
    assert login("patroller").get("/api/hazards/ledger?format=csv").status_code == 403
    refused = login("safety").get("/api/hazards/ledger?format=pdf")
    assert refused.status_code == 422 and "format" in str(refused.json["errors"])


def test_the_ledger_keeps_to_the_callers_area_and_filters(hazards, world, login):
    report(login("patroller_b"), place="宿舍楼", category="dormitory", description="宿舍疏散指示灯不亮")
    schools = lambda client, **q: {r["学校"] for r in _rows(_sheet(client.get(  # noqa: E731
        "/api/hazards/ledger", query_string=q))).values()}
    assert schools(login("county")) == {"甲小学", "乙中学"}
    assert schools(login("township")) == {"甲小学"}
    assert schools(login("county"), school_id=world.school_b_id) == {"乙中学"}
    assert login("safety").get(f"/api/hazards/ledger?school_id={world.school_b_id}").status_code == 404
    closed = _rows(_sheet(login("county").get("/api/hazards/ledger?state=closed")))
    assert list(closed) == [hazards.closed["number"]]
    response = login("county").get("/api/hazards/ledger", query_string={
        "reported_from": "2020-01-01T00:00:00+08:00", "reported_to": "2020-02-01T00:00:00+08:00"})
    sheet = _sheet(response)
    assert "发现时间：2020年1月1日至2020年1月31日" in sheet["A2"].value and "共 0 条" in sheet["A2"].value
    assert _rows(sheet) == {}
    assert quote("隐患整改工作台账-测试县-20200101-20200131.xlsx") in response.headers["Content-Disposition"]
    assert 'filename="hazard-ledger-20200101-20200131.xlsx"' in response.headers["Content-Disposition"]


def test_the_ledger_loads_its_hazards_in_one_query(app, world, login):
    county = login("county")
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert county.get("/api/hazards/ledger").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    teacher = login("teacher")
    first = report(teacher)
    done(login("safety"), first["id"], "assign", rectifier_id=world.user_ids["teacher"])
    one = queries()
    for place in ("东门", "西门", "食堂"):
        hazard = report(teacher, place=place)
        done(login("principal"), hazard["id"], "assign", rectifier_id=world.user_ids["leader"])
    report(login("patroller_b"), place="宿舍楼", category="dormitory")
    assert queries() == one


@pytest.mark.parametrize("state,deadline,rectified,closed,now,days", [
    (State.ASSIGNED, "2026-11-24T10:00", None, None, "2026-11-24T09:00", 0),
    (State.ASSIGNED, "2026-11-24T10:00", None, None, "2026-11-24T10:01", 1),
    (State.ASSIGNED, "2026-11-24T10:00", None, None, "2026-11-26T10:00", 2),
    (State.RECTIFIED, "2026-11-24T10:00", "2026-11-25T09:00", None, "2026-12-30T00:00", 1),
    (State.CLOSED, "2026-11-24T10:00", "2026-11-24T08:00", "2026-12-01T00:00", "2026-12-30T00:00", 0),
    (State.CLOSED, "2026-11-24T10:00", "2026-11-27T11:00", "2026-12-01T00:00", "2026-12-30T00:00", 4),
    (State.VOIDED, "2026-11-24T10:00", None, None, "2026-12-30T00:00", 0),
    (State.REPORTED, None, None, None, "2026-12-30T00:00", 0),
])
def test_overdue_days_stop_when_the_work_is_reported_done(state, deadline, rectified, closed, now, days):
    at = lambda text: text and datetime.fromisoformat(text + "+00:00")  # noqa: E731
    hazard = SimpleNamespace(state=state, deadline=at(deadline), rectified_at=at(rectified), closed_at=at(closed))
    assert overdue_days(hazard, at(now)) == days


# -- the 随手拍 poster -----------------------------------------------------------------------------------------


def test_the_poster_carries_the_schools_snap_code(world, login, tmp_path):
    safety = login("safety")
    response = safety.get(f"/api/schools/{world.school_a_id}/snap-code.pdf")
    path = _pdf(tmp_path, response)
    url = safety.get(f"/api/schools/{world.school_a_id}/snap-code").json["url"]
    assert decode_all(pdf_pages(path, 150)[0]) == [url]
    assert [tuple(round(v, 2) for v in size) for size in pdf_page_sizes_pt(path)] == [A4_PT]
    text = _text(path)
    for expected in ["甲小学", "校园安全随手拍", "用微信或手机相机扫码，拍照上传校园安全隐患。", "无需注册。",
                     "可留电话以便回复。", url]:
        assert expected in text, expected
    assert quote("随手拍-甲小学.pdf") in response.headers["Content-Disposition"]
    # a replaced code: the poster printed from now on carries the new one
    replaced = safety.post(f"/api/schools/{world.school_a_id}/snap-code")
    assert replaced.status_code == 200, replaced.json
    again = _pdf(tmp_path, safety.get(f"/api/schools/{world.school_a_id}/snap-code.pdf"), "again.pdf")
    assert decode_all(pdf_pages(again, 150)[0]) == [replaced.json["url"]] != [url]


@pytest.mark.parametrize("who,school,status", [
    ("teacher", "a", 403), ("patroller", "a", 403), ("principal", "a", 200), ("safety", "b", 404),
    ("township", "b", 404), ("township", "a", 200), ("county", "b", 200),
])
def test_managers_print_posters_of_schools_in_their_area(world, login, who, school, status):
    school_id = world.school_a_id if school == "a" else world.school_b_id
    assert login(who).get(f"/api/schools/{school_id}/snap-code.pdf").status_code == status
