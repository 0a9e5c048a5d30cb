"""月调度: a month of a township or county (or one school), for the monthly dispatch meeting.

Every school ranked by inspection completion, then fewest missed periods, then on-time
rectification; the township subtotals; the hazards under listed supervision (挂牌督办)
open at any time in the month; the escalations that reached the township or the county;
and the trend over the months before.
"""

from datetime import datetime

from sqlalchemy import and_, or_, select

from app.escalation.describe import describe
from app.escalation.models import Escalation, EscalationStep
from app.extensions import db
from app.hazards.models import Hazard, State
from app.orgs.models import OrgKind, OrgUnit
from app.reports.completion import Completion, completion
from app.reports.flags import flagged_counts
from app.reports.hazard_figures import HazardCounts, hazards_by_school
from app.reports.periods import ReportPeriod
from app.reports.units import schools_of, township_names, unit_json
from app.schedules.services import county_of, county_rules

TREND_MONTHS = 6
#: escalation levels that reach above the school: 3 the township, 4 the county
ABOVE_SCHOOL = 3


def _school_rows(schools: list[OrgUnit], towns: dict[int, str], done: dict[int, Completion],
                 hazards: dict[int, HazardCounts], flagged: dict[int, int]) -> list[dict]:
    rows = [{"id": s.id, "name": s.name, "township": towns[s.id], "completion": done[s.id].as_json(),
             "hazards": hazards.get(s.id, HazardCounts()).as_json(), "flagged": flagged.get(s.id, 0)}
            for s in schools]

    def order(row):
        rate, on_time = row["completion"]["rate"], row["hazards"]["on_time_rate"]
        return (-(rate if rate is not None else -1), row["completion"]["missed"],
                -(on_time if on_time is not None else -1), row["name"])

    rows.sort(key=order)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def _townships(schools: list[OrgUnit], towns: dict[int, str], done: dict, hazards: dict) -> list[dict]:
    by_town: dict[int, tuple[Completion, HazardCounts, list]] = {}
    for school in schools:
        c, h, members = by_town.setdefault(school.parent_id, (Completion(), HazardCounts(), []))
        c.add(done[school.id])
        h.add(hazards.get(school.id, HazardCounts()))
        members.append(school.id)
    return sorted(({"id": town_id, "name": towns[members[0]], "schools": len(members), "completion": c.as_json(),
                    "hazards": h.as_json()} for town_id, (c, h, members) in by_town.items()),
                  key=lambda r: r["name"])


def _supervised(school_ids: list[int], period: ReportPeriod) -> list[dict]:
    hazards = db.session.scalars(
        select(Hazard).where(Hazard.school_id.in_(school_ids), Hazard.supervised, Hazard.state != State.VOIDED,
                             Hazard.reported_at < period.ends,
                             or_(Hazard.closed_at.is_(None), Hazard.closed_at >= period.starts))
        .order_by(Hazard.reported_at)
    ).all()
    schools = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)
                                      .where(OrgUnit.id.in_({h.school_id for h in hazards}))).all())
    return [{"id": h.id, "number": h.number, "school": schools[h.school_id], "category": h.category,
             "category_name": h.category_name, "risk_level": h.risk_level, "risk_level_name": h.risk_level_name,
             "description": h.description, "state": h.state.value, "deadline": h.deadline, "closed_at": h.closed_at}
            for h in hazards]


def _escalations(school_ids: list[int], period: ReportPeriod) -> list[dict]:
    found = db.session.execute(
        select(Escalation, EscalationStep)
        .join(EscalationStep, EscalationStep.escalation_id == Escalation.id)
        .where(Escalation.school_id.in_(school_ids), EscalationStep.level >= ABOVE_SCHOOL,
               and_(EscalationStep.at >= period.starts, EscalationStep.at < period.ends))
        .order_by(EscalationStep.at, EscalationStep.id)
    ).all()
    describe([e for e, _ in found], with_steps=False)
    return [{"escalation_id": e.id, "subject": e.subject, "subject_id": e.subject_id, "trigger": e.trigger,
             "title": e.title, "school": e.school_name, "risk_level": e.risk_level, "level": step.level,
             "at": step.at, "acknowledged_at": step.acknowledged_at, "resolved_at": e.resolved_at}
            for e, step in found]


def _totals(period: ReportPeriod, done: dict[int, Completion], hazards: dict) -> dict:
    return {"period": period.label, "completion": Completion.of(done.values()).as_json(),
            "hazards": HazardCounts.of(hazards.values()).as_json()}


def month_totals(school_ids: list[int], period: ReportPeriod, now: datetime, calendar, levels) -> dict:
    """A month's completion and hazard figures for these schools together."""
    return _totals(period, completion(school_ids, period.first, period.end, now, calendar, levels),
                   hazards_by_school(school_ids, period, now))


def monthly_report(unit: OrgUnit, period: ReportPeriod, now: datetime) -> dict:
    schools = schools_of(unit)
    ids = [s.id for s in schools]
    calendar, levels = county_rules(county_of(unit.path))
    done = completion(ids, period.first, period.end, now, calendar, levels)
    hazards = hazards_by_school(ids, period, now)
    this_month = _totals(period, done, hazards)
    flagged = flagged_counts(ids, period.starts, min(period.ends, now)) if ids else {}
    towns = township_names(schools)
    rows = _school_rows(schools, towns, done, hazards, flagged)
    earlier, trend = period, []
    for _ in range(TREND_MONTHS - 1):
        earlier = earlier.previous()
        trend.append(month_totals(ids, earlier, now, calendar, levels))
    trend.reverse()
    trend.append(this_month)
    return {
        "unit": unit_json(unit), "period": period.label, "as_of": min(period.ends, now),
        "total": {"schools": len(schools), "completion": this_month["completion"],
                  "hazards": this_month["hazards"]},
        "schools": rows,
        "townships": _townships(schools, towns, done, hazards) if unit.kind is OrgKind.COUNTY else [],
        "supervised": _supervised(ids, period),
        "escalations": _escalations(ids, period),
        "trend": trend,
    }
