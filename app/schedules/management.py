"""A county's school calendar and level cadences, changed by its admins on record; due times follow.

Every change is flushed, then `refresh_county` recomputes the county's points in the same
transaction, so what a patroller sees as due follows the calendar at once, and a change that
fails or is rolled back leaves the due times as they were.
"""

import json
from dataclasses import dataclass
from datetime import date

import chinese_calendar
from sqlalchemy import select

from app.accounts.permissions import require
from app.accounts.session_user import SessionUser
from app.audit.services import record
from app.errors import abort
from app.extensions import db
from app.orgs.management import COUNTY_ONLY
from app.points.frequencies import FREQUENCIES
from app.points.levels import level_keys
from app.schedules.calendar import DayKind, Entry
from app.schedules.models import CalendarEntry, SchedulePolicy
from app.schedules.services import DEFAULT_LEVEL_FREQUENCIES, county_of, refresh_county

#: the longest entry; longer is a typo (a year too far), not a holiday
MAX_DAYS = 200
#: make-up working days (调休) come one or two at a time
MAX_WORKDAY_DAYS = 7
NAME_LENGTH = 50  # CalendarEntry.name
#: kinds that cannot share a day: a day is off or worked, never both; vacations may hold either
CLASHES = {DayKind.HOLIDAY: {DayKind.HOLIDAY, DayKind.WORKDAY}, DayKind.WORKDAY: {DayKind.HOLIDAY, DayKind.WORKDAY},
           DayKind.VACATION: {DayKind.VACATION}}
#: the cadence of a configured level that has no default of its own (as `schedule_of` falls back)
FALLBACK_FREQUENCY = "weekly"


@dataclass(frozen=True)
class Problem:
    """Why an entry cannot be made: the field, a stable code, and the entry it collides with."""

    field: str
    code: str  # end_before_start | too_long | workday_too_long | name_needed | name_too_long | overlap
    other: object = None  # an entry with kind, start, end, name (and an id when stored)


def range_problems(entry: Entry) -> list[Problem]:
    """What is wrong with an entry's dates alone."""
    days = (entry.end - entry.start).days + 1
    if days < 1:
        return [Problem("end", "end_before_start")]
    if days > MAX_DAYS:
        return [Problem("end", "too_long")]
    if entry.kind is DayKind.WORKDAY and days > MAX_WORKDAY_DAYS:
        return [Problem("end", "workday_too_long")]
    return []


def entry_problems(entry: Entry, others) -> list[Problem]:
    """What is wrong with an entry, given the county's other entries (anything with kind, start, end, name)."""
    wrong_dates = range_problems(entry)
    problems = list(wrong_dates)
    if entry.kind is DayKind.VACATION and not entry.name:
        problems.append(Problem("name", "name_needed"))
    if len(entry.name) > NAME_LENGTH:
        problems.append(Problem("name", "name_too_long"))
    if not wrong_dates:  # impossible dates collide with nothing
        clash = next((o for o in others if o.kind in CLASHES[entry.kind]
                      and o.start <= entry.end and entry.start <= o.end), None)
        if clash is not None:
            problems.append(Problem("start", "overlap", clash))
    return problems


def _describe(e) -> str:
    named = f" {e.name}" if e.name else ""
    return f"the {e.kind.value}{named} from {e.start.isoformat()} to {e.end.isoformat()} (id {e.id})"


MESSAGES = {
    "end_before_start": lambda p: "must not be before start",
    "too_long": lambda p: f"an entry spans at most {MAX_DAYS} days",
    "workday_too_long": lambda p: f"make-up working days (调休) span at most {MAX_WORKDAY_DAYS} days",
    "name_needed": lambda p: "a vacation needs its name, e.g. 暑假 (seasons of points refer to it)",
    "name_too_long": lambda p: f"at most {NAME_LENGTH} characters",
    "overlap": lambda p: f"overlaps {_describe(p.other)}",
}


def my_county(user: SessionUser) -> int:
    """The id of the caller's county (first in the path of their unit)."""
    return county_of(user.org_unit.path)


def county_entries(county_id: int, year: int | None = None) -> list[CalendarEntry]:
    """A county's entries in start order, or those that touch one year."""
    stmt = select(CalendarEntry).where(CalendarEntry.county_id == county_id)
    if year is not None:
        stmt = stmt.where(CalendarEntry.start <= date(year, 12, 31), CalendarEntry.end >= date(year, 1, 1))
    return list(db.session.scalars(stmt.order_by(CalendarEntry.start, CalendarEntry.id)))


