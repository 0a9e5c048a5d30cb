"""The weekly brief and the monthly dispatch report as files, read back: the scenario of test_reports, on paper.

The figures worked out by hand in tests/test_reports.py must be the ones printed: the
brief of week 44 shows school A's completion of 75%, the monthly report ranks A before
B with 37.5% in total for October.
"""

import io
import re
from datetime import date, datetime
from urllib.parse import quote

import pypdfium2 as pdfium
import pytest
import time_machine
from openpyxl import load_workbook

from app.checklists.services import ensure_default_templates
from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit
from app.orgs.services import add_org_unit
from app.points.levels import CATEGORIES, level_name
from app.points.services import create_point
from app.reports.brief_pdf import brief_pdf
from app.reports.printing import ESCALATIONS, RANKING, SUPERVISED, TOWNSHIPS, TREND
from tests import test_reports as scenario
from tests.labels_helpers import pdf_page_sizes_pt, pdf_texts

NOW, at = scenario.NOW, scenario.at
scene = scenario.scene  # the fixture: the county of test_reports, worked out by hand

A4_PT = (595.28, 841.89)
MM = 72 / 25.4
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = ["排名", "乡镇汇总", "挂牌督办", "升级督办", "趋势"]


def fetch(login, username: str, url: str):
    """GET as this person at NOW."""
    with time_machine.travel(NOW, tick=False):
        return login(username).get(url)


def pdf(tmp_path, response, mimetype="application/pdf"):
    assert response.status_code == 200, response.json
    assert response.mimetype == mimetype
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    return path


def pages(path) -> list[str]:
    """Each page's text without whitespace (table cells and lines break wherever the page needs)."""
    return ["".join(text.split()) for text in pdf_texts(path)]


def assert_inside_margins(path, margin_mm: float = 17) -> None:
    """Every drawn character lies on an A4 page, inside its margins."""
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            width, height = page.get_size()
            assert (round(width, 2), round(height, 2)) == A4_PT
            chars = page.get_textpage()
            for i in range(chars.count_chars()):
                left, bottom, right, top = chars.get_charbox(i)
                if right > left:
                    assert margin_mm * MM <= left and right <= width - margin_mm * MM, (i, left, right)
                    assert 8 * MM <= bottom and top <= height - 10 * MM, (i, bottom, top)
    finally:
        document.close()


# -- the weekly brief ----------------------------------------------------------------------------------------------


def test_the_brief_of_week_44_prints_the_hand_worked_figures_on_one_page(scene, login, tmp_path):
    response = fetch(login, "safety", "/api/reports/weekly.pdf?period=2026-W44")
    path = pdf(tmp_path, response)
    assert f"filename*=UTF-8''{quote('周研判简报-甲小学-2026-W44.pdf')}" in response.headers["Content-Disposition"]
    assert len(pdf_page_sizes_pt(path)) == 1
    assert_inside_margins(path)
    [text] = pages(path)
    assert "统计至" not in text  # the week is over: its figures are final
    for expected in [
        "校园安全周研判简报", "学校：甲小学", "时间：2026年第44周（10月26日至11月1日）",
        # asked 8, done 6, 75%; 7 point-periods, 5 met, 2 missed
        "应检次数已检次数巡查完成率应检点次按要求完成漏检点次", "8675%752",
        "周四10/29周五10/30周六10/31周日11/01巡检次数0002211不合格项0000010",
        # reported 2, assigned 1, closed 0, open 2, overdue 0, no close-out, h1 on time
        "新发现已交办已销号周末未销号其中逾期平均销号用时按期整改21020—1/1（100%）",
        "校舍1010", "水域1010", "一般风险1010", "重大风险1010",
        f"1{scene.failed_item}11",
        "四、本周未巡查点位（共0处）无：本周每个风险点位都已巡查。",
        "研判意见及整改部署", "参会人员", "主持人（签字）", "记录人（签字）",
    ]:
        assert "".join(expected.split()) in text, expected


