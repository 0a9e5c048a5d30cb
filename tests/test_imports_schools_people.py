"""Importing the list of schools and the list of people from Excel and CSV, as the points import does."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.imports.people import ROLE_NAMES, role_key
from app.orgs.models import OrgKind, OrgUnit
from app.orgs.services import add_org_unit
from tests.sheet_helpers import csv_bytes, upload, xlsx

SCHOOL_HEADERS = ["乡镇(街道)", "学校名称"]
PEOPLE_HEADERS = ["用户名", "姓名", "角色", "单位", "初始密码"]
FIRST = "Ledger-Amber-26"
SCHOOLS = [["一镇", "一镇中心小学"], ["一镇", "一镇初级中学"], ["二乡", "二乡中心小学"]]
PEOPLE = [
    ["13800138000", "张明", "网格员", "甲小学", FIRST],
    ["13800138001", "李芳", "网格长", "甲小学", FIRST],
    ["wang.teacher", "王老师", "教职工", "甲小学", FIRST],
]


def shown(role: Role) -> str:
    """The role's name as the PWA shows it in Chinese (as import messages name it)."""
    return ROLE_NAMES[role][0]


def schools(client, rows, dry_run=False):
    return upload(client, "schools", xlsx(rows, SCHOOL_HEADERS), dry_run)


def people(client, rows, dry_run=False, headers=PEOPLE_HEADERS):
    return upload(client, "people", xlsx(rows, headers), dry_run)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def by_row(response) -> dict[int, tuple[str, str]]:
    return {r["row"]: (r["action"], ";".join(r["reasons"])) for r in response.json["rows"]}


