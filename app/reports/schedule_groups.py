"""Points that share a schedule share their periods: group them, so a report asks the calendar once per group.

A county's points fall into a handful of groups (their cadence -- their own or their
level's --, their seasons, school days only). The reports work out each group's periods
in Python, from the same rules as the due times, and let SQL match inspections to them.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, literal, select

from app.extensions import db
from app.points.models import RiskPoint
from app.schedules.periods import Schedule
from app.schedules.services import make_schedule


@dataclass(frozen=True)
class Group:
    number: int
    frequency: str
    seasons: str
    school_days_only: bool

    def schedule(self, levels: dict) -> Schedule:
        return make_schedule(self.frequency, "", self.seasons, self.school_days_only, levels)


def cadence(levels: dict) -> ColumnElement[str]:
    """A point's cadence in SQL: its own, else its level's, else weekly (as make_schedule reads it)."""
    by_level = case({level: frequency for level, frequency in levels.items()}, value=RiskPoint.risk_level,
                    else_=literal("weekly")) if levels else literal("weekly")
    return func.coalesce(func.nullif(RiskPoint.frequency, ""), by_level)


def schedule_groups(school_ids: list[int], levels: dict) -> list[Group]:
    """The distinct schedules of the active points of these schools."""
    rows = {(f, s or "[]", bool(d)) for f, s, d in db.session.execute(
        select(cadence(levels), RiskPoint.seasons, RiskPoint.school_days_only).distinct()
        .where(RiskPoint.school_id.in_(school_ids), RiskPoint.active)
    )}
    return [Group(n, *row) for n, row in enumerate(sorted(rows))]


def group_number(groups: list[Group], levels: dict) -> ColumnElement[int]:
    """Which group a point belongs to, as a SQL expression over risk_points."""
    if not groups:
        return literal(-1)
    freq = cadence(levels)
    return case(*[((freq == g.frequency) & (RiskPoint.seasons == g.seasons)
                   & (RiskPoint.school_days_only == g.school_days_only), g.number) for g in groups], else_=-1)
