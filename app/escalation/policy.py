"""The escalation ladder, its triggers and how fast each risk level climbs."""

from datetime import timedelta

#: what starts an escalation
TRIGGERS = ("point_overdue", "hazard_unassigned", "hazard_overdue", "rejected_twice")

#: who is told at each level
LADDER = {1: "grid leader", 2: "school safety officer and principal", 3: "township supervisor", 4: "county admin"}
TOP = max(LADDER)

#: how long an escalation stays at a level before it climbs: red in hours, blue in days
CLIMB_HOURS = {"red": 2, "orange": 12, "yellow": 24, "blue": 72}

#: a failed item of a red point is the school's business at once; others wait for the grid first
START_LEVEL = {("hazard_unassigned", "red"): 2}

#: an acknowledgement holds the climb this long
HOLD_HOURS = 24


def climb_after(risk_level: str) -> timedelta:
    """Time spent at one level before the next, for a risk level (the slowest for unknown ones)."""
    return timedelta(hours=CLIMB_HOURS.get(risk_level, max(CLIMB_HOURS.values())))


def start_level(trigger: str, risk_level: str) -> int:
    return START_LEVEL.get((trigger, risk_level), 1)
