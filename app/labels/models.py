"""Print batches: what was printed, when, by whom, with which token versions."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class BatchStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PrintBatch(db.Model):
    """One print run: a folder under qr_batches/ with a PDF, PNGs and a manifest."""

    __tablename__ = "print_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(120), unique=True)  # e.g. 2026-11-24-school-3-1
    template: Mapped[str] = mapped_column(String(16))
    selection: Mapped[str] = mapped_column(Text)  # JSON: how the points were chosen
    scope_org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: printed from the CLI
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[BatchStatus] = mapped_column(
        Enum(BatchStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=BatchStatus.QUEUED,
    )
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The process rendering it holds a lease it renews as labels are drawn; a lease that ran out
    # means that process stopped (a restart, a killed worker), and whoever looks next takes it up.
    worker: Mapped[str] = mapped_column(String(80), default="", server_default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    created_by: Mapped[User | None] = relationship()
    items: Mapped[list["PrintBatchItem"]] = relationship(order_by="PrintBatchItem.position",
                                                         cascade="all, delete-orphan")


class PrintBatchItem(db.Model):
    """One label of a batch: which point, which token version, where on which page."""

    __tablename__ = "print_batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("print_batches.id", ondelete="CASCADE"), index=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("risk_points.id"), index=True)
    token: Mapped[str] = mapped_column(String(32))
    token_version: Mapped[int] = mapped_column(Integer)
    label_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    position: Mapped[int] = mapped_column(Integer)  # 0-based order in the PDF
    label_file: Mapped[str] = mapped_column(String(120))
