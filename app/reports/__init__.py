"""Oversight reports: 日排查 (daily), 周研判 (weekly) and 月调度 (monthly), for the caller's subtree."""
