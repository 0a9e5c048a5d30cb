"""Inspection completion (巡查完成率) of schools over a span of days.

Every period of a point's schedule that ends within the span (and has ended) asks for
its number of inspections: one a day for a red point, two a week for orange... The
completion is what was done of what was asked, each period counting at most what it
asked; a period that got less than it asked is missed (漏检). A point counts from the
period in which it was created; retired points are left out.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, case, column, func, select, values

from app.extensions import db
from app.inspections.models import Inspection
from app.points.models import RiskPoint
from app.reports.day_number import day_number
from app.reports.kept import kept
from app.reports.models import CompletionSnapshot
from app.reports.schedule_groups import Group, group_number, schedule_groups
from app.schedules.periods import Period, periods_from
from app.schedules.services import local_today, start_of
from app.timezones import school_zone


@dataclass
class Completion:
    asked: int = 0  # inspections the periods asked for
    done: int = 0  # of those, done (a period counts at most what it asked)
    periods: int = 0  # point-periods that asked for something
    met: int = 0  # of those, given all they asked

    @property
    def missed(self) -> int:
        return self.periods - self.met

    @property
    def rate(self) -> float | None:
        return round(self.done / self.asked, 4) if self.asked else None

    @classmethod
    def of(cls, parts) -> "Completion":
        """The sum of several schools' (or spans') completion."""
        whole = cls()
        for part in parts:
            whole.add(part)
        return whole

    def add(self, other: "Completion") -> None:
        self.asked += other.asked
        self.done += other.done
        self.periods += other.periods
        self.met += other.met

    def as_json(self) -> dict:
        return {"asked": self.asked, "done": self.done, "rate": self.rate, "periods": self.periods,
                "met": self.met, "missed": self.missed}


@dataclass
class _GroupPeriods:
    periods: list[Period] = field(default_factory=list)
    ends: list[date] = field(default_factory=list)
    # asked_after[i]: what the periods from i on ask, so a point created in period i asks that
    asked_after: list[int] = field(default_factory=list)


def _periods(group: Group, calendar, levels, first: date, last_end: date) -> _GroupPeriods:
    """The group's periods that end in (first, last_end] and ask for something."""
    found = _GroupPeriods()
    for period in periods_from(group.schedule(levels), calendar, first):
        if period.end > last_end:
            break
        if period.required > 0 and period.end > first:
            found.periods.append(period)
    found.ends = [p.end for p in found.periods]
    total = 0
    found.asked_after = [0] * (len(found.periods) + 1)
    for i in range(len(found.periods) - 1, -1, -1):
        total += found.periods[i].required
        found.asked_after[i] = total
    return found


def completion(school_ids: list[int], first: date, end: date, now: datetime, calendar, levels) -> dict[int, Completion]:
    """Each school's completion over the periods ending in [first, end) that have ended by `now`.

    A span that has ended is read from what is kept of it, or computed once and kept (the
    caller commits): nothing can change it any more.
    """
    if end > local_today(now):
        return _compute(school_ids, first, end, now, calendar, levels)
    return kept(CompletionSnapshot, Completion, school_ids, first, end,
                lambda missing: _compute(missing, first, end, now, calendar, levels))


def _compute(school_ids: list[int], first: date, end: date, now: datetime, calendar, levels) -> dict[int, Completion]:
    figures = {school_id: Completion() for school_id in school_ids}
    last_end = min(end, local_today(now))
    groups = schedule_groups(school_ids, levels)
    if not groups or last_end <= first:
        return figures
    spans = {g.number: _periods(g, calendar, levels, first, last_end) for g in groups}
    starts = [s.periods[0].start for s in spans.values() if s.periods]
    if not starts:
        return figures
    base = min(starts)
    group = group_number(groups, levels)

    # asked: per point, the periods ending after the day it was created
    points = (select(RiskPoint.school_id, group.label("grp"), RiskPoint.created_at)
              .where(RiskPoint.school_id.in_(school_ids), RiskPoint.active, RiskPoint.created_at < start_of(last_end))
              .subquery())
    for school_id, number, created, active_points in db.session.execute(
        select(points.c.school_id, points.c.grp, points.c.created_at, func.count())
        .group_by(points.c.school_id, points.c.grp, points.c.created_at)
    ):
        span = spans.get(number)
        if span is None or not span.periods:
            continue
        created_day = created.astimezone(school_zone()).date()
        i = bisect_right(span.ends, created_day)  # the first period that ends after that day
        figures[school_id].asked += span.asked_after[i] * active_points
        figures[school_id].periods += (len(span.periods) - i) * active_points

    # done: inspections matched to their point's periods by local day
    rows = [(g, (day - base).days, i, p.required)
            for g, span in spans.items() for i, p in enumerate(span.periods)
            for day in (p.start + timedelta(days=k) for k in range((p.end - p.start).days))]
    days = values(column("grp", Integer), column("day", Integer), column("idx", Integer), column("req", Integer),
                  name="days").data(rows).cte("days")
    # inspections per point and local day first (an index range scan), then each point's group once
    dated = (
        select(Inspection.point_id, day_number(Inspection.submitted_at, start_of(base)).label("day"))
        .where(Inspection.submitted_at >= start_of(base), Inspection.submitted_at < start_of(last_end))
        .subquery()
    )
    hits = (select(dated.c.point_id, dated.c.day, func.count().label("n"))
            .group_by(dated.c.point_id, dated.c.day)
            .cte("hits").prefix_with("MATERIALIZED", dialect="postgresql"))
    points = (select(RiskPoint.id, RiskPoint.school_id, group.label("grp"))
              .where(RiskPoint.school_id.in_(school_ids), RiskPoint.active).subquery())
    per_period = (
        select(points.c.school_id, hits.c.point_id, days.c.idx, days.c.req, func.sum(hits.c.n).label("n"))
        .select_from(hits)
        .join(points, points.c.id == hits.c.point_id)
        .join(days, (days.c.grp == points.c.grp) & (days.c.day == hits.c.day))
        .group_by(points.c.school_id, hits.c.point_id, days.c.idx, days.c.req)
        .subquery()
    )
    for school_id, done, met in db.session.execute(
        select(per_period.c.school_id,
               func.sum(case((per_period.c.n < per_period.c.req, per_period.c.n), else_=per_period.c.req)),
               func.sum(case((per_period.c.n >= per_period.c.req, 1), else_=0)))
        .group_by(per_period.c.school_id)
    ):
        figures[school_id].done += int(done)
        figures[school_id].met += int(met)
    return figures