def test_the_brief_of_a_running_week_says_when_it_was_counted(scene, login, tmp_path):
    [text] = pages(pdf(tmp_path, fetch(login, "safety", "/api/reports/weekly.pdf")))
    assert "2026年第45周（11月2日至11月8日）统计至2026-11-0312:00" in text  # school time, not UTC
    assert "平均销号用时" in text and "72小时" in text  # h1, reported 10-30 10:00, closed out 11-02 10:00
    assert "（共3处）" in text
    # the red river first, then orange, then yellow; the river was last inspected 11-01 00:10 local
    assert re.search("南侧河道重大风险上次11-01.*配电房较大风险上次10-29.*教学楼灭火器（教学楼1层）一般风险上次10-30", text)


def test_a_school_with_many_points_not_inspected_still_gets_one_page(scene, app, login, tmp_path):
    with at(11, 2, 8), app.app_context():
        school = db.session.get(OrgUnit, scene.school_a_id)
        template = ensure_default_templates()["building"]
        for i in range(60):
            create_point(school, f"第{i + 1:02d}号教学楼东侧楼梯间及二层走廊防滑条与扶手" * (1 + i % 2), "building",
                         "blue", template, location="教学楼东侧楼梯间与走廊转角处（靠近配电房和消防通道一侧）")
        db.session.commit()
    path = pdf(tmp_path, fetch(login, "safety", "/api/reports/weekly.pdf"))
    assert len(pdf_page_sizes_pt(path)) == 1
    assert_inside_margins(path)
    [text] = pages(path)
    assert "四、本周未巡查点位（共63处）" in text
    assert "……等63处，其余45处见系统“周研判”页面" in text  # eighteen named, most severe first
    assert "南侧河道重大风险" in text and "…" in text  # long names are cut to their cell, not wrapped
    assert "主持人（签字）" in text  # and the meeting's part still fits below


def _fullest_week(not_inspected: int) -> dict:
    """A week with everything at its longest: every category, long checklist items, many points not inspected."""
    figures = lambda n: {"reported": n, "closed": 1, "open_at_end": n, "overdue_at_end": 1}
    return {
        "unit": {"id": 1, "name": "演示县城关镇第一中心小学附属实验学校（东校区）", "kind": "school"},
        "period": "2026-W44", "first_day": date(2026, 10, 26), "last_day": date(2026, 11, 1),
        "as_of": datetime(2026, 11, 2, 0, tzinfo=scenario.CN),
        "completion": {"asked": 1234, "done": 1000, "rate": 0.8104, "periods": 1200, "met": 980, "missed": 220},
        "hazards": {"reported": 120, "assigned": 100, "closed": 90, "open_at_end": 60, "overdue_at_end": 12, "due": 80,
                    "on_time": 61, "on_time_rate": 0.7625, "mean_close_out_hours": 123.4},
        "by_category": [{"key": k, "name": name, **figures(20 - i)} for i, (k, (name, _)) in enumerate(CATEGORIES.items())],
        "by_level": [{"key": k, "name": level_name(k), **figures(9)} for k in ("red", "orange", "yellow", "blue")],
        "top_failed_items": [{"item": "灭火器压力表指针在绿区，瓶身无锈蚀，喷管完好，保险销和铅封齐全，" * 3,
                              "failures": 90 - i, "points": 30} for i in range(5)],
        "not_inspected": [{"id": i, "name": f"第{i}号学生宿舍楼疏散通道与安全出口" * 2, "location": "宿舍楼北侧" * 4,
                           "risk_level": ("red", "orange", "yellow", "blue")[i % 4],
                           "risk_level_name": level_name(("red", "orange", "yellow", "blue")[i % 4]),
                           "frequency_name": "每日", "last_inspected_at": None} for i in range(not_inspected)],
        "days": [{"date": f"2026-10-{26 + i:02d}" if i < 6 else "2026-11-01", "inspections": 180, "failed_items": 40}
                 for i in range(7)],
        "flags": [{}] * 37,
        "flagged": 37,  # a figure the brief does not know yet: left alone
    }


