"""Database connection settings per backend."""

import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


SYNCHRONOUS_LEVELS = ("NORMAL", "FULL")


def _sqlite_pragmas(synchronous: str):
    def on_connect(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # WAL lets readers go on while one gunicorn worker writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            # NORMAL: a commit survives any crash of Huxiao, but not a power cut in the
            # moment after it; FULL survives that too and costs an fsync per commit.
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.close()

    return on_connect


def engine_options(uri: str) -> dict:
    """Connection-pool settings for the configured backend."""
    if uri.startswith("sqlite"):
        return {}  # a local file: nothing to ping
    # A server connection may have been dropped while idle in the pool.
    return {"pool_pre_ping": True}


def init_database(app: Flask) -> None:
    """Apply per-backend connection settings once the engine exists."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            synchronous = app.config["SQLITE_SYNCHRONOUS"].upper()
            if synchronous not in SYNCHRONOUS_LEVELS:
                raise RuntimeError(f"SQLITE_SYNCHRONOUS must be NORMAL or FULL, not {synchronous!r}")
            event.listen(engine, "connect", _sqlite_pragmas(synchronous))


def fetch_all(stmt, params: dict) -> list:
    """Run a column select on the session's connection, skipping the ORM layer (hot paths)."""
    return list(db.session.connection().execute(stmt, params).mappings())


def execute(stmt, params: dict | list[dict]):
    """Run a prebuilt Core statement on the session's connection (hot-path writes)."""
    return db.session.connection().execute(stmt, params)


def fetch_one(stmt, params: dict):
    """Run a column select on the session's connection; the first row as a mapping, or None."""
    return db.session.connection().execute(stmt, params).mappings().first()


def insert_select_once(table, columns: list[str], rows) -> None:
    """INSERT ... SELECT ... ON CONFLICT DO NOTHING in the session's dialect: rows already there are skipped."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(table).from_select(columns, rows).on_conflict_do_nothing())
