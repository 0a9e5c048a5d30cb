"""Patrol-quality flags (app.inspections.quality) as the reports show them: counts per school, a school's list."""

import json
from datetime import datetime

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.inspections.models import Inspection, InspectionFlag
from app.points.models import RiskPoint


def _in_span(query, starts: datetime, until: datetime):
    return query.where(Inspection.submitted_at >= starts, Inspection.submitted_at < until)


def flagged_counts(school_ids: list[int], starts: datetime, until: datetime) -> dict[int, int]:
    """Per school: how many of the span's inspections carry a flag."""
    query = (select(RiskPoint.school_id, func.count(func.distinct(InspectionFlag.inspection_id)))
             .join(Inspection, Inspection.id == InspectionFlag.inspection_id)
             .join(RiskPoint, RiskPoint.id == Inspection.point_id)
             .where(RiskPoint.school_id.in_(school_ids))
             .group_by(RiskPoint.school_id))
    return dict(db.session.execute(_in_span(query, starts, until)).all())


def flag_list(school_id: int, starts: datetime, until: datetime) -> list[dict]:
    """A school's flagged inspections of the span, newest first, each with its flags and their figures."""
    rows = db.session.execute(_in_span(
        select(InspectionFlag.kind, InspectionFlag.detail, Inspection.id, Inspection.submitted_at,
               Inspection.captured_at, RiskPoint.id, RiskPoint.name, User.display_name)
        .join(Inspection, Inspection.id == InspectionFlag.inspection_id)
        .join(RiskPoint, RiskPoint.id == Inspection.point_id)
        .join(User, User.id == Inspection.inspector_id)
        .where(RiskPoint.school_id == school_id), starts, until)
        .order_by(Inspection.submitted_at.desc(), Inspection.id.desc(), InspectionFlag.kind)
    ).all()
    found: dict[int, dict] = {}
    for kind, detail, inspection_id, submitted_at, captured_at, point_id, point_name, inspector in rows:
        entry = found.setdefault(inspection_id, {
            "inspection_id": inspection_id, "at": captured_at or submitted_at, "point_id": point_id,
            "point": point_name, "inspector": inspector, "flags": []})
        entry["flags"].append({"kind": kind, **json.loads(detail)})
    return list(found.values())
