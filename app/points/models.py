"""Risk points and the history of their QR tokens."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.orgs.models import Grid, OrgUnit
from app.points.frequencies import FREQUENCIES
from app.points.levels import DEFAULT_RISK_LEVELS, LevelAndCategoryNames, level

if TYPE_CHECKING:
    from app.checklists.models import ChecklistTemplate


class RiskPoint(LevelAndCategoryNames, db.Model):
    """A place or item of a school that must be checked, with its posted QR code."""

    __tablename__ = "risk_points"
    __table_args__ = (
        UniqueConstraint("school_id", "name"),
        # What is overdue, in order, with what the escalation sweep copies as key columns (not
        # PostgreSQL's INCLUDE, which SQLite lacks): on both databases opening and resolving
        # escalations reads the index alone, not a table page per overdue point.
        Index("ix_risk_points_due_at", "due_at", "id", "active", "school_id", "grid_id", "risk_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    location: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(24))
    risk_level: Mapped[str] = mapped_column(String(16))
    responsible: Mapped[str] = mapped_column(String(64), default="")
    # a key of app.points.frequencies.FREQUENCIES; None follows the risk level's default
    frequency: Mapped[str | None] = mapped_column(String(16))
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The token printed now; every token ever issued is in qr_tokens.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    short_code: Mapped[str] = mapped_column(String(9), unique=True)  # printed beside the QR code
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    # Goes up whenever something printed on the label changes: the label is then out of date.
    label_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Schedules: no inspection asked on weekends, holidays and vacations
    school_days_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # JSON list of seasons with another cadence (app.schedules.periods.Season), first match wins
    seasons: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # When it is overdue if not inspected before: the start (in UTC) of its `due_by` day.
    # Kept up to date on every inspection and change, so "overdue" is one indexed comparison.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school: Mapped[OrgUnit] = relationship()
    grid: Mapped[Grid | None] = relationship()
    template: Mapped["ChecklistTemplate"] = relationship()

    @property
    def frequency_name(self) -> str:
        """The cadence printed on the label: the point's own, or its level's."""
        if self.frequency in FREQUENCIES:
            return FREQUENCIES[self.frequency].name_zh
        found = level(self.risk_level)
        return found.frequency_zh if found else DEFAULT_RISK_LEVELS[-1].frequency_zh


class TokenStatus(enum.StrEnum):
    ACTIVE = "active"
    REPLACED = "replaced"  # a new label was issued
    REVOKED = "revoked"  # the point was retired


class QrToken(db.Model):
    """Every token ever issued for a point; its primary key means none is reused."""

    __tablename__ = "qr_tokens"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    # typed in by hand when a camera cannot read the label; as unique as the token
    short_code: Mapped[str] = mapped_column(String(9), unique=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("risk_points.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[TokenStatus] = mapped_column(
        Enum(TokenStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    point: Mapped[RiskPoint] = relationship()