def statutory_known(year: int) -> bool:
    """Whether chinese-calendar knows the year's statutory holidays (otherwise the county must enter them)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def calendar_of(user: SessionUser, year: int) -> dict:
    """The caller's county's entries touching a year, and whether the statutory holidays are known for it."""
    return {"year": year, "statutory_known": statutory_known(year), "entries": county_entries(my_county(user), year)}


def _snapshot(entry: CalendarEntry) -> dict:
    return {"county_id": entry.county_id, "kind": entry.kind.value, "start": entry.start.isoformat(),
            "end": entry.end.isoformat(), "name": entry.name}


def enter(user: SessionUser, county_id: int, entry: Entry) -> CalendarEntry:
    """Add an entry already checked, on record; flush (no commit, no refresh: for imports)."""
    row = CalendarEntry(county_id=county_id, kind=entry.kind, start=entry.start, end=entry.end, name=entry.name,
                        created_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    record(user.id, "create", "calendar_entry", row.id, None, _snapshot(row))
    return row


def rename(user: SessionUser, row: CalendarEntry, name: str) -> None:
    """Give an entry another name, on record; flush."""
    before = _snapshot(row)
    row.name = name
    db.session.flush()
    record(user.id, "update", "calendar_entry", row.id, before, _snapshot(row))


def add_entry(user: SessionUser, data: dict) -> CalendarEntry:
    """A county admin enters a holiday, a make-up working day or a vacation; due times follow."""
    require(user, COUNTY_ONLY, "change the school calendar")
    county_id = my_county(user)
    entry = Entry(data["kind"], data["start"], data.get("end") or data["start"], data.get("name", "").strip())
    problems = entry_problems(entry, county_entries(county_id))
    if problems:
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.field, []).append(MESSAGES[p.code](p))
        abort(422, "The calendar entry is not valid: see `errors`.", error="invalid_calendar_entry", errors=errors)
    row = enter(user, county_id, entry)
    refresh_county(county_id)
    return row


def remove_entry(user: SessionUser, entry_id: int) -> None:
    """A county admin removes one of the county's entries; due times follow."""
    require(user, COUNTY_ONLY, "change the school calendar")
    county_id = my_county(user)
    row = db.session.get(CalendarEntry, entry_id)
    if row is None or row.county_id != county_id:
        abort(404, "No such calendar entry in your county.", error="unknown_calendar_entry")
    record(user.id, "delete", "calendar_entry", row.id, _snapshot(row), None)
    db.session.delete(row)
    db.session.flush()
    refresh_county(county_id)


def default_frequencies() -> dict[str, str]:
    """Each configured level's cadence when the county has said nothing."""
    return {key: DEFAULT_LEVEL_FREQUENCIES.get(key, FALLBACK_FREQUENCY) for key in level_keys()}


def _levels(county_id: int) -> dict[str, str]:
    policy = db.session.get(SchedulePolicy, county_id)
    stored = json.loads(policy.level_frequencies) if policy else {}
    return {key: stored.get(key, default) for key, default in default_frequencies().items()}


def policy_of(user: SessionUser) -> dict:
    """The caller's county's cadence per level (defaults filled in), and the defaults."""
    return {"level_frequencies": _levels(my_county(user)), "defaults": default_frequencies()}


def set_policy(user: SessionUser, level_frequencies: dict[str, str]) -> dict:
    """A county admin sets the cadence of levels (the levels left out follow the defaults); due times follow."""
    require(user, COUNTY_ONLY, "change the inspection cadences")
    keys = level_keys()
    errors = {}
    for level, frequency in level_frequencies.items():
        if level not in keys:
            errors[level] = [f"not a risk level: one of {', '.join(keys)}"]
        elif frequency not in FREQUENCIES:
            errors[level] = [f"must be one of {', '.join(FREQUENCIES)}"]
    if errors:
        abort(422, "The cadences are not valid: see `errors`.", error="invalid_schedule_policy",
              errors={"level_frequencies": errors})
    county_id = my_county(user)
    before = _levels(county_id)
    policy = db.session.get(SchedulePolicy, county_id) or SchedulePolicy(county_id=county_id)
    policy.level_frequencies = json.dumps(level_frequencies, sort_keys=True)
    policy.updated_by_id = user.id
    db.session.add(policy)
    db.session.flush()
    after = _levels(county_id)
    if after != before:
        record(user.id, "update", "schedule_policy", county_id, before, after)
        refresh_county(county_id)
    return policy_of(user)

