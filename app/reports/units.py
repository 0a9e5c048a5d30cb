"""Which org unit a report is about, and its schools: never outside the caller's subtree."""

from sqlalchemy import select

from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import in_scope
from app.accounts.session_user import SessionUser
from app.errors import abort
from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit


def report_unit(user: SessionUser, unit_id: int | None, kinds: tuple[OrgKind, ...] = tuple(OrgKind)) -> OrgUnit:
    """The unit asked for (default: the caller's own), if it is in the caller's subtree and of a kind the report takes."""
    require(user, MANAGERS, "read oversight reports")
    unit = db.session.get(OrgUnit, unit_id if unit_id is not None else user.org_unit.id)
    if unit is None or not in_scope(user, unit.path):
        abort(404, "No such org unit in your area.", error="unknown_unit")
    if unit.kind not in kinds:
        names = " or ".join(k.value for k in kinds)
        abort(422, f"This report is made for a {names}; {unit.name} is a {unit.kind.value}: choose one of its schools.",
              error="wrong_unit_kind")
    return unit


def schools_of(unit: OrgUnit) -> list[OrgUnit]:
    """The schools at or below the unit, by name."""
    if unit.kind is OrgKind.SCHOOL:
        return [unit]
    return list(db.session.scalars(
        select(OrgUnit).where(OrgUnit.kind == OrgKind.SCHOOL, OrgUnit.path.startswith(unit.path, autoescape=True))
        .order_by(OrgUnit.name)))


def unit_json(unit: OrgUnit) -> dict:
    return {"id": unit.id, "name": unit.name, "kind": unit.kind.value}


def township_names(schools: list[OrgUnit]) -> dict[int, str]:
    """Each school's township name, for the county's ranking."""
    parents = {s.parent_id for s in schools}
    names = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(parents))).all())
    return {s.id: names.get(s.parent_id, "") for s in schools}
