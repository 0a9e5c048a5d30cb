"""When a point is due: the pure arithmetic of periods, seasons and school days.

A cadence asks for `times` inspections per period: a day, an ISO week (Monday to
Sunday), a pair of ISO weeks counted from a fixed Monday, or a calendar month. A point
is done for a period when it was inspected that often at any time within it, in the
school's time zone. Its `due_by` is the end of the first period, from today on, that
still lacks an inspection: past that moment it is overdue. Stored per point, it makes
"what is overdue" one indexed comparison for a whole county.

Seasons change the cadence for part of the year (water areas weekly from April to
October, daily in the summer vacation); periods never straddle a change of cadence.
Points marked "school days only" ask nothing of days off, and a period asks at most as
many inspections as it has school days.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.points.frequencies import FREQUENCIES, Frequency
from app.schedules.calendar import SchoolCalendar

#: two-week periods are counted in pairs of ISO weeks from this Monday
TWO_WEEK_EPOCH = date(2024, 1, 1)
#: how far ahead a period is looked for before a point is said never to be due
HORIZON_DAYS = 400


@dataclass(frozen=True)
class Season:
    """Another cadence for part of the year: by month and day (wrapping over New Year), or a vacation's name."""

    frequency: str
    start: tuple[int, int] | None = None  # (month, day), inclusive
    end: tuple[int, int] | None = None  # (month, day), inclusive
    vacation: str | None = None  # e.g. "暑假": whenever the calendar's vacation of this name covers the day

    def covers(self, day: date, calendar: SchoolCalendar) -> bool:
        if self.vacation is not None:
            found = calendar.vacation(day)
            return found is not None and found.name == self.vacation
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end  # e.g. November to February


@dataclass(frozen=True)
class Schedule:
    """What a point asks: its cadence, its seasons (the first that covers a day wins), school days only."""

    frequency: str
    seasons: tuple[Season, ...] = ()
    school_days_only: bool = False

    def frequency_on(self, day: date, calendar: SchoolCalendar) -> Frequency:
        for season in self.seasons:
            if season.covers(day, calendar):
                return FREQUENCIES[season.frequency]
        return FREQUENCIES[self.frequency]


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # exclusive: the first day after it
    frequency: Frequency
    required: int  # inspections it asks for

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


def _bounds(per: str, day: date) -> tuple[date, date]:
    if per == "day":
        return day, day + timedelta(days=1)
    if per == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if per == "two_weeks":
        start = day - timedelta(days=(day - TWO_WEEK_EPOCH).days % 14)
        return start, start + timedelta(days=14)
    if per == "month":
        start = day.replace(day=1)
        return start, (start + timedelta(days=32)).replace(day=1)
    raise ValueError(f"unknown period {per!r}")


def period_of(schedule: Schedule, calendar: SchoolCalendar, day: date) -> Period:
    """The period that holds `day`, cut where the cadence changes."""
    frequency = schedule.frequency_on(day, calendar)
    start, end = _bounds(frequency.per, day)
    same = lambda d: schedule.frequency_on(d, calendar) == frequency  # noqa: E731
    cut_start = day
    while cut_start > start and same(cut_start - timedelta(days=1)):
        cut_start -= timedelta(days=1)
    cut_end = day + timedelta(days=1)
    while cut_end < end and same(cut_end):
        cut_end += timedelta(days=1)
    required = frequency.times
    if schedule.school_days_only:
        school_days = sum(calendar.is_school_day(cut_start + timedelta(days=i)) for i in range((cut_end - cut_start).days))
        required = min(required, school_days)
    return Period(cut_start, cut_end, frequency, required)


def periods_from(schedule: Schedule, calendar: SchoolCalendar, day: date) -> Iterable[Period]:
    """The periods from the one holding `day` onwards, without end."""
    while True:
        period = period_of(schedule, calendar, day)
        yield period
        day = period.end


def due_by(schedule: Schedule, calendar: SchoolCalendar, today: date, inspected: Iterable[date]) -> date | None:
    """The day on which the point is overdue (the end of the first period from today that lacks an inspection).

    `inspected`: the local dates of its inspections (those before today's period do not
    count). None: no period within HORIZON_DAYS asks for anything (school days only,
    and a calendar with none).
    """
    counts: dict[date, int] = {}
    for day in inspected:
        counts[day] = counts.get(day, 0) + 1
    for period in periods_from(schedule, calendar, today):
        if period.start > today + timedelta(days=HORIZON_DAYS):
            return None
        done = sum(n for day, n in counts.items() if day in period)
        if done < period.required:
            return period.end


@dataclass
class Status:
    """What a point's schedule says at a moment: not yet due, due, or overdue since a day."""

    state: str  # "not_due" | "due" | "overdue" | "none"
    due_by: date | None
    missed_periods: int = 0


def status(schedule: Schedule, calendar: SchoolCalendar, today: date, stored_due_by: date | None,
           limit: int = 366) -> Status:
    """Read a point's state from its stored `due_by` (days in the school's time zone).

    Overdue since `due_by`; the periods asking for inspections that have ended since
    then are counted as missed (at most `limit`).
    """
    if stored_due_by is None:
        return Status("none", None)
    if today < stored_due_by:
        current = period_of(schedule, calendar, today)
        return Status("due" if stored_due_by <= current.end else "not_due", stored_due_by)
    missed = 0
    day = _previous_start(schedule, calendar, stored_due_by)
    for period in periods_from(schedule, calendar, day):
        if period.end > today or missed >= limit:
            break
        missed += period.required > 0
    return Status("overdue", stored_due_by, max(missed, 1))


def _previous_start(schedule: Schedule, calendar: SchoolCalendar, end: date) -> date:
    """The start of the period that ends on `end`."""
    return period_of(schedule, calendar, end - timedelta(days=1)).start

