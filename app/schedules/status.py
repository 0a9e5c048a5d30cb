"""A point's schedule state as the API shows it: not yet due, due, or overdue since when."""

from datetime import datetime, timezone

from app.schedules.periods import status
from app.schedules.services import county_of, county_rules, local_today, schedule_of, start_of
from app.timezones import school_zone


def due_status(point, now: datetime) -> dict:
    """{state, due_at, missed_periods} of a point (with its school loaded) at `now`."""
    if point.due_at is None:
        return {"state": "none", "due_at": None, "missed_periods": 0}
    calendar, levels = county_rules(county_of(point.school.path))
    found = status(schedule_of(point, levels), calendar, local_today(now),
                   point.due_at.astimezone(school_zone()).date())
    due = start_of(found.due_by)
    return {"state": found.state, "due_at": due and due.astimezone(timezone.utc), "missed_periods": found.missed_periods}
