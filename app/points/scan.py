"""What a scan shows: the point, its checklist, and its last inspection."""

from sqlalchemy import RowMapping, bindparam, func, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.accounts.session_user import SessionUser
from app.checklists.models import ChecklistItem
from app.database import fetch_all
from app.extensions import db
from app.inspections.models import Inspection
from app.points.access import TOKEN_POINT, point_for_token
from app.points.models import RiskPoint
from app.points.levels import category_name, level_name


# Built once: scanning is the hot path.
_ITEMS = (
    select(ChecklistItem.id, ChecklistItem.position, ChecklistItem.text)
    .where(ChecklistItem.template_id == bindparam("template_id"), ChecklistItem.active)
    .order_by(ChecklistItem.position)
)
_last_id = (
    select(Inspection.id)
    .where(Inspection.point_id == RiskPoint.id)
    .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
    .limit(1)
    .correlate(RiskPoint)
    .scalar_subquery()
)
_last = aliased(Inspection, name="last_inspection")
_last_by = aliased(User, name="last_inspector")
# The point and its latest inspection in one select.
_SCAN_POINT = (
    TOKEN_POINT.add_columns(
        _last.id.label("last_id"), _last.submitted_at.label("last_at"), _last.failed_count.label("last_failed"),
        _last_by.id.label("last_by_id"), _last_by.display_name.label("last_by_name"),
    )
    .outerjoin(_last, _last.id == _last_id)
    .outerjoin(_last_by, _last_by.id == _last.inspector_id)
)


def active_items(template_id: int) -> list[RowMapping]:
    """Return a template's current items (id, position, text) in order."""
    return fetch_all(_ITEMS, {"template_id": template_id})


def _last_inspection(row: RowMapping) -> dict | None:
    if row["last_id"] is None:
        return None
    return {"id": row["last_id"], "at": row["last_at"], "failed_count": row["last_failed"],
            "by": {"id": row["last_by_id"], "display_name": row["last_by_name"]}}


def last_inspections(point_ids: list[int]) -> dict[int, dict]:
    """Return the latest inspection of each of these points (a page of a list), by point id."""
    if not point_ids:
        return {}
    latest = (
        select(Inspection.point_id, func.max(Inspection.id).label("id"))
        .where(Inspection.point_id.in_(point_ids))
        .group_by(Inspection.point_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Inspection.point_id, Inspection.id, Inspection.submitted_at, Inspection.failed_count,
               User.id.label("user_id"), User.display_name)
        .join(latest, latest.c.id == Inspection.id)
        .join(User, User.id == Inspection.inspector_id)
    )
    return {row.point_id: {"id": row.id, "at": row.submitted_at, "failed_count": row.failed_count,
                           "by": {"id": row.user_id, "display_name": row.display_name}} for row in rows}


def point_view(row: RowMapping) -> dict:
    """Shape a point's columns as the API shows a point."""
    return {
        **row,
        "risk_level_name": level_name(row["risk_level"]),
        "category_name": category_name(row["category"]),
        "school": {"id": row["school_id"], "name": row["school_name"]},
        "grid": {"id": row["grid_id"], "name": row["grid_name"]} if row["grid_id"] else None,
    }


def scan(user: SessionUser, token: str) -> dict:
    """Resolve a scanned token into the point's checklist, within the user's scope."""
    row = point_for_token(user, token, query=_SCAN_POINT)
    last = _last_inspection(row)
    point = {
        **point_view(row),
        "last_inspection": last,
        "last_inspected_at": last["at"] if last else None,
        "last_inspected_by": last["by"] if last else None,
    }
    return {"point": point, "items": active_items(row["template_id"])}
