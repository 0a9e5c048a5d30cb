"""Import people (人员名单): new accounts with a first password, or changes to people already there.

New people go through `add_person` and changes through `change_person`, so the rules of the
people screens (rank, area, kind of unit, usernames, weak passwords, first-login password
change, audit) hold here too; the plan finds the same refusals without aborting. Passwords of
people already there are never touched: importing a sheet again resets nobody.
"""

from sqlalchemy import select

from app.accounts.management import add_person, change_person, place_problem, username_problem
from app.accounts.models import ROLE_ORG_KIND, Role, User
from app.accounts.permissions import outranks
from app.accounts.scope import in_scope
from app.accounts.passwords import (
    COMMON_PASSWORD, GUESSABLE_PASSWORD, NAME_IN_PASSWORD, SHORT_PASSWORD, password_problem,
)
from app.accounts.session_user import SessionUser
from app.extensions import db
from app.imports.plans import RowPlan, missing_cells, units_by_name
from app.imports.sheets import Column
from app.orgs.models import OrgKind, OrgUnit

COLUMNS = (
    Column("username", "用户名", True, "13800138000"),
    Column("display_name", "姓名", True, "张明"),
    Column("role", "角色", True, "网格员"),
    Column("unit", "单位", True, "演示县第一中学"),
    Column("password", "初始密码", False, "Qiao-Lantern-58"),  # needed for new people only (an example the rules accept)
)
#: role names as people write them; the first is the one the app shows (pwa/i18n role.*) and messages use
ROLE_NAMES = {
    Role.PATROLLER: ("网格员", "安全员", "巡查员", "巡检员", "grid patroller"),
    Role.GRID_LEADER: ("网格长", "grid leader"),
    Role.TEACHER: ("教职工", "教师", "老师", "班主任"),
    Role.SAFETY_OFFICER: ("分管安全副校长", "安全副校长", "分管安全校长", "safety officer"),
    Role.PRINCIPAL: ("校长",),
    Role.TOWNSHIP_SUPERVISOR: ("乡镇督导", "乡镇督导员", "督导", "township supervisor"),
    Role.COUNTY_ADMIN: ("县教体局安全股", "安全股", "县教体局", "county admin"),
}
KIND_NAMES = {OrgKind.COUNTY: "县", OrgKind.TOWNSHIP: "乡镇(街道)", OrgKind.SCHOOL: "学校"}
PASSWORD_REASONS = {SHORT_PASSWORD: "初始密码至少需要 8 位",
                    GUESSABLE_PASSWORD: "初始密码太容易被猜到(不同的字符太少)",
                    COMMON_PASSWORD: "初始密码是最常用的密码之一,很容易被猜到",
                    NAME_IN_PASSWORD: "初始密码不能包含用户名或手机号"}
NAME_LENGTH, PASSWORD_LENGTH = 100, 256  # as the people API accepts them


def role_key(text: str) -> Role | None:
    """A role from its Chinese name (网格员, 安全员), its English name or its key (patroller).

    The name each role is shown by wins over the other names, should two roles share one.
    """
    text = text.strip().lower().replace("_", " ")
    for first in (True, False):
        for role, known in ROLE_NAMES.items():
            if text in (role.value.replace("_", " "), *(n.lower() for n in (known[:1] if first else known[1:]))):
                return role
    return None


def _place(user: SessionUser, role: Role, text: str, units: dict, reasons: list[str]) -> OrgUnit | None:
    """The unit named `text` for a person of `role`, or None with the reason why not."""
    matches = units.get(text, [])
    fitting = [u for u in matches if u.kind is ROLE_ORG_KIND[role]]
    if len(fitting) > 1:
        reasons.append(f"单位名称“{text}”有重名,无法确定是哪一个")
        return None
    unit = fitting[0] if fitting else (matches[0] if matches else None)
    problem = place_problem(user, role, unit)
    if problem is None:
        return unit
    role_name = ROLE_NAMES[role][0]
    reasons.append({
        "forbidden": f"您无权创建或修改“{role_name}”账号(只能管理级别比您低的角色)",
        "unknown_org_unit": f"单位“{text}”不存在或不在您的管辖范围内",
        "wrong_org_kind": f"{role_name}应属于{KIND_NAMES[ROLE_ORG_KIND[role]]},"
                          f"而“{text}”是{KIND_NAMES[unit.kind]}" if unit else "",
    }[problem[1]])
    return None


