"""A county's escalation speeds, read by its people and set by its admins on record."""

import json

from app.accounts.permissions import require
from app.accounts.session_user import SessionUser
from app.audit.services import record
from app.errors import abort
from app.escalation.models import EscalationPolicy
from app.escalation.policy import (AT_ONCE_LEVELS, CLIMB_HOURS, DEFAULT, HOLD_HOURS, TRIAGE_HOURS, VERIFY_HOURS,
                                   speeds_from)
from app.escalation.quiet import DEFAULT_HOURS
from app.extensions import db
from app.orgs.management import COUNTY_ONLY
from app.points.levels import level_keys
from app.schedules.management import my_county

#: a level's time may be as short as an hour and as long as a month
HOURS_RANGE = (1, 720)


def _view(speeds) -> dict:
    keys = level_keys()
    working = speeds.working
    return {"climb_hours": {key: speeds.climb_hours.get(key, speeds.slowest) for key in keys},
            "hold_hours": speeds.hold_hours, "at_once_levels": [key for key in keys if key in speeds.at_once],
            "triage_hours": speeds.triage_hours, "verify_hours": speeds.verify_hours,
            "working_hours": {"start": f"{working.start:%H:%M}",
                              "end": "24:00" if working.end is None else f"{working.end:%H:%M}"}}


def policy_of(user: SessionUser) -> dict:
    """The caller's county's speeds (defaults filled in), and the defaults."""
    return {**_view(speeds_from(db.session.get(EscalationPolicy, my_county(user)))), "defaults": _view(DEFAULT)}


def _problems(data: dict) -> dict:
    keys, low, high = level_keys(), *HOURS_RANGE
    errors: dict = {}
    for key, hours in (data.get("climb_hours") or {}).items():
        if key not in keys:
            errors.setdefault("climb_hours", {})[key] = [f"not a risk level: one of {', '.join(keys)}"]
        elif not low <= hours <= high:
            errors.setdefault("climb_hours", {})[key] = [f"between {low} and {high} hours"]
    if "hold_hours" in data and not low <= data["hold_hours"] <= high:
        errors["hold_hours"] = [f"between {low} and {high} hours"]
    unknown = [key for key in data.get("at_once_levels") or [] if key not in keys]
    if unknown:
        errors["at_once_levels"] = [f"not risk levels: {', '.join(unknown)}"]
    for field in ("triage_hours", "verify_hours"):
        if field in data and not low <= data[field] <= high:
            errors[field] = [f"between {low} and {high} hours"]
    return errors


def set_policy(user: SessionUser, data: dict) -> dict:
    """A county admin sets how fast each risk level climbs, the hold, which failures go to the school at once,
    the triage and verification times, and the working hours.

    Fields left out keep their stored value; the next sweep applies the change to open escalations too.
    """
    require(user, COUNTY_ONLY, "change the escalation speeds")
    span = data.get("working_hours")
    if span and (span["start"] == "24:00" or span["start"] >= span["end"]):  # a rule across two fields
        message = ("工作时间的开始应早于结束，如 07:00 至 22:00；全天值守为 00:00 至 24:00。/ "
                   "Working hours begin before they end, e.g. 07:00 to 22:00; round the clock is 00:00 to 24:00.")
        abort(422, message, error="invalid_working_hours", errors={"working_hours": [message]})
    if errors := _problems(data):
        abort(422, "The escalation speeds are not valid: see `errors`.", error="invalid_escalation_policy",
              errors=errors)
    county_id = my_county(user)
    stored = db.session.get(EscalationPolicy, county_id)
    before = _view(speeds_from(stored))
    row = stored or EscalationPolicy(county_id=county_id, climb_hours="{}")
    if "climb_hours" in data:
        hours = {**json.loads(row.climb_hours or "{}"), **data["climb_hours"]}
        row.climb_hours = json.dumps({k: v for k, v in hours.items() if CLIMB_HOURS.get(k) != v}, sort_keys=True)
    if "hold_hours" in data:
        row.hold_hours = None if data["hold_hours"] == HOLD_HOURS else data["hold_hours"]
    if "at_once_levels" in data:
        chosen = sorted(set(data["at_once_levels"]))
        row.at_once_levels = None if set(chosen) == AT_ONCE_LEVELS else json.dumps(chosen)
    if "triage_hours" in data:
        row.triage_hours = None if data["triage_hours"] == TRIAGE_HOURS else data["triage_hours"]
    if "verify_hours" in data:
        row.verify_hours = None if data["verify_hours"] == VERIFY_HOURS else data["verify_hours"]
    if "working_hours" in data:
        span, default = data["working_hours"], _view(DEFAULT)["working_hours"]
        row.work_start = None if span["start"] == default["start"] else span["start"]
        row.work_end = None if span["end"] == default["end"] else span["end"]
    row.updated_by_id = user.id
    db.session.add(row)
    db.session.flush()
    after = _view(speeds_from(row))
    if after != before:
        record(user.id, "update", "escalation_policy", county_id, before, after)
    return policy_of(user)
