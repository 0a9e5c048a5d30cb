"""Hazard figures of schools over a span: reported, assigned, closed out, still open, overdue, on time.

Voided reports (duplicates, false reports) are not counted. "Open at the end" is reported
before the span's end and not closed out by then; "overdue" is open at the end, past its
deadline and not rectified by then. A hazard is rectified on time (按期整改) when its
deadline falls in the span and its rectification -- the last one submitted, or the
close-out -- came by the deadline.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.hazards.models import Hazard, State
from app.reports.kept import kept
from app.reports.models import HazardSnapshot
from app.reports.periods import ReportPeriod


@dataclass
class HazardCounts:
    reported: int = 0
    assigned: int = 0
    closed: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0
    due: int = 0  # deadlines in the span (that have passed)
    on_time: int = 0  # of those, rectified by the deadline

    @classmethod
    def of(cls, parts) -> "HazardCounts":
        """The sum of several counts."""
        whole = cls()
        for part in parts:
            whole.add(part)
        return whole

    def add(self, other: "HazardCounts") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.due, 4) if self.due else None

    def as_json(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "on_time_rate": self.on_time_rate}


def _between(column, starts: datetime, ends: datetime):
    return and_(column >= starts, column < ends)


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def hazard_counts(school_ids: list[int], starts: datetime, ends: datetime,
                  now: datetime) -> dict[tuple[int, str, str], HazardCounts]:
    """Counts per (school, category, risk level) for [starts, ends), as things stood at min(ends, now)."""
    until = min(ends, now)
    h = Hazard
    open_at_end = and_(h.reported_at < until, or_(h.closed_at.is_(None), h.closed_at >= until))
    rectified_by_deadline = func.coalesce(h.rectified_at, h.closed_at) <= h.deadline
    query = (
        select(h.school_id, h.category, h.risk_level,
               _count(_between(h.reported_at, starts, ends)),
               _count(_between(h.assigned_at, starts, ends)),
               _count(_between(h.closed_at, starts, ends)),
               _count(open_at_end),
               _count(and_(open_at_end, h.deadline < until,
                           or_(h.rectified_at.is_(None), h.rectified_at >= until))),
               _count(_between(h.deadline, starts, until)),
               _count(and_(_between(h.deadline, starts, until), rectified_by_deadline)))
        .where(h.school_id.in_(school_ids), h.state != State.VOIDED, h.reported_at < ends,
               or_(h.closed_at.is_(None), h.closed_at >= starts, h.deadline >= starts))
        .group_by(h.school_id, h.category, h.risk_level)
    )
    found: dict[tuple[int, str, str], HazardCounts] = {}
    for school_id, category, level, *counts in db.session.execute(query):
        found[(school_id, category, level)] = HazardCounts(*(int(c or 0) for c in counts))
    return found


def rolled_up(counts: dict[tuple, HazardCounts], key) -> dict:
    """Sum counts by key(school_id, category, level): e.g. lambda s, c, l: s for per school."""
    out: dict = defaultdict(HazardCounts)
    for parts, one in counts.items():
        out[key(*parts)].add(one)
    return out


def counts_by_school(school_ids: list[int], starts: datetime, ends: datetime, now: datetime) -> dict[int, HazardCounts]:
    """Each school's counts for [starts, ends), as things stood at min(ends, now); schools with none left out."""
    return rolled_up(hazard_counts(school_ids, starts, ends, now), lambda s, c, l: s) if school_ids else {}


def hazards_by_school(school_ids: list[int], period: ReportPeriod, now: datetime) -> dict[int, HazardCounts]:
    """Each school's counts for the period: kept once the period has ended (app.reports.kept)."""
    def count(ids: list[int]) -> dict[int, HazardCounts]:
        return counts_by_school(ids, period.starts, period.ends, now)

    if not school_ids or period.ends > now:
        return count(school_ids)
    return kept(HazardSnapshot, HazardCounts, school_ids, period.first, period.end, count)


def close_out_hours(school_ids: list[int], starts: datetime, ends: datetime) -> dict[int, tuple[float, int]]:
    """Per school: the mean hours from report to close-out of hazards closed out in the span, and how many."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
    for school_id, reported_at, closed_at in db.session.execute(
        select(Hazard.school_id, Hazard.reported_at, Hazard.closed_at)
        .where(Hazard.school_id.in_(school_ids), Hazard.state == State.CLOSED,
               _between(Hazard.closed_at, starts, ends))
    ):
        sums[school_id][0] += (closed_at - reported_at).total_seconds() / 3600
        sums[school_id][1] += 1
    return {s: (round(total / n, 1), n) for s, (total, n) in sums.items()}
