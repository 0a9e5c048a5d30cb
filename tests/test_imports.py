"""Importing the register of risk points from Excel and CSV: dry run, refusals, all or nothing."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.points.models import RiskPoint
from tests import sheet_helpers
from tests.sheet_helpers import csv_bytes

HEADERS = ["学校", "风险点名称", "类别", "风险等级", "位置", "网格", "责任人"]
GOOD = [
    ["甲小学", "图书馆灭火器", "消防", "一般风险", "图书馆1层", "教学区网格", "王建国"],
    ["甲小学", "配电房", "用电", "较大", "综合楼北侧", "", "刘海涛"],
    ["甲小学", "校门口", "校门交通", "红色", "南门", "", "赵永刚"],
    ["甲小学", "单杠", "活动场地设施", "blue", "操场东侧", "", ""],
    ["甲小学", "围墙东段", "围墙围栏", "黄", "", "", ""],
]


def xlsx(rows, headers=HEADERS) -> bytes:
    return sheet_helpers.xlsx(rows, headers)


def upload(client, data: bytes, dry_run: bool, name="风险点清单.xlsx"):
    return sheet_helpers.upload(client, "points", data, dry_run, name)


def point_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RiskPoint))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_has_chinese_headers_and_an_example(world, login, fmt):
    response = login("safety").get(f"/api/imports/points/template?format={fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        assert response.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    else:
        rows = [list(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]
    assert rows[0][:4] == ["学校", "风险点名称", "类别", "风险等级"] and len(rows) == 2


def test_dry_run_then_apply_then_reimport_changes_nothing(app, world, login):
    safety = login("safety")
    before = point_count(app)
    dry = upload(safety, xlsx(GOOD), dry_run=True)
    assert dry.status_code == 200 and dry.json["applied"] is False
    assert [(r["row"], r["action"]) for r in dry.json["rows"]] == [(n, "create") for n in range(2, 7)]
    assert point_count(app) == before
    applied = upload(safety, xlsx(GOOD), dry_run=False)
    assert applied.status_code == 200 and applied.json["applied"] is True
    assert applied.json["summary"] == {"create": 5, "update": 0, "unchanged": 0, "refuse": 0}
    assert point_count(app) == before + 5
    with app.app_context():
        levels = dict(db.session.execute(select(RiskPoint.name, RiskPoint.risk_level)).all())
        audits = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert (levels["图书馆灭火器"], levels["配电房"], levels["校门口"], levels["单杠"], levels["围墙东段"]) == (
        "yellow", "orange", "red", "blue", "yellow")
    again = upload(safety, xlsx(GOOD), dry_run=False)
    assert again.json["summary"] == {"create": 0, "update": 0, "unchanged": 5, "refuse": 0}
    assert point_count(app) == before + 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_refused_rows_say_why_with_their_row_numbers_and_nothing_is_applied(app, world, login):
    rows = GOOD[:2] + [
        ["丙中学", "水池", "水域", "重大风险", "", "", ""],
        ["甲小学", "锅炉房", "消防", "紫色", "", "", ""],
        ["甲小学", "图书馆灭火器", "消防", "一般风险", "", "", ""],
        ["甲小学", "", "消防", "一般风险", "", "", ""],
        ["甲小学", "花坛", "绿化", "低风险", "", "", ""],
        ["甲小学", "旗杆", "其他", "低风险", "", "后勤网格", ""],
    ]
    before = point_count(app)
    response = upload(login("safety"), xlsx(rows), dry_run=False)
    assert response.status_code == 422 and response.json["applied"] is False
    reasons = {r["row"]: (r["action"], " ".join(r["reasons"])) for r in response.json["rows"]}
    assert reasons[2][0] == reasons[3][0] == "create"
    assert reasons[4] == ("refuse", "学校“丙中学”不存在或不在您的管辖范围内")
    assert reasons[5][0] == "refuse" and "风险等级“紫色”无法识别" in reasons[5][1]
    assert reasons[6] == ("refuse", "与第 2 行重复(同一学校的风险点名称)")
    assert reasons[7] == ("refuse", "缺少风险点名称")
    assert reasons[8] == ("refuse", "类别“绿化”无法识别")
    assert reasons[9] == ("refuse", "网格“后勤网格”不是甲小学的网格")
    assert point_count(app) == before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_as_excel_saves_it_in_utf8_with_bom_or_gb18030(app, world, login, encoding):
    response = upload(login("safety"), csv_bytes(GOOD, HEADERS, encoding), dry_run=False, name="清单.csv")
    assert response.status_code == 200, response.json
    assert [r["name"] for r in response.json["rows"]] == [row[1] for row in GOOD]
    with app.app_context():
        assert db.session.scalar(select(RiskPoint.responsible).where(RiskPoint.name == "配电房")) == "刘海涛"


def test_reimport_updates_changes_and_a_level_change_needs_a_reason(app, world, login):
    safety = login("safety")
    upload(safety, xlsx(GOOD), dry_run=False)
    changed = [row[:] for row in GOOD]
    changed[0][6] = "李明"  # new responsible person
    changed[1][3] = "重大风险"  # level up, no reason given
    refused = upload(safety, xlsx(changed), dry_run=True).json["rows"]
    assert refused[0]["action"] == "update"
    assert refused[1] == {"row": 3, "action": "refuse", "reasons": ["风险等级有变化,需填写“等级调整原因”"], "name": "配电房"}
    with_reason = [row + ([""] if i else []) for i, row in enumerate(changed)]
    with_reason[1] = changed[1] + ["配电柜老化,升级管控"]
    response = upload(safety, xlsx([r + [""] * (8 - len(r)) for r in with_reason], headers=HEADERS + ["等级调整原因"]),
                      dry_run=False)
    assert response.status_code == 200, response.json
    assert [r["action"] for r in response.json["rows"]] == ["update", "update", "unchanged", "unchanged", "unchanged"]
    with app.app_context():
        point = db.session.scalar(select(RiskPoint).where(RiskPoint.name == "配电房"))
        assert point.risk_level == "red"
    history = safety.get(f"/api/points/{point.id}/history").json
    assert history[-1]["reason"] == "配电柜老化,升级管控"


def test_a_sheet_without_the_needed_columns_is_refused_whole(world, login):
    response = upload(login("safety"), xlsx(GOOD, headers=["学校", "名称", "类别", "等级"]), dry_run=True)
    assert response.status_code == 422 and response.json["message"].startswith("缺少列:风险点名称、风险等级")
    not_a_sheet = upload(login("safety"), b"\x00\x01binary", dry_run=True, name="x.csv")
    assert not_a_sheet.status_code == 422


def test_who_may_import_and_where(world, login):
    assert upload(login("patroller"), xlsx(GOOD), dry_run=True).status_code == 403
    other_township = login("patroller_b")
    assert upload(other_township, xlsx(GOOD), dry_run=True).status_code == 403
    township = login("township")
    rows = upload(township, xlsx([["乙中学", "水池", "水域", "红", "", "", ""]]), dry_run=True).json["rows"]
    assert rows[0]["action"] == "refuse"  # 乙中学 is in the other township
    assert login("county").get("/api/imports/vehicles/template").status_code == 404


def test_a_sheet_may_set_how_often_a_point_is_inspected(app, world, login):
    headers = HEADERS + ["巡检频次"]
    rows = [GOOD[0] + ["每日巡检"], GOOD[1] + ["每周两次"], GOOD[2] + [""], GOOD[3] + ["每小时"]]
    refused = upload(login("safety"), xlsx(rows, headers), dry_run=True).json["rows"]
    assert [r["action"] for r in refused] == ["create", "create", "create", "refuse"]
    assert refused[3]["reasons"][0].startswith("巡检频次“每小时”无法识别")
    applied = upload(login("safety"), xlsx(rows[:1] + rows[2:3], headers), dry_run=False)
    assert applied.status_code == 200, applied.json
    with app.app_context():
        frequencies = dict(db.session.execute(select(RiskPoint.name, RiskPoint.frequency)).all())
    assert (frequencies["图书馆灭火器"], frequencies["校门口"]) == ("daily", None)
