"""Import the list of schools (学校名单) of a county: one row per school, under a township already there."""

from app.accounts.permissions import require
from app.accounts.session_user import SessionUser
from app.imports.plans import RowPlan, missing_cells, units_by_name
from app.imports.sheets import Column
from app.orgs.management import COUNTY_ONLY, add_unit
from app.orgs.models import OrgKind

COLUMNS = (
    Column("township", "乡镇(街道)", True, "城关镇"),
    Column("name", "学校名称", True, "演示县第一中学"),
)
NAME_LENGTH = 100  # OrgUnit.name


def plan(user: SessionUser, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    """Decide, row by row, what importing would do; only a county admin may import schools (403)."""
    require(user, COUNTY_ONLY, "import schools")
    # names are unique within a county: one township per name
    townships = {name: units[0] for name, units in units_by_name(user, OrgKind.TOWNSHIP).items()}
    schools = units_by_name(user, OrgKind.SCHOOL)
    seen: dict[tuple[int, str], int] = {}
    plans = []
    for number, cells in rows:
        name, township_name = cells.get("name", ""), cells.get("township", "")
        p = RowPlan(number, name=name, reasons=missing_cells(cells, COLUMNS))
        if len(name) > NAME_LENGTH:
            p.reasons.append(f"学校名称过长(最多 {NAME_LENGTH} 字)")
        township = townships.get(township_name)
        if township_name and township is None:
            p.reasons.append(f"乡镇“{township_name}”不存在或不在您的管辖范围内,请先添加乡镇")
        if township is not None and name:
            key = (township.id, name)
            if key in seen:
                p.reasons.append(f"与第 {seen[key]} 行重复(同一乡镇的学校名称)")
            seen.setdefault(key, number)
            p.parent_id = township.id
            if any(school.parent_id == township.id for school in schools.get(name, [])):
                p.action = "unchanged"
        plans.append(p.settle())
    return plans


def apply(user: SessionUser, plans: list[RowPlan]) -> None:
    """Add every new school, on record; the caller commits it as one transaction."""
    for p in plans:
        if p.action == "create":
            add_unit(user, OrgKind.SCHOOL, p.name, p.parent_id)
