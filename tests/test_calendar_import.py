"""Importing a county's school calendar from Excel and CSV: template, dry run, all or nothing, refusals."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.imports.calendar import day_of, kind_of
from app.schedules.calendar import DayKind
from app.schedules.models import CalendarEntry
from tests.sheet_helpers import csv_bytes, upload, xlsx

HEADERS = ["类型", "开始日期", "结束日期", "名称"]
ZONE = ZoneInfo("Asia/Shanghai")
GOOD = [
    ["放假", "2027-10-01", "2027-10-07", "国庆节"],
    ["调休上班", "2027/9/26", "", "国庆调休"],
    ["假期", "2027年7月10日", "2027年8月31日", "暑假"],
    ["holiday", "2027.1.1", "", "元旦"],
]


def calendar(client, rows, dry_run=False, headers=HEADERS):
    return upload(client, "calendar", xlsx(rows, headers), dry_run, name="校历.xlsx")


def stored(app) -> list[tuple]:
    with app.app_context():
        return [(e.kind, e.start, e.end, e.name) for e in
                db.session.scalars(select(CalendarEntry).order_by(CalendarEntry.start))]


def by_row(response) -> dict[int, tuple[str, str]]:
    return {r["row"]: (r["action"], ";".join(r["reasons"])) for r in response.json["rows"]}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_has_chinese_headers_and_an_example(world, login, fmt):
    response = login("county").get(f"/api/imports/calendar/template?format={fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    else:
        rows = [list(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]
    assert rows == [HEADERS, ["放假", "2027-10-01", "2027-10-07", "国庆节"]]


def test_dry_run_then_apply_then_reimport_changes_nothing(app, world, login):
    county = login("county")
    dry = calendar(county, GOOD, dry_run=True)
    assert dry.status_code == 200 and dry.json["applied"] is False
    assert [(r["row"], r["action"], r["name"]) for r in dry.json["rows"]] == [
        (2, "create", "国庆节"), (3, "create", "国庆调休"), (4, "create", "暑假"), (5, "create", "元旦")]
    assert stored(app) == []

    applied = calendar(county, GOOD)
    assert applied.status_code == 200 and applied.json["applied"] is True
    assert stored(app) == [
        (DayKind.HOLIDAY, date(2027, 1, 1), date(2027, 1, 1), "元旦"),
        (DayKind.VACATION, date(2027, 7, 10), date(2027, 8, 31), "暑假"),
        (DayKind.WORKDAY, date(2027, 9, 26), date(2027, 9, 26), "国庆调休"),
        (DayKind.HOLIDAY, date(2027, 10, 1), date(2027, 10, 7), "国庆节"),
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.entity == "calendar_entry")) == 4
    assert len(county.get("/api/calendar?year=2027").json["entries"]) == 4

    again = calendar(county, GOOD)
    assert again.status_code == 200
    assert again.json["summary"] == {"create": 0, "update": 0, "unchanged": 4, "refuse": 0}
    assert len(stored(app)) == 4


def test_the_same_dates_under_another_name_rename_the_entry(app, world, login):
    county = login("county")
    assert calendar(county, GOOD[:1]).status_code == 200
    renamed = calendar(county, [["放假", "2027-10-01", "2027-10-07", "国庆中秋"]])
    assert by_row(renamed) == {2: ("update", "")}
    assert stored(app) == [(DayKind.HOLIDAY, date(2027, 10, 1), date(2027, 10, 7), "国庆中秋")]


def test_excel_date_cells_and_serial_numbers_are_read(app, world, login):
    rows = [["放假", date(2027, 10, 1), datetime(2027, 10, 7), "国庆节"],
            ["假期", 46402, 46443, "寒假"]]  # a date cell formatted as a number: 2027-01-15 to 2027-02-25
    applied = calendar(login("county"), rows)
    assert applied.status_code == 200, applied.json
    assert stored(app) == [(DayKind.VACATION, date(2027, 1, 15), date(2027, 2, 25), "寒假"),
                           (DayKind.HOLIDAY, date(2027, 10, 1), date(2027, 10, 7), "国庆节")]


@pytest.mark.parametrize("text,day", [
    ("2027-10-01", date(2027, 10, 1)), ("2027/10/1", date(2027, 10, 1)), ("2027年10月1日", date(2027, 10, 1)),
    ("2027-10-01 00:00:00", date(2027, 10, 1)), ("2027/10/1 0:00", date(2027, 10, 1)), ("46661", date(2027, 10, 1)),
    ("2027-02-30", None), ("10/1/2027", None), ("国庆", None), ("12", None),
])
def test_the_ways_people_write_a_day(text, day):
    assert day_of(text) == day


def test_the_ways_people_name_a_type():
    assert [kind_of(t) for t in ("放假", "调休上班", "补班", "假期", "寒暑假", "Holiday", "开学")] == [
        DayKind.HOLIDAY, DayKind.WORKDAY, DayKind.WORKDAY, DayKind.VACATION, DayKind.VACATION, DayKind.HOLIDAY, None]


def test_bad_rows_are_refused_with_reasons_and_nothing_is_applied(app, world, login):
    county = login("county")
    assert county.post("/api/calendar", json={"kind": "holiday", "start": "2027-05-01", "end": "2027-05-05",
                                              "name": "劳动节"}).status_code == 201
    rows = [
        ["放假", "2027-10-01", "2027-10-07", "国庆节"],  # 2: fine
        ["开学", "2027-09-01", "", ""],  # 3
        ["放假", "2027-13-01", "", ""],  # 4
        ["放假", "2027-10-08", "2027-10-02", ""],  # 5
        ["假期", "2027-07-10", "2027-08-31", ""],  # 6
        ["调休上班", "2027-09-20", "2027-09-30", ""],  # 7
        ["放假", "2027-01-01", "2028-01-01", "全年"],  # 8
        ["放假", "2027-05-05", "2027-05-06", ""],  # 9: collides with the entry already there
        ["调休上班", "2027-10-07", "", ""],  # 10: a day off in row 2
        ["放假", "2027-10-01", "2027-10-07", "国庆节"],  # 11: row 2 again
        ["", "2027-12-01", "", ""],  # 12
    ]
    refused = calendar(county, rows)
    assert refused.status_code == 422 and refused.json["applied"] is False
    assert by_row(refused) == {
        2: ("create", ""),
        3: ("refuse", "类型“开学”无法识别(应为 放假、调休上班 或 假期)"),
        4: ("refuse", "开始日期“2027-13-01”无法识别(应为日期,如 2027-10-01、2027/10/1 或 2027年10月1日)"),
        5: ("refuse", "结束日期早于开始日期"),
        6: ("refuse", "假期需填写名称(如 寒假、暑假)"),
        7: ("refuse", "调休上班最多连续 7 天"),
        8: ("refuse", "日期范围过长(最多 200 天,请检查年份)"),
        9: ("refuse", "与已有的放假“劳动节”(2027-05-01至2027-05-05)重叠"),
        10: ("refuse", "与第 2 行的日期重叠"),
        11: ("refuse", "与第 2 行重复"),
        12: ("refuse", "缺少类型"),
    }
    assert len(stored(app)) == 1


@pytest.mark.parametrize("username", ["safety", "township"])
def test_only_county_admins_import_the_calendar(app, world, login, username):
    response = calendar(login(username), GOOD, dry_run=True)
    assert response.status_code == 403
    assert stored(app) == []


def test_an_imported_holiday_moves_a_school_days_points_due_time(world, login):
    safety = login("safety")
    point = safety.post("/api/points", json={
        "school_id": world.school_a_id, "name": "晨检点", "category": "gate", "risk_level": "blue",
        "frequency": "daily", "school_days_only": True}).json
    due_day = datetime.fromisoformat(point["due"]["due_at"]).astimezone(ZONE).date() - timedelta(days=1)
    rows = [["放假", due_day.isoformat(), (due_day + timedelta(days=2)).isoformat(), "临时停课"]]
    data = csv_bytes(rows, HEADERS, "gb18030")
    applied = upload(login("county"), "calendar", data, dry_run=False, name="校历.csv")
    assert applied.status_code == 200, applied.json
    moved = safety.get(f"/api/points/{point['id']}").json["due"]["due_at"]
    assert datetime.fromisoformat(moved).astimezone(ZONE).date() > due_day + timedelta(days=3)
