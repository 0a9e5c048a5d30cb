"""The schools' time zone: times are stored in UTC and shown, printed and counted in days here."""

from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

DEFAULT = "Asia/Shanghai"


def check_zone(name: str) -> str:
    """Return a valid zone name, or raise RuntimeError at start-up rather than at the first report."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(f"TIME_ZONE {name!r} is not a known time zone, e.g. {DEFAULT}") from None
    return name


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def school_zone() -> tzinfo:
    """The configured TIME_ZONE (Asia/Shanghai by default)."""
    return _zone(current_app.config.get("TIME_ZONE") or DEFAULT)
