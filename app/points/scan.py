"""What a scan shows: the point, its checklist, and its last inspection."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.checklists.models import ChecklistItem
from app.extensions import db
from app.inspections.models import Inspection
from app.points.access import point_for_token
from app.points.models import RiskPoint


class ScannedPoint:
    """A risk point seen through a scan: the point plus who inspected it last."""

    def __init__(self, point: RiskPoint, last: Inspection | None):
        self._point = point
        self.last_inspection = last
        self.last_inspected_at = last.submitted_at if last else None
        self.last_inspected_by = last.inspector if last else None

    def __getattr__(self, name):
        return getattr(self._point, name)


def active_items(template_id: int) -> list[ChecklistItem]:
    """Return a template's current items in order."""
    return list(
        db.session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.template_id == template_id, ChecklistItem.active)
            .order_by(ChecklistItem.position)
        )
    )


def last_inspection(point_id: int) -> Inspection | None:
    """Return the point's latest inspection with its inspector."""
    return db.session.scalar(
        select(Inspection)
        .where(Inspection.point_id == point_id)
        .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
        .options(joinedload(Inspection.inspector))
        .limit(1)
    )


def scan(user: User, token: str) -> dict:
    """Resolve a scanned token into the point's checklist, within the user's scope."""
    point = point_for_token(user, token)
    return {
        "point": ScannedPoint(point, last_inspection(point.id)),
        "items": active_items(point.template_id),
    }
