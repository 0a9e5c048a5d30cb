"""Managing risk points: create, change, retire; every change on record."""

import json

from sqlalchemy import select

from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import in_scope, visible_school
from app.accounts.session_user import SessionUser
from app.audit.services import record, snapshot
from app.checklists.models import ChecklistTemplate
from app.errors import abort
from app.extensions import db
from app.orgs.models import Grid, OrgUnit
from app.points.frequencies import FREQUENCIES
from app.points.levels import CATEGORIES, level_keys
from app.points.models import RiskPoint
from app.points.services import create_point, retire_point
from app.schedules.services import refresh_due

AUDITED = ("name", "location", "category", "risk_level", "responsible", "frequency", "grid_id", "template_id",
           "active", "latitude", "longitude", "school_days_only", "seasons")
#: what decides when the point is due
ON_SCHEDULE = {"frequency", "risk_level", "school_days_only", "seasons"}
#: what is printed on the label: changing it makes the posted label out of date
ON_LABEL = {"name", "location", "category", "risk_level", "responsible", "frequency"}


def visible_point(user: SessionUser, point_id: int) -> RiskPoint:
    """A point in the user's area, or abort with 404 (outside looks the same as unknown)."""
    point = db.session.get(RiskPoint, point_id)
    if point is None or not in_scope(user, point.school.path):
        abort(404, "No such risk point.", error="unknown_point")
    return point


def managed_point(user: SessionUser, point_id: int) -> RiskPoint:
    """A point the user may manage, or 404/403."""
    point = visible_point(user, point_id)
    require(user, MANAGERS, "manage risk points")
    return point


def _check(data: dict, school: OrgUnit) -> None:
    errors = {}
    if "category" in data and data["category"] not in CATEGORIES:
        errors["category"] = [f"must be one of {', '.join(CATEGORIES)}"]
    if "risk_level" in data and data["risk_level"] not in level_keys():
        errors["risk_level"] = [f"must be one of {', '.join(level_keys())}"]
    if data.get("frequency") is not None and data["frequency"] not in FREQUENCIES:
        errors["frequency"] = [f"must be one of {', '.join(FREQUENCIES)}, or null to follow the risk level"]
    if data.get("grid_id") is not None:
        grid = db.session.get(Grid, data["grid_id"])
        if grid is None or grid.school_id != school.id:
            errors["grid_id"] = ["no such grid at this school"]
    if data.get("template_id") is not None:
        template = db.session.get(ChecklistTemplate, data["template_id"])
        owner = db.session.get(OrgUnit, template.org_unit_id) if template and template.org_unit_id else None
        if template is None or (owner is not None and not school.path.startswith(owner.path)):
            errors["template_id"] = ["no such checklist template for this school"]
    if errors:
        abort(422, "The risk point's data is not valid: see `errors`.", error="invalid_point", errors=errors)


def seasons_json(seasons: list[dict]) -> str:
    """Seasons as stored: JSON in a canonical form, so an unchanged list compares equal."""
    return json.dumps([{k: s[k] for k in ("frequency", "start", "end", "vacation") if k in s} for s in seasons],
                      ensure_ascii=False, separators=(",", ":"))


def _unique_name(school: OrgUnit, name: str, point_id: int | None = None) -> None:
    clash = db.session.scalar(select(RiskPoint.id).where(RiskPoint.school_id == school.id, RiskPoint.name == name))
    if clash is not None and clash != point_id:
        abort(409, f"This school already has a risk point named {name!r}.", error="duplicate_point")


def shipped_template(category: str) -> ChecklistTemplate:
    return db.session.scalar(select(ChecklistTemplate).where(
        ChecklistTemplate.org_unit_id.is_(None), ChecklistTemplate.category == category))


def add_point(user: SessionUser, data: dict) -> RiskPoint:
    """Create a risk point at a school in the user's area, with its first QR token."""
    require(user, MANAGERS, "create risk points")
    school = visible_school(user, data["school_id"])
    _check(data, school)
    _unique_name(school, data["name"])
    template = (db.session.get(ChecklistTemplate, data["template_id"]) if data.get("template_id")
                else shipped_template(data["category"]))
    grid = db.session.get(Grid, data["grid_id"]) if data.get("grid_id") else None
    point = create_point(school, data["name"], data["category"], data["risk_level"], template, grid=grid,
                         location=data.get("location", ""), responsible=data.get("responsible", ""))
    point.latitude, point.longitude = data.get("latitude"), data.get("longitude")
    point.frequency = data.get("frequency")
    point.school_days_only = data.get("school_days_only", False)
    point.seasons = seasons_json(data.get("seasons") or [])
    db.session.flush()
    refresh_due([point.id])
    record(user.id, "create", "risk_point", point.id, None, snapshot(point, AUDITED))
    return point


def change_point(user: SessionUser, point: RiskPoint, data: dict) -> RiskPoint:
    """Change a point's fields; a change of level needs a reason and is kept in its history."""
    reason = data.pop("reason", "").strip()
    if "seasons" in data:
        data["seasons"] = seasons_json(data["seasons"])
    _check(data, point.school)
    if "name" in data:
        _unique_name(point.school, data["name"], point.id)
    changed = {k: v for k, v in data.items() if getattr(point, k) != v}
    if "risk_level" in changed and not reason:
        abort(422, "Changing a point's risk level is a decision on record: give the reason.",
              error="reason_required", errors={"reason": ["required when risk_level changes"]})
    if not changed:
        return point
    before = snapshot(point, AUDITED)
    for field, value in changed.items():
        setattr(point, field, value)
    if ON_LABEL & changed.keys():
        point.label_version += 1  # the posted label is out of date: the next "new" batch prints it
    db.session.flush()
    if ON_SCHEDULE & changed.keys():
        refresh_due([point.id])
    record(user.id, "update", "risk_point", point.id, before, snapshot(point, AUDITED), reason)
    return point


def retire(user: SessionUser, point: RiskPoint, reason: str) -> RiskPoint:
    """Retire a point: its code stops working, its history stays."""
    if not point.active:
        abort(409, "This point is already retired.", error="point_retired")
    before = snapshot(point, AUDITED)
    retire_point(point)
    point.due_at = None  # a retired point asks for nothing
    record(user.id, "retire", "risk_point", point.id, before, snapshot(point, AUDITED), reason)
    return point