@pytest.mark.parametrize("kind,headers", [("schools", SCHOOL_HEADERS), ("people", PEOPLE_HEADERS)])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_templates_have_chinese_headers_and_an_example(world, login, kind, headers, fmt):
    response = login("county").get(f"/api/imports/{kind}/template?format={fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        assert response.data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    else:
        rows = [list(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]
    assert rows[0] == headers and len(rows) == 2 and all(rows[1][:4])


# schools


def test_schools_dry_run_then_apply_then_reimport_changes_nothing(app, world, login):
    county = login("county")
    before = count(app, OrgUnit)
    dry = schools(county, SCHOOLS, dry_run=True)
    assert dry.status_code == 200 and dry.json["applied"] is False
    assert [(r["row"], r["action"], r["name"]) for r in dry.json["rows"]] == [
        (2, "create", "一镇中心小学"), (3, "create", "一镇初级中学"), (4, "create", "二乡中心小学")]
    assert count(app, OrgUnit) == before
    applied = schools(county, SCHOOLS + [["一镇", "甲小学"]])
    assert applied.status_code == 200 and applied.json["applied"] is True
    assert applied.json["summary"] == {"create": 3, "update": 0, "unchanged": 1, "refuse": 0}
    units = {u["name"]: u for u in county.get("/api/org-units").json}
    assert units["二乡中心小学"]["kind"] == "school" and units["二乡中心小学"]["parent_id"] == units["二乡"]["id"]
    assert units["一镇中心小学"]["parent_id"] == units["一镇"]["id"]
    audits = count(app, AuditEntry)
    assert audits == 3
    again = schools(county, SCHOOLS)
    assert again.status_code == 200 and again.json["summary"]["unchanged"] == 3 and again.json["summary"]["create"] == 0
    assert count(app, OrgUnit) == before + 3 and count(app, AuditEntry) == audits


def test_refused_schools_say_why_with_their_row_numbers_and_nothing_is_applied(app, world, login):
    rows = [["一镇", "一镇中心小学"], ["三镇", "三镇小学"], ["一镇", "一镇中心小学"], ["二乡", ""], ["", "无名小学"]]
    before = count(app, OrgUnit)
    response = schools(login("county"), rows)
    assert response.status_code == 422 and response.json["applied"] is False
    assert by_row(response) == {
        2: ("create", ""),
        3: ("refuse", "乡镇“三镇”不存在或不在您的管辖范围内,请先添加乡镇"),
        4: ("refuse", "与第 2 行重复(同一乡镇的学校名称)"),
        5: ("refuse", "缺少学校名称"),
        6: ("refuse", "缺少乡镇(街道)"),
    }
    assert count(app, OrgUnit) == before and count(app, AuditEntry) == 0


def test_a_schools_sheet_without_the_school_column_is_refused_whole(world, login):
    response = upload(login("county"), "schools", xlsx(SCHOOLS, ["乡镇(街道)", "名称"]), dry_run=True)
    assert response.status_code == 422 and response.json["message"].startswith("缺少列:学校名称")


@pytest.mark.parametrize("username", ["township", "principal", "safety"])
def test_only_the_county_imports_schools(app, world, login, username):
    before = count(app, OrgUnit)
    for dry_run in (True, False):
        response = schools(login(username), SCHOOLS, dry_run=dry_run)
        assert response.status_code == 403 and response.json["error"] == "forbidden"
    assert count(app, OrgUnit) == before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_schools_from_csv_as_excel_saves_it(world, login, encoding):
    county = login("county")
    response = upload(county, "schools", csv_bytes(SCHOOLS, SCHOOL_HEADERS, encoding), dry_run=False, name="学校.csv")
    assert response.status_code == 200, response.json
    assert {"一镇中心小学", "一镇初级中学", "二乡中心小学"} <= {u["name"] for u in county.get("/api/org-units").json}


# people


def test_people_dry_run_then_apply_and_they_must_change_their_first_password(app, world, login):
    safety = login("safety")
    before = count(app, User)
    dry = people(safety, PEOPLE, dry_run=True)
    assert dry.status_code == 200 and dry.json["applied"] is False
    assert [(r["row"], r["action"], r["name"]) for r in dry.json["rows"]] == [
        (2, "create", "张明"), (3, "create", "李芳"), (4, "create", "王老师")]
    assert FIRST not in dry.get_data(as_text=True)  # passwords are never echoed
    assert count(app, User) == before
    applied = people(safety, PEOPLE)
    assert applied.status_code == 200 and applied.json["summary"]["create"] == 3
    listed = {p["username"]: p for p in safety.get("/api/users").json}
    assert (listed["13800138000"]["display_name"], listed["13800138000"]["role"]) == ("张明", "patroller")
    assert listed["13800138001"]["role"] == "grid_leader" and listed["wang.teacher"]["role"] == "teacher"
    assert all(listed[u]["must_change_password"] for u in ("13800138000", "13800138001", "wang.teacher"))
    newcomer = login("13800138000", FIRST)
    assert newcomer.get("/api/me").json["user"]["must_change_password"] is True
    blocked = newcomer.get("/api/points")
    assert blocked.status_code == 403 and blocked.json["error"] == "password_change_required"
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "user")).all()
        assert len(entries) == 3 and {e.actor_id for e in entries} == {world.user_ids["safety"]}


def test_reimporting_people_changes_nothing_and_never_resets_a_password(app, world, login):
    safety = login("safety")
    people(safety, PEOPLE)
    newcomer = login("13800138000", FIRST)
    changed = newcomer.post("/api/me/password", json={"old_password": FIRST, "new_password": "Mine-2026-x"})
    assert changed.status_code == 200
    audits = count(app, AuditEntry)
    again_rows = [row[:4] + ["Other-Pass-99"] for row in PEOPLE]
    again = people(safety, again_rows)
    assert again.status_code == 200
    assert again.json["summary"] == {"create": 0, "update": 0, "unchanged": 3, "refuse": 0}
    assert count(app, AuditEntry) == audits
    assert login("13800138000", "Mine-2026-x").get("/api/points").status_code == 200
    assert app.test_client().post("/api/auth/login", json={"username": "13800138000",
                                                           "password": "Other-Pass-99"}).status_code == 401
    # the password column may be left out when everyone is already there
    without = people(safety, [row[:4] for row in PEOPLE], headers=PEOPLE_HEADERS[:4])
    assert without.json["summary"]["unchanged"] == 3


