"""Checklist templates and their ordered items."""
