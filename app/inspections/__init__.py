"""Inspections: one scan of a risk point and its answered checklist."""
