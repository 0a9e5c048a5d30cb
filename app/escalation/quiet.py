"""Working hours: when people are told, and how long an overdue patrol has really waited.

Pure: no database, no request. A county's people work from `start` to `end` (07:00-22:00 by
default, in the school time zone) on its working days (the calendar's: weekdays and 调休,
less holidays). Outside them nobody is buzzed, except for what cannot wait, and an
overdue patrol, which nobody could have done at night, does not climb. A county whose
duty runs round the clock sets 00:00-24:00: then every moment of every day is working time.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from app.schedules.calendar import SchoolCalendar

#: how far a walk over the calendar goes before it gives up (a calendar with no working day at all)
LONGEST_WALK_DAYS = 400


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(7)
    end: time | None = time(22)  # None: midnight at the day's end (24:00)

    @property
    def round_the_clock(self) -> bool:
        return self.start == time(0) and self.end is None

    def on(self, day: date, zone: tzinfo) -> tuple[datetime, datetime]:
        """The day's working span as aware moments."""
        end = datetime.combine(day + timedelta(days=1), time(0), zone) if self.end is None else \
            datetime.combine(day, self.end, zone)
        return datetime.combine(day, self.start, zone), end


DEFAULT_HOURS = WorkingHours()


def is_working(moment: datetime, hours: WorkingHours, calendar: SchoolCalendar, zone: tzinfo) -> bool:
    """Whether people are at work at this moment."""
    if hours.round_the_clock:
        return True
    local = moment.astimezone(zone)
    start, end = hours.on(local.date(), zone)
    return calendar.is_working_day(local.date()) and start <= local < end


def next_start(moment: datetime, hours: WorkingHours, calendar: SchoolCalendar, zone: tzinfo) -> datetime:
    """The moment itself if people are at work then, else when they next are."""
    if is_working(moment, hours, calendar, zone):
        return moment
    day = moment.astimezone(zone).date()
    for _ in range(LONGEST_WALK_DAYS):
        start, _end = hours.on(day, zone)
        if calendar.is_working_day(day) and start >= moment:
            return start
        day += timedelta(days=1)
    return moment  # no working day in sight: better told now than never


def working_since(now: datetime, wait: timedelta, hours: WorkingHours, calendar: SchoolCalendar,
                  zone: tzinfo) -> datetime:
    """The latest moment T such that the working time between T and `now` is `wait`.

    Something that has waited since T or earlier has waited `wait` of working time, so a
    sweep compares each row's moment with this one literal (set-based, as the wall-clock
    wait is): the working time since a moment only grows as the moment goes back.
    """
    if hours.round_the_clock:
        return now - wait
    left = wait
    day = now.astimezone(zone).date()
    for _ in range(LONGEST_WALK_DAYS):
        if calendar.is_working_day(day):
            start, end = hours.on(day, zone)
            end = min(end, now)
            if end > start:
                if end - start >= left:
                    return end - left
                left -= end - start
        day -= timedelta(days=1)
    return now - timedelta(days=LONGEST_WALK_DAYS)  # hardly any working time: as good as never
