"""Keep every point's `due_at` right: on inspection, on a change of the point, on a change of calendar."""

import json
import time
from datetime import date, datetime, time as clock

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session

from app.db_types import utcnow
from app.extensions import db
from app.inspections.models import Inspection
from app.orgs.models import OrgUnit
from app.points.models import RiskPoint
from app.schedules.calendar import Entry, SchoolCalendar
from app.schedules.models import CalendarEntry, SchedulePolicy
from app.schedules.periods import Schedule, Season, due_by, period_of
from app.timezones import school_zone

#: each level's cadence unless the county says otherwise (issue 7: red daily ... blue every two weeks)
DEFAULT_LEVEL_FREQUENCIES = {"red": "daily", "orange": "twice_weekly", "yellow": "weekly", "blue": "biweekly"}
#: a county's calendar and policy are read at most this often per worker (a change recomputes anyway)
CACHE_SECONDS = 60

_cache: dict[int, tuple[float, SchoolCalendar, dict]] = {}


def county_of(school_path: str) -> int:
    """The county's id, from a unit's path "/county/township/school/"."""
    return int(school_path.strip("/").split("/")[0])


def _load(county_id: int) -> tuple[SchoolCalendar, dict]:
    entries = [Entry(e.kind, e.start, e.end, e.name) for e in
               db.session.scalars(select(CalendarEntry).where(CalendarEntry.county_id == county_id))]
    policy = db.session.get(SchedulePolicy, county_id)
    levels = {**DEFAULT_LEVEL_FREQUENCIES, **(json.loads(policy.level_frequencies) if policy else {})}
    return SchoolCalendar(entries), levels


def county_rules(county_id: int) -> tuple[SchoolCalendar, dict]:
    """The county's school calendar and level cadences, cached for CACHE_SECONDS."""
    hit = _cache.get(county_id)
    if hit is None or hit[0] < time.monotonic():
        calendar, levels = _load(county_id)
        _cache[county_id] = (time.monotonic() + CACHE_SECONDS, calendar, levels)
        return calendar, levels
    return hit[1], hit[2]


def forget(county_id: int) -> None:
    _cache.pop(county_id, None)


def forget_all() -> None:
    _cache.clear()


def rules_changed(county_id: int) -> None:
    """The county's calendar or cadences change in this transaction: forget them now, and again if it rolls back.

    The recompute that follows reads the change before it is committed; a transaction that
    rolls back (a failed request, a replayed Idempotency-Key) must not leave it in the cache.
    """
    forget(county_id)
    db.session.info.setdefault("rules_changed", set()).add(county_id)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, _previous_transaction) -> None:
    for county_id in session.info.pop("rules_changed", ()):
        forget(county_id)


@event.listens_for(Session, "after_commit")
def _keep_committed(session) -> None:
    session.info.pop("rules_changed", None)


def schedule_of(point, levels: dict) -> Schedule:
    """A point's schedule: its own cadence or its level's, its seasons, school days only."""
    return make_schedule(point.frequency, point.risk_level, point.seasons, point.school_days_only, levels)


def make_schedule(frequency: str | None, risk_level: str, seasons: str | None, school_days_only: bool | None,
                  levels: dict) -> Schedule:
    parsed = tuple(Season(s["frequency"], tuple(s["start"]) if s.get("start") else None,
                          tuple(s["end"]) if s.get("end") else None, s.get("vacation"))
                   for s in json.loads(seasons or "[]"))
    return Schedule(frequency or levels.get(risk_level) or "weekly", parsed, bool(school_days_only))


# The submit path: at most as many of the point's inspections as its period asks for.
_SINCE = (select(Inspection.submitted_at)
          .where(Inspection.point_id == bindparam("point_id"), Inspection.submitted_at >= bindparam("since"))
          .limit(bindparam("enough")))
# most inspections leave the due time as it was (a second one in the same period): then write nothing
_SET_DUE = update(RiskPoint.__table__).where(
    RiskPoint.__table__.c.id == bindparam("point_id"),
    RiskPoint.__table__.c.due_at.is_distinct_from(bindparam("due_at", type_=RiskPoint.__table__.c.due_at.type)),
).values(due_at=bindparam("due_at"))


