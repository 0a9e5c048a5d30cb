"""A county's escalation speeds, read by its people and set by its admins on record."""

import json

from app.accounts.permissions import require
from app.accounts.session_user import SessionUser
from app.audit.services import record
from app.errors import abort
from app.escalation.models import EscalationPolicy
from app.escalation.policy import AT_ONCE_LEVELS, CLIMB_HOURS, DEFAULT, HOLD_HOURS, speeds_from
from app.extensions import db
from app.orgs.management import COUNTY_ONLY
from app.points.levels import level_keys
from app.schedules.management import my_county

#: a level's time may be as short as an hour and as long as a month
HOURS_RANGE = (1, 720)


def _view(speeds) -> dict:
    keys = level_keys()
    return {"climb_hours": {key: speeds.climb_hours.get(key, speeds.slowest) for key in keys},
            "hold_hours": speeds.hold_hours, "at_once_levels": [key for key in keys if key in speeds.at_once]}


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
    return errors


def set_policy(user: SessionUser, data: dict) -> dict:
    """A county admin sets how fast each risk level climbs, the hold, and which failures go to the school at once.

    Fields left out keep their stored value; the next sweep applies the change to open escalations too.
    """
    require(user, COUNTY_ONLY, "change the escalation speeds")
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
    row.updated_by_id = user.id
    db.session.add(row)
    db.session.flush()
    after = _view(speeds_from(row))
    if after != before:
        record(user.id, "update", "escalation_policy", county_id, before, after)
    return policy_of(user)
