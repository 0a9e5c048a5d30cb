"""周研判: a school's week, for its weekly safety meeting.

Completion of the periods that ended in the week; hazards by category and by level
(reported, closed out, still open at the week's end); the week's totals with overdue and
the mean time to close-out; the checklist items that failed most; the points nobody
inspected this week; each day's inspections, for the chart; and the inspections the
patrol-quality checks flagged.
"""

from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.inspections.models import Inspection, InspectionResult, ItemResult
from app.orgs.models import OrgUnit
from app.points.levels import category_name, level_name
from app.points.models import RiskPoint
from app.reports.completion import completion
from app.reports.day_number import day_number
from app.reports.flags import flag_list
from app.reports.hazard_figures import HazardCounts, close_out_hours, hazard_counts, rolled_up
from app.reports.periods import ReportPeriod
from app.reports.units import unit_json
from app.schedules.services import county_of, county_rules

TOP_ITEMS = 5

def _split(counts: dict, part: int, name) -> list[dict]:
    """Hazard counts by category (part 1) or level (part 2), biggest first."""
    rows = rolled_up(counts, lambda s, c, l: (c, l)[part - 1])
    return sorted(({"key": k, "name": name(k), **{f: v for f, v in c.as_json().items()
                                                     if f in ("reported", "closed", "open_at_end", "overdue_at_end")}}
                   for k, c in rows.items()), key=lambda r: (-r["open_at_end"] - r["reported"], r["key"]))

def _failed_items(school_id: int, period: ReportPeriod, until: datetime) -> list[dict]:
    rows = db.session.execute(
        select(InspectionResult.item_text, func.count(), func.count(func.distinct(Inspection.point_id)))
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .join(RiskPoint, RiskPoint.id == Inspection.point_id)
        .where(RiskPoint.school_id == school_id, InspectionResult.result == ItemResult.FAIL,
               Inspection.submitted_at >= period.starts, Inspection.submitted_at < until)
        .group_by(InspectionResult.item_text)
        .order_by(func.count().desc(), InspectionResult.item_text)
        .limit(TOP_ITEMS)
    ).all()
    return [{"item": text, "failures": n, "points": points} for text, n, points in rows]

def _not_inspected(school_id: int, period: ReportPeriod, until: datetime) -> list[dict]:
    inspected = select(Inspection.id).where(Inspection.point_id == RiskPoint.id,
                                            Inspection.submitted_at >= period.starts, Inspection.submitted_at < until)
    last = (select(func.max(Inspection.submitted_at)).where(Inspection.point_id == RiskPoint.id)
            .correlate(RiskPoint).scalar_subquery())
    points = db.session.execute(
        select(RiskPoint, last)
        .where(RiskPoint.school_id == school_id, RiskPoint.active, RiskPoint.created_at < until,
               ~inspected.exists())
        .order_by(RiskPoint.name)
    ).all()
    return [{"id": p.id, "name": p.name, "location": p.location, "risk_level": p.risk_level,
             "risk_level_name": p.risk_level_name, "frequency_name": p.frequency_name, "last_inspected_at": at}
            for p, at in points]

def _days(school_id: int, period: ReportPeriod, until: datetime) -> list[dict]:
    n = day_number(Inspection.submitted_at, period.starts)
    per_day = dict.fromkeys(range(len(period.days)), (0, 0))
    inner = (select(n.label("n"), Inspection.failed_count)
             .join(RiskPoint, RiskPoint.id == Inspection.point_id)
             .where(RiskPoint.school_id == school_id, Inspection.submitted_at >= period.starts,
                    Inspection.submitted_at < until).subquery())
    for number, count, failed in db.session.execute(
            select(inner.c.n, func.count(), func.sum(inner.c.failed_count)).group_by(inner.c.n)):
        per_day[int(number)] = (int(count), int(failed or 0))
    return [{"date": day.isoformat(), "inspections": per_day[i][0], "failed_items": per_day[i][1]}
            for i, day in enumerate(period.days)]

def weekly_report(school: OrgUnit, period: ReportPeriod, now: datetime) -> dict:
    until = min(period.ends, now)
    calendar, levels = county_rules(county_of(school.path))
    done = completion([school.id], period.first, period.end, now, calendar, levels)[school.id]
    counts = hazard_counts([school.id], period.starts, period.ends, now)
    whole = HazardCounts.of(counts.values())
    mean_hours, _ = close_out_hours([school.id], period.starts, period.ends).get(school.id, (None, 0))
    return {
        "unit": unit_json(school), "period": period.label, "first_day": period.first, "last_day": period.days[-1],
        "as_of": until,
        "completion": done.as_json(),
        "hazards": {**whole.as_json(), "mean_close_out_hours": mean_hours},
        "by_category": _split(counts, 1, category_name),
        "by_level": _split(counts, 2, level_name),
        "top_failed_items": _failed_items(school.id, period, until),
        "not_inspected": _not_inspected(school.id, period, until),
        "days": _days(school.id, period, until),
        "flags": flag_list(school.id, period.starts, until),
    }
