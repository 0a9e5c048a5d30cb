"""What a scan shows: the point, its checklist, and its last inspection."""

from sqlalchemy import RowMapping, bindparam, select

from app.accounts.models import User
from app.accounts.session_user import SessionUser
from app.checklists.models import ChecklistItem
from app.database import fetch_all, fetch_one
from app.inspections.models import Inspection
from app.points.access import point_for_token
from app.points.levels import category_name, level_name


# Built once: scanning is the hot path.
_ITEMS = (
    select(ChecklistItem.id, ChecklistItem.position, ChecklistItem.text)
    .where(ChecklistItem.template_id == bindparam("template_id"), ChecklistItem.active)
    .order_by(ChecklistItem.position)
)
_LAST_INSPECTION = (
    select(Inspection.id, Inspection.submitted_at, Inspection.failed_count,
           User.id.label("user_id"), User.display_name)
    .join(User, User.id == Inspection.inspector_id)
    .where(Inspection.point_id == bindparam("point_id"))
    .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
    .limit(1)
)


def active_items(template_id: int) -> list[RowMapping]:
    """Return a template's current items (id, position, text) in order."""
    return fetch_all(_ITEMS, {"template_id": template_id})


def last_inspection(point_id: int) -> dict | None:
    """Return the point's latest inspection: id, when, by whom, how many failures."""
    row = fetch_one(_LAST_INSPECTION, {"point_id": point_id})
    if row is None:
        return None
    return {"id": row["id"], "at": row["submitted_at"], "failed_count": row["failed_count"],
            "by": {"id": row["user_id"], "display_name": row["display_name"]}}


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
    row = point_for_token(user, token)
    last = last_inspection(row["id"])
    point = {
        **point_view(row),
        "last_inspection": last,
        "last_inspected_at": last["at"] if last else None,
        "last_inspected_by": last["by"] if last else None,
    }
    return {"point": point, "items": active_items(row["template_id"])}
