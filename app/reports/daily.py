"""日排查: a day's patrol, per school and rolled up.

For each active point, on the day:
- **due**: its period (the day, the week...) still asked for an inspection when the day began;
- **inspected**: due, and inspected that day;
- **overdue**: overdue when the day ended (or now, for today), exactly as its due time would
  say: replayed from its last inspection before then, by the same rules.
Then the failures the day's inspections found, the hazards reported, assigned and closed
out that day, and how many inspections the patrol-quality checks flagged.
"""

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.inspections.models import Inspection
from app.orgs.models import OrgKind, OrgUnit
from app.points.models import RiskPoint
from app.reports.flags import flagged_counts
from app.reports.hazard_figures import counts_by_school
from app.reports.periods import ReportPeriod
from app.reports.units import schools_of, unit_json
from app.schedules.periods import due_by, period_of
from app.schedules.services import county_of, county_rules, make_schedule, start_of
from app.timezones import school_zone

FIGURES = ("points", "due", "inspected", "overdue", "inspections", "failed_items", "failed_inspections",
           "hazards_reported", "hazards_assigned", "hazards_closed", "flagged")


def _local(at: datetime) -> date:
    return at.astimezone(school_zone()).date()


def _points(school_ids: list[int], period: ReportPeriod, until: datetime) -> list:
    last_before = (select(func.max(Inspection.submitted_at))
                   .where(Inspection.point_id == RiskPoint.id, Inspection.submitted_at < period.starts)
                   .correlate(RiskPoint).scalar_subquery())
    return db.session.execute(
        select(RiskPoint.id, RiskPoint.school_id, RiskPoint.name, RiskPoint.risk_level, RiskPoint.frequency,
               RiskPoint.seasons, RiskPoint.school_days_only, RiskPoint.created_at, last_before.label("last_before"))
        .where(RiskPoint.school_id.in_(school_ids), RiskPoint.active, RiskPoint.created_at < until)
        .order_by(RiskPoint.school_id, RiskPoint.id)
    ).all()


def _inspections(point_ids, school_ids, starts: datetime, until: datetime) -> dict[int, list]:
    """(submitted_at, failed_count) of inspections in [starts, until), by point: of these points or these schools."""
    query = select(Inspection.point_id, Inspection.submitted_at, Inspection.failed_count).where(
        Inspection.submitted_at >= starts, Inspection.submitted_at < until)
    if point_ids is not None:
        query = query.where(Inspection.point_id.in_(point_ids))
    else:
        query = query.join(RiskPoint, RiskPoint.id == Inspection.point_id).where(RiskPoint.school_id.in_(school_ids))
    found = defaultdict(list)
    for point_id, at, failed in db.session.execute(query.order_by(Inspection.submitted_at)):
        found[point_id].append((at, failed))
    return found


def point_states(school_ids: list[int], period: ReportPeriod, now: datetime, calendar, levels) -> list[dict]:
    """Each active point's day: due, inspected (how often), overdue at the day's end or now."""
    day, until = period.first, min(period.ends, now)
    points = _points(school_ids, period, until)
    today = _inspections(None, school_ids, period.starts, until)
    schedules, plans = {}, []
    for row in points:
        key = (row.frequency, row.risk_level, row.seasons, row.school_days_only)
        if key not in schedules:
            schedules[key] = make_schedule(*key, levels)
        schedule = schedules[key]
        current = period_of(schedule, calendar, day)
        last = today[row.id][-1][0] if today[row.id] else row.last_before
        last_period = period_of(schedule, calendar, _local(last)) if last else None
        plans.append((row, schedule, current, last, last_period))
    # two or more a period (twice a week): count what came before, not just whether something did
    counted = [p[0].id for p in plans if p[2].required > 1 or (p[4] and p[4].required > 1)]
    earlier = {}
    if counted:
        since = min(min(p[2].start, p[4].start if p[4] else p[2].start) for p in plans if p[0].id in counted)
        earlier = _inspections(counted, None, start_of(since), period.starts)
    states = []
    for row, schedule, current, last, last_period in plans:
        before = [_local(at) for at, _ in earlier.get(row.id, [])]
        if current.required > 1:
            done_before = sum(current.start <= d for d in before)
        else:
            done_before = int(row.last_before is not None and _local(row.last_before) >= current.start)
        on_day = today[row.id]
        due = current.required > done_before
        if last is None:
            due_day = due_by(schedule, calendar, _local(row.created_at), [])
        else:
            seen = [d for d in before + [day] * len(on_day) if d >= last_period.start] or [_local(last)]
            due_day = due_by(schedule, calendar, _local(last), seen)
        due_at = start_of(due_day)
        states.append({
            "id": row.id, "school_id": row.school_id, "name": row.name, "risk_level": row.risk_level,
            "due": due, "inspections": len(on_day), "failed_items": sum(f for _, f in on_day),
            "failed_inspections": sum(f > 0 for _, f in on_day),
            "overdue": due_at is not None and due_at <= until, "due_at": due_at,
        })
    return states


def _blank() -> dict:
    return dict.fromkeys(FIGURES, 0)


def daily_report(unit: OrgUnit, period: ReportPeriod, now: datetime) -> dict:
    schools = schools_of(unit)
    ids = [s.id for s in schools]
    calendar, levels = county_rules(county_of(unit.path))
    per_school = {s.id: _blank() for s in schools}
    states = point_states(ids, period, now, calendar, levels) if ids else []
    for p in states:
        figures = per_school[p["school_id"]]
        figures["points"] += 1
        figures["due"] += p["due"]
        figures["inspected"] += p["due"] and p["inspections"] > 0
        figures["overdue"] += p["overdue"]
        figures["inspections"] += p["inspections"]
        figures["failed_items"] += p["failed_items"]
        figures["failed_inspections"] += p["failed_inspections"]
    hazards = counts_by_school(ids, period.starts, period.ends, now)
    for school_id, counts in hazards.items():
        per_school[school_id].update(hazards_reported=counts.reported, hazards_assigned=counts.assigned,
                                     hazards_closed=counts.closed)
    for school_id, n in (flagged_counts(ids, period.starts, min(period.ends, now)) if ids else {}).items():
        per_school[school_id]["flagged"] = n
    total = _blank()
    for figures in per_school.values():
        for k in FIGURES:
            total[k] += figures[k]
    body = {
        "unit": unit_json(unit), "period": period.label, "as_of": min(period.ends, now),
        "total": total,
        "schools": [{"id": s.id, "name": s.name, **per_school[s.id]} for s in schools],
    }
    if unit.kind is OrgKind.SCHOOL:  # the school's own list: what is still to do, overdue first
        body["points"] = sorted(
            ({k: p[k] for k in ("id", "name", "risk_level", "due", "inspections", "overdue", "due_at")}
             for p in states if p["due"] or p["overdue"] or p["inspections"]),
            key=lambda p: (not p["overdue"], p["inspections"] > 0, p["name"]))
    return body
