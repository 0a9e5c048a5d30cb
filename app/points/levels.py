"""Risk levels (the QR label colours) and risk-point categories.

Levels are configuration: a county that uses three colours sets RISK_LEVELS.
"""

from typing import NamedTuple

from flask import current_app


class RiskLevel(NamedTuple):
    """One risk level: its key, names, print colour and rank (0 = most severe)."""

    key: str
    name_zh: str
    name_en: str
    colour: str
    rank: int


DEFAULT_RISK_LEVELS = (
    RiskLevel("red", "重大风险", "Major risk", "#D7191C", 0),
    RiskLevel("orange", "较大风险", "Significant risk", "#F28E2B", 1),
    RiskLevel("yellow", "一般风险", "General risk", "#F2CC0C", 2),
    RiskLevel("blue", "低风险", "Low risk", "#2C7BB6", 3),
)

#: category key -> (Chinese, English)
CATEGORIES: dict[str, tuple[str, str]] = {
    "fire": ("消防", "Fire"),
    "electrical": ("用电", "Electrical"),
    "canteen": ("食堂食品", "Canteen and food"),
    "dormitory": ("宿舍", "Dormitory"),
    "building": ("校舍", "Buildings"),
    "fence": ("围墙围栏", "Walls and fences"),
    "playground": ("活动场地设施", "Playground and facilities"),
    "gate": ("校门交通", "Gate and traffic"),
    "water": ("水域", "Water"),
    "school_bus": ("校车", "School bus"),
    "other": ("其他", "Other"),
}


def risk_levels() -> tuple[RiskLevel, ...]:
    """Return the configured risk levels, most severe first."""
    return tuple(current_app.config.get("RISK_LEVELS") or DEFAULT_RISK_LEVELS)


def level_keys() -> list[str]:
    """Return the keys of the configured risk levels."""
    return [level.key for level in risk_levels()]


def level_name(key: str) -> str:
    """Return the Chinese name of a risk level key."""
    return next((lvl.name_zh for lvl in risk_levels() if lvl.key == key), key)


def category_name(key: str) -> str:
    """Return the Chinese name of a category key."""
    return CATEGORIES.get(key, (key,))[0]
