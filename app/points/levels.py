"""Risk levels (the QR label colours) and risk-point categories.

Levels are configuration, most severe first: a county that uses three colours points
RISK_LEVELS_FILE at a JSON list of levels (see `load_levels`).
"""

import json
import re
from pathlib import Path
from typing import NamedTuple

from flask import current_app


class RiskLevel(NamedTuple):
    """One risk level: its key, names, print colour and default inspection frequency."""

    key: str
    name_zh: str
    name_en: str
    colour: str  # "#RRGGBB", the label's frame and band
    frequency_zh: str  # printed on the label, e.g. 每日巡检


DEFAULT_RISK_LEVELS = (
    RiskLevel("red", "重大风险", "Major risk", "#D7191C", "每日巡检"),
    RiskLevel("orange", "较大风险", "Significant risk", "#F28E2B", "每周巡检两次"),
    RiskLevel("yellow", "一般风险", "General risk", "#F2CC0C", "每周巡检一次"),
    RiskLevel("blue", "低风险", "Low risk", "#2C7BB6", "每两周巡检一次"),
)
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def load_levels(path: str) -> tuple[RiskLevel, ...]:
    """Read levels from a JSON file: [{"key", "name_zh", "name_en", "colour", "frequency_zh"}, ...]."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        levels = tuple(RiskLevel(**{field: str(entry[field]) for field in RiskLevel._fields}) for entry in raw)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise RuntimeError(f"RISK_LEVELS_FILE {path}: not a list of levels with the fields "
                           f"{', '.join(RiskLevel._fields)} ({exc})") from None
    keys = [level.key for level in levels]
    if not levels or len(set(keys)) != len(keys):
        raise RuntimeError(f"RISK_LEVELS_FILE {path}: needs at least one level and unique keys")
    bad = [level.colour for level in levels if not _COLOUR.match(level.colour)]
    if bad:
        raise RuntimeError(f"RISK_LEVELS_FILE {path}: colours must look like #D7191C, not {bad}")
    return levels

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


def level(key: str) -> RiskLevel | None:
    """Return the configured level with this key."""
    return next((lvl for lvl in risk_levels() if lvl.key == key), None)


def level_name(key: str) -> str:
    """Return the Chinese name of a risk level key."""
    found = level(key)
    return found.name_zh if found else key


def category_name(key: str) -> str:
    """Return the Chinese name of a category key."""
    return CATEGORIES.get(key, (key,))[0]


class LevelAndCategoryNames:
    """For rows with `risk_level` and `category` keys (points, hazards): their Chinese names."""

    @property
    def risk_level_name(self) -> str:
        return level_name(self.risk_level)

    @property
    def category_name(self) -> str:
        return category_name(self.category)
