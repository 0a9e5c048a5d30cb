"""How long a hazard of each risk level may take to rectify, unless its assigner says otherwise.

Configured with HAZARD_DEADLINE_HOURS, e.g. "red=24,orange=72,yellow=168,blue=360"
(the default). A level the setting does not name gets the longest time it does name.
"""

from datetime import datetime, timedelta

from flask import current_app

DEFAULT_HOURS = {"red": 24, "orange": 72, "yellow": 7 * 24, "blue": 15 * 24}


def parse_hours(text: str) -> dict[str, int]:
    """Read "red=24,orange=72" into {"red": 24, "orange": 72}; raise ValueError if malformed."""
    hours = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip().isdigit() or int(value) <= 0:
            raise ValueError(f"HAZARD_DEADLINE_HOURS: expected level=hours, e.g. red=24, not {part!r}")
        hours[key.strip()] = int(value)
    if not hours:
        raise ValueError("HAZARD_DEADLINE_HOURS names no level")
    return hours


def hours_by_level() -> dict[str, int]:
    """The default hours to rectify, for every configured level (the assign form shows them)."""
    from app.points.levels import level_keys

    return {key: int(rectify_within(key).total_seconds() // 3600) for key in level_keys()}


def rectify_within(level_key: str) -> timedelta:
    """The default time allowed to rectify a hazard of this risk level."""
    hours = current_app.config.get("HAZARD_DEADLINE_HOURS") or DEFAULT_HOURS
    return timedelta(hours=hours.get(level_key, max(hours.values())))


def default_deadline(level_key: str, now: datetime) -> datetime:
    return now + rectify_within(level_key)
