"""A county's school calendar and schedule policy."""

from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.schedules.calendar import DayKind


class CalendarEntry(db.Model):
    """A day off, a make-up working day (调休) or a school vacation, entered by a county."""

    __tablename__ = "calendar_entries"
    __table_args__ = (Index("ix_calendar_entries_county_start", "county_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    kind: Mapped[DayKind] = mapped_column(
        Enum(DayKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)  # inclusive
    name: Mapped[str] = mapped_column(String(50), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SchedulePolicy(db.Model):
    """A county's default inspection cadence per risk level, e.g. {"red": "daily", ...}."""

    __tablename__ = "schedule_policies"

    county_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    level_frequencies: Mapped[str] = mapped_column(Text, default="{}")  # JSON: level key -> frequency key
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