def _title_height(path) -> float:
    document = pdfium.PdfDocument(str(path))
    try:
        _, bottom, _, top = document[0].get_textpage().get_charbox(0)
        return top - bottom
    finally:
        document.close()


def test_the_fullest_week_still_fits_one_page_at_full_size(ctx, tmp_path):
    now = datetime(2026, 11, 3, 12, tzinfo=scenario.CN)
    full, empty = tmp_path / "full.pdf", tmp_path / "empty.pdf"
    full.write_bytes(brief_pdf(_fullest_week(300), now))
    empty.write_bytes(brief_pdf({**_fullest_week(0), "by_category": [], "top_failed_items": []}, now))
    assert len(pdf_page_sizes_pt(full)) == 1
    assert_inside_margins(full)
    assert _title_height(full) == pytest.approx(_title_height(empty), rel=0.01)  # nothing had to be shrunk
    [text] = pages(full)
    assert "漏检点次存疑巡检1234100081%120098022037" in text  # 81.04%, and 37 flagged
    assert "123.4小时61/80（76.2%）" in text
    assert "其他7项" in text  # eleven categories: the four biggest, the rest summed
    assert "……等300处，其余282处" in text and "主持人（签字）" in text


# -- the monthly dispatch report -------------------------------------------------------------------------------------


def test_the_monthly_report_of_october_ranks_the_schools(scene, login, tmp_path):
    response = fetch(login, "county", "/api/reports/monthly.pdf?period=2026-10")
    path = pdf(tmp_path, response)
    assert quote("月调度通报-测试县-2026-10.pdf") in response.headers["Content-Disposition"]
    assert_inside_margins(path)
    texts = pages(path)
    text = "".join(texts)
    assert "校园安全月调度通报" in text and "单位：测试县月份：2026年10月" in text and "统计至" not in text
    assert "应检8次，已检3次，巡查完成率37.5%，漏检5点次；上报隐患2处" in text
    # rank, township, school, asked, done, rate, missed, hazards reported/closed/open/overdue, on-time rate
    ranking = re.search("二、学校巡查排名(.*)三、乡镇汇总", text)[1]
    assert "1一镇甲小学4375%12020—" in ranking and "2二乡乙中学400%40000—" in ranking
    assert ranking.index("甲小学") < ranking.index("乙中学")
    assert "合计8337.5%52020—" in ranking
    assert "一镇14375%12020—" in text and "二乡1400%40000—" in text
    assert "本月无挂牌督办隐患。" in text and "本月无升级至乡镇、县的督办事项。" in text
    trend = text[text.index("近六个月趋势"):]
    assert [m for m in re.findall(r"2026年(\d+)月\d", trend)] == ["5", "6", "7", "8", "9", "10"]
    assert "2026年10月8337.5%5" in trend
    assert texts[-1].endswith(f"第{len(texts)}页共{len(texts)}页")


def test_the_monthly_report_of_november_lists_supervision_and_escalations(scene, login, tmp_path):
    text = "".join(pages(pdf(tmp_path, fetch(login, "county", "/api/reports/monthly.pdf?period=2026-11"))))
    assert "统计至2026-11-0312:00" in text
    assert "1一镇甲小学5360%20110100%" in text
    assert "三、乡镇汇总" in text
    supervised = re.search("四、挂牌督办隐患（1项）(.*)五、", text)[1]
    assert "乙中学校舍一般风险走廊栏杆松动整改中2026-11-0218:00—" in supervised  # deadline in school time
    escalations = re.search("五、升级至乡镇、县的督办事项（1次）(.*)六、", text)[1]
    assert "2026-11-0210:00乙中学宿舍疏散通道逾期未巡查乡镇（街道）" in escalations


