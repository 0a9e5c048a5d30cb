"""The local day of a timestamp as a whole number of days since a local midnight, in SQL.

Timestamps are stored as naive UTC. A day number is counted from `base` (an aware local
midnight) in steps of 24 h, which is exact for a zone without daylight saving time --
China's (Asia/Shanghai) has none since 1991.
"""

from datetime import datetime, timezone

from sqlalchemy import ColumnElement, Integer, cast, func, literal

from app.extensions import db


def day_number(column, base: datetime) -> ColumnElement[int]:
    """floor((column - base) / 1 day), for column >= base."""
    naive = base.astimezone(timezone.utc).replace(tzinfo=None)
    if db.engine.dialect.name == "postgresql":
        seconds = func.extract("epoch", column - literal(naive))
        return cast(func.floor(seconds / 86400), Integer)
    return cast(func.julianday(column) - func.julianday(literal(naive)), Integer)  # both >= 0: truncation floors
