"""Schedules: when each risk point is due, by its cadence, its seasons and the school calendar."""
