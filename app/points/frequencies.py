"""How often a point must be inspected, when it differs from its risk level's default.

A point's `frequency` is one of these keys, or None to follow its level. The escalation
issue reads `per` and `times` to decide when a point is due.
"""

from typing import NamedTuple


class Frequency(NamedTuple):
    """An inspection cadence: `times` inspections per `per` (day, week, two_weeks, month)."""

    key: str
    name_zh: str  # printed on the label
    name_en: str
    times: int
    per: str


FREQUENCIES: dict[str, Frequency] = {f.key: f for f in (
    Frequency("daily", "每日巡检", "Daily", 1, "day"),
    Frequency("twice_weekly", "每周巡检两次", "Twice a week", 2, "week"),
    Frequency("weekly", "每周巡检一次", "Weekly", 1, "week"),
    Frequency("biweekly", "每两周巡检一次", "Every two weeks", 1, "two_weeks"),
    Frequency("monthly", "每月巡检一次", "Monthly", 1, "month"),
)}


def frequency_key(text: str) -> str | None:
    """A frequency from its key, Chinese name (with or without 巡检) or English name."""
    text = text.strip()
    for f in FREQUENCIES.values():
        if text.lower() in (f.key, f.name_en.lower()) or text in (f.name_zh, f.name_zh.replace("巡检", "")):
            return f.key
    return None
