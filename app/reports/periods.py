"""The period a report covers: a local day, an ISO week or a calendar month, and its bounds in UTC."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.errors import abort
from app.schedules.services import local_today, start_of

KINDS = ("day", "week", "month")


@dataclass(frozen=True)
class ReportPeriod:
    kind: str  # "day" | "week" | "month"
    first: date  # first local day
    end: date  # the day after the last

    @property
    def label(self) -> str:
        """2026-11-24, 2026-W48 or 2026-11: what the API takes back."""
        if self.kind == "day":
            return self.first.isoformat()
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.first:%Y-%m}"

    @property
    def starts(self) -> datetime:
        return start_of(self.first)

    @property
    def ends(self) -> datetime:
        return start_of(self.end)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.end - self.first).days)]

    def previous(self) -> "ReportPeriod":
        return period_holding(self.kind, self.first - timedelta(days=1))

    def next(self) -> "ReportPeriod":
        return period_holding(self.kind, self.end)


def period_holding(kind: str, day: date) -> ReportPeriod:
    """The day, ISO week (Monday to Sunday) or month that holds `day`."""
    if kind == "day":
        return ReportPeriod(kind, day, day + timedelta(days=1))
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return ReportPeriod(kind, first, first + timedelta(days=7))
    first = day.replace(day=1)
    return ReportPeriod(kind, first, (first + timedelta(days=32)).replace(day=1))


_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(kind: str, text: str | None, now: datetime) -> ReportPeriod:
    """Read `?period=`: a date for any kind, 2026-W48 for a week, 2026-11 for a month; none: the current one.

    Refuses (422) what it cannot read and periods that start in the future.
    """
    if not text:
        return period_holding(kind, local_today(now))
    text = text.strip()
    day = None
    try:
        if kind == "week" and (m := _WEEK.match(text)):
            day = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        elif kind == "month" and (m := _MONTH.match(text)):
            day = date(int(m[1]), int(m[2]), 1)
        else:
            day = date.fromisoformat(text)
    except ValueError:
        pass
    if day is None:
        example = {"day": "2026-11-24", "week": "2026-W48 or a date in the week",
                   "month": "2026-11 or a date in the month"}[kind]
        abort(422, f"The period {text!r} is not a {kind}: give {example}.", error="bad_period")
    period = period_holding(kind, day)
    if period.first > local_today(now):
        abort(422, f"The period {period.label} has not begun yet.", error="future_period")
    return period