def test_a_changed_name_or_role_updates_the_person_on_record(app, world, login):
    safety = login("safety")
    people(safety, PEOPLE)
    changed = [row[:] for row in PEOPLE]
    changed[0][1] = "张明明"
    changed[1][2] = "网格员"
    response = people(safety, changed)
    assert response.status_code == 200, response.json
    assert [r["action"] for r in response.json["rows"]] == ["update", "update", "unchanged"]
    listed = {p["username"]: p for p in safety.get("/api/users").json}
    assert listed["13800138000"]["display_name"] == "张明明" and listed["13800138001"]["role"] == "patroller"
    with app.app_context():
        updates = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).all()
        assert len(updates) == 2 and any('"grid_leader"' in e.before and '"patroller"' in e.after for e in updates)


def test_refused_people_say_why_with_their_row_numbers_and_nothing_is_applied(app, world, login):
    rows = [
        PEOPLE[0],
        ["13900000001", "钱督导", "乡镇督导", "一镇", FIRST],  # a township supervisor cannot make a peer
        ["13900000002", "孙股长", "县教体局安全股", "测试县", FIRST],  # nor a county admin
        ["13800138000", "张明", "网格员", "甲小学", FIRST],  # twice in the sheet
        ["13900000003", "赵老师", "教职工", "一镇", FIRST],  # a teacher belongs to a school
        ["13900000004", "周老师", "教职工", "甲小学", "12345"],
        ["13900000005", "吴老师", "教职工", "甲小学", "aaaaaaaaaa"],
        ["13900000006", "郑老师", "教职工", "丙小学", FIRST],
        ["13900000007", "", "教职工", "甲小学", FIRST],
        ["张 三", "张三", "教职工", "甲小学", FIRST],
        ["13900000008", "冯老师", "门卫", "甲小学", FIRST],
        ["13900000009", "陈老师", "教职工", "甲小学", ""],
        ["patroller_b", "另一个人", "网格员", "甲小学", FIRST],  # taken by someone in the other township
        ["13900000010", "褚校长", "校长", "乙中学", FIRST],  # the other township
    ]
    before = (count(app, User), count(app, AuditEntry))
    response = people(login("township"), rows)
    assert response.status_code == 422 and response.json["applied"] is False
    reasons = by_row(response)
    assert reasons[2] == ("create", "")
    assert reasons[3] == ("refuse", f"您无权创建或修改“{shown(Role.TOWNSHIP_SUPERVISOR)}”账号(只能管理级别比您低的角色)")
    assert reasons[4] == ("refuse", f"您无权创建或修改“{shown(Role.COUNTY_ADMIN)}”账号(只能管理级别比您低的角色)")
    assert reasons[5] == ("refuse", "与第 2 行重复(同一用户名)")
    assert reasons[6] == ("refuse", f"{shown(Role.TEACHER)}应属于学校,而“一镇”是乡镇(街道)")
    assert reasons[7] == ("refuse", "初始密码至少需要 8 位")
    assert reasons[8][0] == "refuse" and reasons[8][1].startswith("初始密码太容易被猜到")
    assert reasons[9] == ("refuse", "单位“丙小学”不存在或不在您的管辖范围内")
    assert reasons[10] == ("refuse", "缺少姓名")
    assert reasons[11][0] == "refuse" and reasons[11][1].startswith("用户名“张 三”不符合要求")
    assert reasons[12][0] == "refuse" and reasons[12][1].startswith(f"角色“门卫”无法识别(应为 {shown(Role.PATROLLER)}、")
    assert reasons[13] == ("refuse", "缺少初始密码(新账号必须填写)")
    assert reasons[14] == ("refuse", "用户名“patroller_b”已被占用,请换一个")
    assert reasons[15] == ("refuse", "单位“乙中学”不存在或不在您的管辖范围内")
    assert (count(app, User), count(app, AuditEntry)) == before


