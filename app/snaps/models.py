"""A school's public snap-a-hazard code, and the reports that arrive through it."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.orgs.models import OrgUnit
from app.photos.models import Photo
from app.points.tokens import new_token


class SnapCode(db.Model):
    """The code posted at a school's gate; replaced (and the old one ended) if it is abused."""

    __tablename__ = "snap_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school: Mapped[OrgUnit] = relationship()


class ReportStatus(enum.StrEnum):
    NEW = "new"  # waiting in the school's triage queue
    ACCEPTED = "accepted"  # became a hazard
    MERGED = "merged"  # added to a hazard already open
    DISMISSED = "dismissed"  # not a hazard


class PublicReport(db.Model):
    """What a student or parent sent: photos, a description, perhaps a phone number for a reply."""

    __tablename__ = "public_reports"
    # the sender's phone makes a key per report: a retried send is the same report
    __table_args__ = (UniqueConstraint("code_id", "client_key"),
                      # the sweep's digest of new reports reads the untold ones only, however long the history
                      Index("ix_public_reports_untold", "school_id", postgresql_where=text("told_at IS NULL"),
                            sqlite_where=text("told_at IS NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("snap_codes.id"))
    client_key: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(20), default="")
    device_id: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ReportStatus] = mapped_column(
        Enum(ReportStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=ReportStatus.NEW, index=True,
    )
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id"))
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    triage_note: Mapped[str] = mapped_column(Text, default="")
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the sweep's digest told the school of it
    # the sender's own link to the report's progress (/r/<token>): unguessable, since it needs no account
    status_token: Mapped[str] = mapped_column(String(32), unique=True, default=new_token)

    school: Mapped[OrgUnit] = relationship()
    triaged_by: Mapped[User | None] = relationship()
    photos: Mapped[list["PublicReportPhoto"]] = relationship(order_by="PublicReportPhoto.position",
                                                             cascade="all, delete-orphan")

    @property
    def photo_ids(self) -> list[int]:
        return [link.photo_id for link in self.photos]


class PublicReportPhoto(db.Model):
    __tablename__ = "public_report_photos"

    report_id: Mapped[int] = mapped_column(ForeignKey("public_reports.id"), primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    photo: Mapped[Photo] = relationship()