def _plan_new(username: str, name: str, role: Role, unit: OrgUnit | None, password: str, p: RowPlan) -> None:
    if username and username_problem(username):
        p.reasons.append(f"用户名“{username}”不符合要求(3–64 位字母、数字或 . _ @ + -,可用手机号)")
    weak = password_problem(password, username) if password and username else None
    if not password:
        p.reasons.append("缺少初始密码(新账号必须填写)")
    elif len(password) > PASSWORD_LENGTH:
        p.reasons.append(f"初始密码过长(最多 {PASSWORD_LENGTH} 位)")
    elif weak:
        p.reasons.append(PASSWORD_REASONS[weak])
    if unit is not None:
        p.values = {"username": username, "display_name": name, "role": role, "org_unit_id": unit.id,
                    "password": password}


def _plan_change(person: User, name: str, role: Role, unit: OrgUnit | None, p: RowPlan) -> None:
    p.target_id = person.id
    if unit is None or not name:
        return  # refused already
    changes = {"display_name": name} if name != person.display_name else {}
    if (role, unit.id) != (person.role, person.org_unit_id):
        changes |= {"role": role, "org_unit_id": unit.id}
    p.values, p.action = changes, "update" if changes else "unchanged"


def _plan_row(user: SessionUser, cells: dict[str, str], units: dict, people: dict[str, User], p: RowPlan) -> None:
    username, name, unit_name = cells.get("username", ""), cells.get("display_name", ""), cells.get("unit", "")
    role = role_key(cells["role"]) if cells.get("role") else None
    if cells.get("role") and role is None:
        names = "、".join(names[0] for names in ROLE_NAMES.values())
        p.reasons.append(f"角色“{cells['role']}”无法识别(应为 {names})")
    if len(name) > NAME_LENGTH:
        p.reasons.append(f"姓名过长(最多 {NAME_LENGTH} 字)")
    person = people.get(username)
    if person is not None and not in_scope(user, person.org_unit.path):
        p.reasons.append(f"用户名“{username}”已被占用,请换一个")  # someone elsewhere: say no more
        return
    if person is not None and (person.id == user.id or not outranks(user, person.role)):
        # a peer or a superior in the user's own area (whom they can list): as it is, or refused
        if (name, role, unit_name) != (person.display_name, person.role, person.org_unit.name):
            p.reasons.append("您无权修改这个账号(只能管理本辖区内级别比您低的人员)")
        p.action = "unchanged"
        return
    if role is None and unit_name and unit_name not in units:
        p.reasons.append(f"单位“{unit_name}”不存在或不在您的管辖范围内")
    unit = _place(user, role, unit_name, units, p.reasons) if role and unit_name else None
    if person is None:
        _plan_new(username, name, role, unit, cells.get("password", ""), p)
    else:
        _plan_change(person, name, role, unit, p)


def plan(user: SessionUser, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    """Decide, row by row, what importing would do and why a row is refused (in Chinese)."""
    units = units_by_name(user)
    usernames = {cells["username"] for _, cells in rows if cells.get("username")}
    people = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(usernames)))}
    seen: dict[str, int] = {}
    plans = []
    for number, cells in rows:
        p = RowPlan(number, name=cells.get("display_name") or cells.get("username", ""),
                    reasons=missing_cells(cells, COLUMNS))
        username = cells.get("username", "")
        if username in seen:
            p.reasons.append(f"与第 {seen[username]} 行重复(同一用户名)")
        elif username:
            seen[username] = number
        _plan_row(user, cells, units, people, p)
        plans.append(p.settle())
    return plans


def apply(user: SessionUser, plans: list[RowPlan]) -> None:
    """Create and change the people of a plan with no refused row; the caller commits it as one transaction."""
    for p in plans:
        if p.action == "create":
            add_person(user, p.values)
        elif p.action == "update":
            change_person(user, db.session.get(User, p.target_id), p.values)
