"""Inspections, their item results and photos, and idempotency keys."""

import enum
from datetime import datetime

from sqlalchemy import Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.photos.models import Photo
from app.points.models import RiskPoint


class ItemResult(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NA = "na"


class Inspection(db.Model):
    """One patrol of one point: who, when, where, and each item's answer."""

    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_point_submitted", "point_id", "submitted_at"),
        # reports read a span of time for every point at once; on PostgreSQL from the index alone
        Index("ix_inspections_submitted", "submitted_at", postgresql_include=["point_id", "failed_count"]),
        # the patrol-quality check looks at the inspector's inspections just before
        Index("ix_inspections_inspector_submitted", "inspector_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("risk_points.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    # The token scanned: which label was on the wall.
    token: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the phone opened the checklist (its own clock, like captured_at): how long the check took
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")

    point: Mapped[RiskPoint] = relationship()
    inspector: Mapped[User] = relationship()
    results: Mapped[list["InspectionResult"]] = relationship(
        back_populates="inspection", order_by="InspectionResult.position", cascade="all, delete-orphan"
    )
    photos: Mapped[list["InspectionPhoto"]] = relationship(cascade="all, delete-orphan")

    @property
    def location(self) -> dict | None:
        if self.latitude is None:
            return None
        return {"latitude": self.latitude, "longitude": self.longitude, "accuracy": self.accuracy_m}

    @property
    def photo_ids(self) -> list[int]:
        return [link.photo_id for link in self.photos]


class InspectionResult(db.Model):
    """One item's answer, with the item's text as it was asked."""

    __tablename__ = "inspection_results"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    position: Mapped[int] = mapped_column(Integer)
    item_text: Mapped[str] = mapped_column(String(200))
    result: Mapped[ItemResult] = mapped_column(
        Enum(ItemResult, native_enum=False, length=8, values_callable=lambda e: [m.value for m in e])
    )
    note: Mapped[str] = mapped_column(Text, default="")

    inspection: Mapped[Inspection] = relationship(back_populates="results")


class InspectionPhoto(db.Model):
    """A photo attached to an inspection, and to one of its items when it shows a failure."""

    __tablename__ = "inspection_photos"

    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"), primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id"))

    photo: Mapped[Photo] = relationship()


class InspectionFlag(db.Model):
    """A sign that an inspection may not have been done on the spot. Shown to the school and county, never blocking."""

    __tablename__ = "inspection_flags"
    __table_args__ = (UniqueConstraint("inspection_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # see app.inspections.quality.KINDS
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the figures behind it

    inspection: Mapped[Inspection] = relationship()


class IdempotencyKey(db.Model):
    """A client's key for one write, with the answer it got, so a retry gets it again."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(128))
    endpoint: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
