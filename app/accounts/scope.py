"""The caller's scope: their org unit and everything below it."""

from sqlalchemy import ColumnElement, select

from app.accounts.session_user import SessionUser
from app.errors import abort
from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit


def in_scope(user: SessionUser, unit_path: str) -> bool:
    """Tell whether the org unit with this path lies in the user's subtree."""
    return unit_path.startswith(user.org_unit.path)


def visible_school(user: SessionUser, school_id: int) -> OrgUnit:
    """A school in the user's area, or abort with 404."""
    school = db.session.get(OrgUnit, school_id)
    if school is None or school.kind is not OrgKind.SCHOOL or not in_scope(user, school.path):
        abort(404, "No such school in your area.", error="unknown_school")
    return school


def units_in_scope(user: SessionUser) -> ColumnElement[bool]:
    """Return a condition on OrgUnit that keeps the user's subtree."""
    return OrgUnit.path.startswith(user.org_unit.path, autoescape=True)


def unit_ids_in_scope(user: SessionUser):
    """Return a subquery of the ids of the org units in the user's subtree."""
    return select(OrgUnit.id).where(units_in_scope(user)).scalar_subquery()