def test_roles_are_known_by_the_names_people_use():
    # the names the app shows: tests/test_pwa_catalogs.py; here, the other names people write
    assert [role_key(name) for name in ("网格员", "安全员", "班主任", "分管安全副校长", "乡镇督导", "县教体局安全股")] == [
        Role.PATROLLER, Role.PATROLLER, Role.TEACHER, Role.SAFETY_OFFICER, Role.TOWNSHIP_SUPERVISOR, Role.COUNTY_ADMIN]
    assert [role_key(name) for name in ("patroller", "grid_leader", "County admin", " 校长 ", "门卫")] == [
        Role.PATROLLER, Role.GRID_LEADER, Role.COUNTY_ADMIN, Role.PRINCIPAL, None]


def test_a_people_sheet_without_the_role_column_is_refused_whole(app, world, login):
    before = count(app, User)
    headers = ["用户名", "姓名", "职务", "单位", "初始密码"]
    response = upload(login("safety"), "people", xlsx(PEOPLE, headers), dry_run=False)
    assert response.status_code == 422 and response.json["message"].startswith("缺少列:角色")
    assert count(app, User) == before


def test_a_school_safety_officer_imports_people_for_their_own_school_only(app, world, login):
    rows = [PEOPLE[0], ["13900000020", "乙校网格员", "网格员", "乙中学", FIRST],
            ["13900000021", "新校长", "校长", "甲小学", FIRST]]
    safety = login("safety")
    reasons = by_row(people(safety, rows, dry_run=True))
    assert reasons == {2: ("create", ""),
                       3: ("refuse", "单位“乙中学”不存在或不在您的管辖范围内"),
                       4: ("refuse", f"您无权创建或修改“{shown(Role.PRINCIPAL)}”账号(只能管理级别比您低的角色)")}
    assert people(safety, rows[:1]).status_code == 200
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == "13800138000"))
        assert person.org_unit_id == world.school_a_id and person.role is Role.PATROLLER


def test_people_above_or_beside_the_importer_are_listed_as_they_are_but_never_changed(world, login):
    principal = login("principal")
    same = people(principal, [["safety", "safety", "分管安全副校长", "甲小学", ""],
                              ["principal", "principal", "校长", "甲小学", ""]], dry_run=True)
    assert [r["action"] for r in same.json["rows"]] == ["unchanged", "unchanged"]
    renamed = people(principal, [["safety", "赵副校长", "分管安全副校长", "甲小学", ""]], dry_run=True)
    assert by_row(renamed) == {2: ("refuse", "您无权修改这个账号(只能管理本辖区内级别比您低的人员)")}


def test_the_county_names_units_by_name_and_a_shared_name_is_refused(app, world, login):
    with app.app_context():
        for township in db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.TOWNSHIP)).all():
            add_org_unit(OrgKind.SCHOOL, "中心小学", township)
        db.session.commit()
    rows = [["13900000030", "钱督导", "乡镇督导", "二乡", FIRST],
            ["13900000031", "孙校长", "principal", "乙中学", FIRST],
            ["13900000032", "李老师", "教职工", "中心小学", FIRST]]
    response = people(login("county"), rows, dry_run=True)
    assert by_row(response) == {2: ("create", ""), 3: ("create", ""),
                                4: ("refuse", "单位名称“中心小学”有重名,无法确定是哪一个")}
    applied = people(login("county"), rows[:2])
    assert applied.status_code == 200, applied.json
    listed = {p["username"]: p for p in login("county").get("/api/users").json}
    assert listed["13900000030"]["role"] == "township_supervisor"
    assert listed["13900000031"]["role"] == "principal" and listed["13900000031"]["org_unit"]["name"] == "乙中学"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_people_from_csv_as_excel_saves_it(app, world, login, encoding):
    response = upload(login("safety"), "people", csv_bytes(PEOPLE, PEOPLE_HEADERS, encoding), dry_run=False,
                      name="人员.csv")
    assert response.status_code == 200, response.json
    assert [r["name"] for r in response.json["rows"]] == ["张明", "李芳", "王老师"]
    assert login("wang.teacher", FIRST).get("/api/me").json["user"]["display_name"] == "王老师"


def test_a_phone_number_typed_into_excel_as_a_number_is_a_username(world, login):
    rows = [[13800138000, "张明", "网格员", "甲小学", FIRST]]
    response = people(login("safety"), rows)
    assert response.status_code == 200, response.json
    login("13800138000", FIRST)
