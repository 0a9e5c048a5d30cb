"""The escalation ladder, its triggers, and how fast each risk level climbs (per county, with defaults)."""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db

#: what starts an escalation
TRIGGERS = ("point_overdue", "hazard_unassigned", "hazard_overdue", "rejected_twice")

#: who is told at each level
LADDER = {1: "grid leader", 2: "school safety officer and principal", 3: "township supervisor", 4: "county admin"}
TOP = max(LADDER)

#: how long an escalation stays at a level before it climbs: red in hours, blue in days
CLIMB_HOURS = {"red": 2, "orange": 12, "yellow": 24, "blue": 72}

#: a failed item of these risk levels is the school's business at once; others wait for the grid first
AT_ONCE_LEVELS = frozenset({"red"})

#: an acknowledgement holds the climb this long
HOLD_HOURS = 24


@dataclass(frozen=True)
class Speeds:
    """One county's speeds; a risk level it does not name climbs at the slowest pace."""

    climb_hours: dict[str, int] = field(default_factory=lambda: dict(CLIMB_HOURS))
    hold_hours: int = HOLD_HOURS
    at_once: frozenset[str] = AT_ONCE_LEVELS

    def climb_after(self, risk_level: str) -> timedelta:
        """Time spent at one level before the next, for a risk level."""
        return timedelta(hours=self.climb_hours.get(risk_level, self.slowest))

    @property
    def slowest(self) -> int:
        return max(self.climb_hours.values())

    def start_level(self, trigger: str, risk_level: str) -> int:
        """Level 1 for every cause, but the school (2) at once for a failed item of an at-once level."""
        return 2 if trigger == "hazard_unassigned" and risk_level in self.at_once else 1

    @property
    def hold(self) -> timedelta:
        return timedelta(hours=self.hold_hours)


DEFAULT = Speeds()


def speeds_from(row) -> Speeds:
    """A county's stored policy over the defaults."""
    if row is None:
        return DEFAULT
    at_once = json.loads(row.at_once_levels) if row.at_once_levels is not None else AT_ONCE_LEVELS
    return Speeds({**CLIMB_HOURS, **json.loads(row.climb_hours or "{}")}, row.hold_hours or HOLD_HOURS,
                  frozenset(at_once))


def county_speeds(county_id: int) -> Speeds:
    from app.escalation.models import EscalationPolicy

    return speeds_from(db.session.get(EscalationPolicy, county_id))


def speed_groups() -> list[tuple[list[int] | None, Speeds]]:
    """Counties grouped by their speeds; the group (None, DEFAULT) is every county without speeds of its own.

    A sweep runs each group's statements, so it stays set-based whatever the number of counties.
    """
    from app.escalation.models import EscalationPolicy

    groups: dict[tuple, tuple[Speeds, list[int]]] = {}
    for row in db.session.scalars(select(EscalationPolicy).order_by(EscalationPolicy.county_id)):
        speeds = speeds_from(row)
        if speeds != DEFAULT:
            key = (tuple(sorted(speeds.climb_hours.items())), speeds.hold_hours, tuple(sorted(speeds.at_once)))
            groups.setdefault(key, (speeds, []))[1].append(row.county_id)
    return [(ids, speeds) for speeds, ids in groups.values()] + [(None, DEFAULT)]