def due_after_inspection(point: dict, now: datetime) -> None:
    """Set the due time of a point just inspected (`point`: the scan's columns); two small statements."""
    calendar, levels = county_rules(county_of(point["school_path"]))
    schedule = make_schedule(point["frequency"], point["risk_level"], point["seasons"], point["school_days_only"],
                             levels)
    today = local_today(now)
    period = period_of(schedule, calendar, today)
    if period.required <= 1:  # the inspection just stored is enough for this period: nothing to read
        seen = [today]
    else:
        seen = [at.astimezone(school_zone()).date() for at in db.session.connection().execute(
            _SINCE, {"point_id": point["id"], "since": start_of(period.start), "enough": period.required}
        ).scalars()]
    due = start_of(due_by(schedule, calendar, today, seen))
    db.session.connection().execute(_SET_DUE, {"point_id": point["id"], "due_at": due})


def local_today(now: datetime) -> date:
    return now.astimezone(school_zone()).date()


def start_of(day: date | None) -> datetime | None:
    """The moment (aware, in the school's zone) a local day begins."""
    return None if day is None else datetime.combine(day, clock.min, tzinfo=school_zone())


def first_due(point: RiskPoint, school_path: str, now: datetime | None = None) -> datetime | None:
    """When a point with no inspections yet is due (no query beyond the county's cached rules)."""
    calendar, levels = county_rules(county_of(school_path))
    return start_of(due_by(schedule_of(point, levels), calendar, local_today(now or utcnow()), []))


def refresh_due(point_ids: list[int], now: datetime | None = None) -> int:
    """Recompute `due_at` of these points from their recent inspections; flush. Returns how many."""
    now = now or utcnow()
    today = local_today(now)
    points = list(db.session.execute(
        select(RiskPoint, OrgUnit.path).join(OrgUnit, OrgUnit.id == RiskPoint.school_id)
        .where(RiskPoint.id.in_(point_ids))
    ))
    rules = {}
    for point, path in points:
        calendar, levels = county_rules(county_of(path))
        rules[point.id] = (schedule_of(point, levels), calendar)
    # only inspections in each point's current period count: read from the earliest of those
    since = start_of(min((period_of(s, c, today).start for s, c in rules.values()), default=today))
    seen: dict[int, list[date]] = {}
    for point_id, at in db.session.execute(
        select(Inspection.point_id, Inspection.submitted_at)
        .where(Inspection.point_id.in_(point_ids), Inspection.submitted_at >= since)
    ):
        seen.setdefault(point_id, []).append(at.astimezone(school_zone()).date())
    for point, _path in points:
        schedule, calendar = rules[point.id]
        point.due_at = start_of(due_by(schedule, calendar, today, seen.get(point.id, []))) if point.active else None
    db.session.flush()
    return len(points)


def refresh_county(county_id: int | None = None, now: datetime | None = None, batch: int = 2000,
                   after_batch=None) -> int:
    """Recompute every active point of a county (or all), in batches; flush each. Returns how many.

    In a request it is part of the request's one transaction. `flask schedules refresh`, which
    may recompute a province, passes `after_batch=db.session.commit` to keep transactions short.
    """
    query = select(RiskPoint.id).where(RiskPoint.active).order_by(RiskPoint.id)
    if county_id is not None:
        rules_changed(county_id)
        county = db.session.get(OrgUnit, county_id)
        query = query.join(OrgUnit, OrgUnit.id == RiskPoint.school_id).where(
            OrgUnit.path.startswith(county.path, autoescape=True))
    else:
        forget_all()
    done, last = 0, 0
    while True:
        ids = list(db.session.scalars(query.where(RiskPoint.id > last).limit(batch)))
        if not ids:
            return done
        done += refresh_due(ids, now)
        if after_batch is not None:
            after_batch()
        last = ids[-1]
