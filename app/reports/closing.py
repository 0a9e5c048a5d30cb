"""Closing the month (月结): keep every school's figures of the months just ended.

The county's monthly report ranks its schools and draws six months of trend; computed on
demand, the first person to open it after a month ends would wait for six months of
inspections to be matched to their periods. The escalation loop (`flask escalate`) calls
this after each sweep: when nothing is missing it costs two counts per county.
"""

from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit
from app.reports.completion import completion
from app.reports.hazard_figures import hazards_by_school
from app.reports.models import CompletionSnapshot, HazardSnapshot
from app.reports.monthly import TREND_MONTHS
from app.reports.periods import ReportPeriod, period_holding
from app.reports.units import schools_of
from app.schedules.services import county_rules, local_today


def _kept_spans(model, school_ids: list[int], oldest: ReportPeriod) -> dict[tuple, int]:
    """How many schools have figures kept, per span (first, end) from `oldest` on (weeks too)."""
    rows = db.session.execute(
        select(model.first, model.end, func.count()).where(model.school_id.in_(school_ids),
                                                           model.first >= oldest.first)
        .group_by(model.first, model.end))
    return {(first, end): n for first, end, n in rows}


def close_months(now: datetime, months: int = TREND_MONTHS) -> list[str]:
    """Keep the figures of each county's last `months` ended months where a school lacks them (the caller commits).

    Returns what it closed, e.g. ["城关县 2026-10: 312 schools"].
    """
    last = period_holding("month", local_today(now)).previous()
    wanted = [last]
    while len(wanted) < months:
        wanted.append(wanted[-1].previous())
    closed = []
    for county in db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.COUNTY).order_by(OrgUnit.id)):
        ids = [school.id for school in schools_of(county)]
        if not ids:
            continue
        done, counted = (_kept_spans(model, ids, wanted[-1]) for model in (CompletionSnapshot, HazardSnapshot))
        calendar, levels = county_rules(county.id)
        for period in wanted:
            span = (period.first, period.end)
            if done.get(span, 0) == len(ids) and counted.get(span, 0) == len(ids):
                continue
            completion(ids, period.first, period.end, now, calendar, levels)
            hazards_by_school(ids, period, now)
            closed.append(f"{county.name} {period.label}: {len(ids)} schools")
    return closed
