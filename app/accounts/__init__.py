"""Accounts, roles, sessions and the caller's scope."""
