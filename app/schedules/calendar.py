"""Which days are school days: China's statutory holidays, a county's own entries, its vacations.

Pure: built from plain entries, no database. Statutory holidays and make-up working days
(调休) come from the `chinese-calendar` package for the years it knows; for other years
(it has no data for 2027 yet) weekends are the only days off unless the county enters
the year's holidays, which always take precedence.
"""

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # a day off: a statutory holiday, or one the county gives
    WORKDAY = "workday"  # a working day, even on a weekend: 调休
    VACATION = "vacation"  # school holidays: 寒假, 暑假 (a range)


@dataclass(frozen=True)
class Entry:
    """One county entry: a day off, a make-up working day, or a vacation (inclusive range)."""

    kind: DayKind
    start: date
    end: date
    name: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass
class SchoolCalendar:
    """A county's school calendar; `is_school_day` is what schedules ask."""

    entries: list[Entry] = field(default_factory=list)
    statutory: bool = True  # use chinese-calendar where it knows the year

    def __post_init__(self):
        self._days: dict[date, DayKind] = {}
        self._vacations = [e for e in self.entries if e.kind is DayKind.VACATION]
        for entry in self.entries:
            if entry.kind is not DayKind.VACATION:
                day = entry.start
                while day <= entry.end:
                    self._days[day] = entry.kind
                    day += timedelta(days=1)

    def is_working_day(self, day: date) -> bool:
        """A working day of the country (before school vacations): weekdays and 调休, less holidays."""
        entered = self._days.get(day)
        if entered is not None:
            return entered is DayKind.WORKDAY
        if self.statutory:
            try:
                return chinese_calendar.is_workday(day)
            except NotImplementedError:  # a year the package does not know yet
                pass
        return day.weekday() < 5

    def vacation(self, day: date) -> Entry | None:
        """The school vacation that covers the day, if any."""
        return next((v for v in self._vacations if v.covers(day)), None)

    def is_school_day(self, day: date) -> bool:
        """A day pupils are at school: a working day outside vacations (a 调休 Saturday counts)."""
        return self.is_working_day(day) and self.vacation(day) is None
