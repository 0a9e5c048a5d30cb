"""Import the list of schools (学校名单) of a county: one row per school, under a township already there."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.permissions import require
from app.accounts.scope import units_in_scope
from app.accounts.session_user import SessionUser
from app.extensions import db
from app.imports.sheets import Column
from app.orgs.management import COUNTY_ONLY, add_unit
from app.orgs.models import OrgKind, OrgUnit

COLUMNS = (
    Column("township", "乡镇(街道)", True, "城关镇"),
    Column("name", "学校名称", True, "演示县第一中学"),
)
NAME_LENGTH = 100  # OrgUnit.name


@dataclass
class RowPlan:
    row: int
    action: str = "create"  # create / unchanged / refuse
    reasons: list[str] = field(default_factory=list)
    name: str = ""
    township_id: int | None = None


def _townships(user: SessionUser) -> dict[str, OrgUnit]:
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.TOWNSHIP, units_in_scope(user)))
    return {unit.name: unit for unit in units}  # names are unique within the county


def plan(user: SessionUser, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    """Decide, row by row, what importing would do; only a county admin may import schools (403)."""
    require(user, COUNTY_ONLY, "import schools")
    townships = _townships(user)
    seen: dict[tuple[int, str], int] = {}
    plans = []
    for number, cells in rows:
        name, township_name = cells.get("name", ""), cells.get("township", "")
        p = RowPlan(number, name=name)
        p.reasons = [f"缺少{c.header}" for c in COLUMNS if c.required and not cells.get(c.key)]
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
            p.township_id = township.id
            exists = db.session.scalar(select(OrgUnit.id).where(OrgUnit.parent_id == township.id, OrgUnit.name == name))
            if exists is not None:
                p.action = "unchanged"
        if p.reasons:
            p.action = "refuse"
        plans.append(p)
    return plans


def apply(user: SessionUser, plans: list[RowPlan]) -> None:
    """Add every new school, on record; the caller commits it as one transaction."""
    for p in plans:
        if p.action == "create":
            add_unit(user, OrgKind.SCHOOL, p.name, p.township_id)