def test_a_long_ranking_runs_on_with_its_header_on_every_page(scene, app, login, tmp_path):
    with at(10, 28, 9), app.app_context():
        town = db.session.get(OrgUnit, scene.school_a_id).parent
        for i in range(70):
            add_org_unit(OrgKind.SCHOOL, f"一镇第{i + 1:02d}村小", town)
        db.session.commit()
    path = pdf(tmp_path, fetch(login, "county", "/api/reports/monthly.pdf?period=2026-10"))
    texts = pages(path)
    assert_inside_margins(path)
    with_ranking = [t for t in texts if "村小" in t]
    assert len(with_ranking) >= 2
    header = "".join(c.header for c in RANKING)
    assert all(header in t for t in with_ranking)
    assert [f"第{n}页共{len(texts)}页" in t for n, t in enumerate(texts, 1)] == [True] * len(texts)
    assert "72一镇一镇第70村小" in "".join(texts)  # every school ranked, the ones with nothing to do last


def test_the_workbook_has_the_tables_with_real_numbers(scene, login):
    response = fetch(login, "county", "/api/reports/monthly.xlsx?period=2026-11")
    assert response.status_code == 200, response.json
    assert response.mimetype == XLSX
    assert f"filename*=UTF-8''{quote('月调度通报-测试县-2026-11.xlsx')}" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == SHEETS
    for name, columns in zip(SHEETS, (RANKING, TOWNSHIPS, SUPERVISED, ESCALATIONS, TREND)):
        sheet = book[name]
        assert sheet["A1"].value == f"测试县 2026年11月月调度通报——{name}"
        assert [c.value for c in sheet[2]] == [c.header for c in columns]
        assert sheet.freeze_panes.endswith("3")
        assert all(sheet.column_dimensions[letter].width > 5 for letter in "ABC")
    rows = list(book["排名"].iter_rows(min_row=3, values_only=True))
    assert rows == [(1, "一镇", "甲小学", 5, 3, 0.6, 2, 0, 1, 1, 0, 1.0),
                    (2, "二乡", "乙中学", 2, 0, 0.0, 2, 1, 0, 1, 1, 0.0)]
    assert book["排名"]["F3"].number_format == "0.0%" and book["排名"]["L3"].number_format == "0.0%"
    assert [r[0] for r in book["乡镇汇总"].iter_rows(min_row=3, values_only=True)] == ["一镇", "二乡"]
    [supervised] = book["挂牌督办"].iter_rows(min_row=3, values_only=True)
    assert supervised[1:6] == ("乙中学", "校舍", "一般风险", "走廊栏杆松动", "整改中")
    assert supervised[6] == datetime(2026, 11, 2, 18, 0)  # the deadline, in the school's time
    [escalation] = book["升级督办"].iter_rows(min_row=3, values_only=True)
    assert escalation[:5] == (datetime(2026, 11, 2, 10, 0), "乙中学", "宿舍疏散通道", "逾期未巡查", "乡镇（街道）")
    trend = list(book["趋势"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in trend] == ["2026年6月", "2026年7月", "2026年8月", "2026年9月", "2026年10月", "2026年11月"]
    assert trend[-2][1:4] == (8, 3, 0.375) and trend[0][3] is None  # nothing asked in June: no rate, not 0


# -- access: as the JSON endpoints ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/reports/weekly.pdf", "/api/reports/monthly.pdf", "/api/reports/monthly.xlsx"])
def test_the_files_refuse_as_the_json_reports_do(scene, login, url):
    school_b = f"{url}?unit_id={scene.school_b_id}"
    assert fetch(login, "patroller", url).status_code == 403
    assert fetch(login, "safety", school_b).status_code == 404
    assert fetch(login, "township", school_b).status_code == 404
    assert fetch(login, "county", school_b).status_code == 200
    bad = fetch(login, "county", f"{url}?unit_id={scene.school_a_id}&period=2026-13")
    assert bad.status_code == 422 and bad.json["error"] == "bad_period"
    future = fetch(login, "county", f"{url}?unit_id={scene.school_a_id}&period=2027-01-04")
    assert future.status_code == 422 and future.json["error"] == "future_period"


def test_the_brief_is_for_one_school(scene, login):
    refused = fetch(login, "county", "/api/reports/weekly.pdf")
    assert refused.status_code == 422 and refused.json["error"] == "wrong_unit_kind"
    assert fetch(login, "county", f"/api/reports/weekly.pdf?unit_id={scene.school_a_id}").status_code == 200
