"""The escalation ladder, its triggers, and how fast each risk level climbs (per county, with defaults)."""

import json
from dataclasses import dataclass, field
from datetime import time, timedelta

from sqlalchemy import select

from app.escalation.quiet import DEFAULT_HOURS, WorkingHours
from app.schedules.calendar import DayKind, Entry, SchoolCalendar
from app.extensions import db

#: what starts an escalation
TRIGGERS = ("point_overdue", "hazard_unassigned", "hazard_overdue", "rejected_twice", "report_untriaged",
            "hazard_unverified")
#: causes that climb at a pace of their own (the county's triage or verification time), not their colour's
OWN_PACE = {"report_untriaged": "triage_hours", "hazard_unverified": "verify_hours"}
#: causes whose first step is the school's: nobody below it triages a report or verifies a rectification
SCHOOL_FIRST = frozenset(OWN_PACE)

#: who is told at each level
LADDER = {1: "grid leader", 2: "school safety officer and principal", 3: "township supervisor", 4: "county admin"}
TOP = max(LADDER)

#: how long an escalation stays at a level before it climbs: red in hours, blue in days
CLIMB_HOURS = {"red": 2, "orange": 12, "yellow": 24, "blue": 72}

#: a failed item of these risk levels is the school's business at once; others wait for the grid first
AT_ONCE_LEVELS = frozenset({"red"})

#: an acknowledgement holds the climb this long
HOLD_HOURS = 24

#: a 随手拍 report nobody triaged, and a rectified hazard nobody verified, climb after this long
TRIAGE_HOURS = 24
VERIFY_HOURS = 48


@dataclass(frozen=True)
class Speeds:
    """One county's speeds; a risk level it does not name climbs at the slowest pace."""

    climb_hours: dict[str, int] = field(default_factory=lambda: dict(CLIMB_HOURS))
    hold_hours: int = HOLD_HOURS
    at_once: frozenset[str] = AT_ONCE_LEVELS
    triage_hours: int = TRIAGE_HOURS
    verify_hours: int = VERIFY_HOURS
    working: WorkingHours = DEFAULT_HOURS

    def climb_after(self, risk_level: str) -> timedelta:
        """Time spent at one level before the next, for a risk level."""
        return timedelta(hours=self.climb_hours.get(risk_level, self.slowest))

    @property
    def slowest(self) -> int:
        return max(self.climb_hours.values())

    def own_pace(self, trigger: str) -> timedelta:
        """The time a cause of OWN_PACE spends at each level."""
        return timedelta(hours=getattr(self, OWN_PACE[trigger]))

    def start_level(self, trigger: str, risk_level: str) -> int:
        """Level 1 for most causes; the school (2) for a hazard of an at-once level nobody assigned, and for
        the causes only the school can end (triage, verification)."""
        if trigger in SCHOOL_FIRST:
            return 2
        return 2 if trigger == "hazard_unassigned" and risk_level in self.at_once else 1

    def urgent(self, trigger: str, risk_level: str) -> bool:
        """What goes to people at once even outside working hours: a hazard of an at-once level (red) past
        its deadline or not assigned."""
        return trigger in ("hazard_overdue", "hazard_unassigned") and risk_level in self.at_once

    @property
    def hold(self) -> timedelta:
        return timedelta(hours=self.hold_hours)

    def key(self) -> tuple:
        """What makes two counties' speeds the same, for grouping them in a sweep."""
        return (tuple(sorted(self.climb_hours.items())), self.hold_hours, tuple(sorted(self.at_once)),
                self.triage_hours, self.verify_hours, self.working)


DEFAULT = Speeds()


def speeds_from(row) -> Speeds:
    """A county's stored policy over the defaults."""
    if row is None:
        return DEFAULT
    at_once = json.loads(row.at_once_levels) if row.at_once_levels is not None else AT_ONCE_LEVELS
    working = WorkingHours(clock(row.work_start) if row.work_start else DEFAULT_HOURS.start,
                           (clock(row.work_end) if row.work_end != "24:00" else None) if row.work_end
                           else DEFAULT_HOURS.end)
    return Speeds({**CLIMB_HOURS, **json.loads(row.climb_hours or "{}")}, row.hold_hours or HOLD_HOURS,
                  frozenset(at_once), row.triage_hours or TRIAGE_HOURS, row.verify_hours or VERIFY_HOURS, working)


def clock(text: str) -> time:
    """"07:30" as a time of day ("24:00", the day's end, is the caller's to read as None)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def county_speeds(county_id: int) -> Speeds:
    from app.escalation.models import EscalationPolicy

    return speeds_from(db.session.get(EscalationPolicy, county_id))


def speed_groups() -> list[tuple[list[int] | None, Speeds, SchoolCalendar]]:
    """Counties grouped by their speeds and working days; the group (None, DEFAULT, the statutory calendar)
    is every county with neither speeds nor days off of its own.

    A sweep runs each group's statements, so it stays set-based whatever the number of counties: a
    province whose counties enter the same holidays is still one group.
    """
    from app.escalation.models import EscalationPolicy
    from app.schedules.models import CalendarEntry

    speeds = {row.county_id: speeds_from(row) for row in db.session.scalars(select(EscalationPolicy))}
    days: dict[int, list[Entry]] = {}
    for row in db.session.scalars(select(CalendarEntry).where(CalendarEntry.kind != DayKind.VACATION)
                                  .order_by(CalendarEntry.county_id, CalendarEntry.start, CalendarEntry.kind)):
        days.setdefault(row.county_id, []).append(Entry(row.kind, row.start, row.end))
    groups: dict[tuple, tuple[Speeds, SchoolCalendar, list[int]]] = {}
    for county_id in sorted(set(speeds) | set(days)):
        own, entries = speeds.get(county_id, DEFAULT), days.get(county_id, [])
        if own == DEFAULT and not entries:
            continue
        key = (own.key(), tuple((e.kind, e.start, e.end) for e in entries))
        groups.setdefault(key, (own, SchoolCalendar(entries), []))[2].append(county_id)
    return [(ids, own, calendar) for own, calendar, ids in groups.values()] + [(None, DEFAULT, SchoolCalendar())]
