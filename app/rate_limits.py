"""Throttle counts every worker and server shares: in the app's database, unless Redis is configured.

Flask-Limiter keeps its counts in a `limits` storage named by RATELIMIT_STORAGE_URI. Its
`memory://` is per process, so with gunicorn's two workers every limit was twice what it
said. `huxiao+db://` (the default) keeps them in `rate_limit_counters`, one row per key
and window, counted with one atomic upsert; `redis://...` keeps them in Redis.

A count is written on a connection of its own and committed at once: a failed login is
counted although its request's transaction rolls back.
"""

import hashlib
import random
import time

from limits.storage import Storage
from sqlalchemy import Column, Float, Integer, String, Table, text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

counters = Table(
    "rate_limit_counters", db.metadata,
    Column("key", String(64), primary_key=True),  # SHA-256 of Flask-Limiter's key: keys hold usernames
    Column("count", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),  # seconds since the epoch, as `limits` counts
)

# One statement on both SQLite (3.35+) and PostgreSQL: a new window starts at `amount`.
_HIT = text("""
    INSERT INTO rate_limit_counters (key, count, expires_at) VALUES (:key, :amount, :expires_at)
    ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limit_counters.expires_at <= :now THEN :amount
                     ELSE rate_limit_counters.count + :amount END,
        expires_at = CASE WHEN rate_limit_counters.expires_at <= :now THEN :expires_at
                          ELSE rate_limit_counters.expires_at END
    RETURNING count
""")
_GET = text("SELECT count, expires_at FROM rate_limit_counters WHERE key = :key")
_FORGET_EXPIRED = text("DELETE FROM rate_limit_counters WHERE expires_at <= :now")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """A `limits` storage (fixed windows) in the app's own database; `RATELIMIT_STORAGE_URI=huxiao+db://`."""

    STORAGE_SCHEME = ["huxiao+db"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    #: one hit in this many also deletes the windows that ended (keys of strangers' made-up usernames)
    FORGET_EVERY = 1000

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with db.engine.begin() as connection:
            count = connection.execute(_HIT, {"key": _digest(key), "amount": amount,
                                              "expires_at": now + expiry, "now": now}).scalar_one()
            if random.randrange(self.FORGET_EVERY) == 0:
                connection.execute(_FORGET_EXPIRED, {"now": now})
        return count

    def _row(self, key: str):
        with db.engine.connect() as connection:
            row = connection.execute(_GET, {"key": _digest(key)}).first()
        return row if row is not None and row.expires_at > time.time() else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(counters.delete()).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(counters.delete().where(counters.c.key == _digest(key)))
