"""What the reports keep of spans that have ended: each school's completion and hazard figures (see app.reports.kept)."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class CompletionSnapshot(db.Model):
    """A school's completion over a span that has ended: no inspection can join it any more.

    Like the paper monthly report, it stands as it was first read: a point retired or
    re-scheduled later does not rewrite the months before.
    """

    __tablename__ = "completion_snapshots"

    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True)
    first: Mapped[date] = mapped_column(Date, primary_key=True)
    end: Mapped[date] = mapped_column(Date, primary_key=True)  # the day after the last
    asked: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    periods: Mapped[int] = mapped_column(Integer)
    met: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HazardSnapshot(db.Model):
    """A school's hazard figures over a span that has ended (app.reports.hazard_figures.HazardCounts).

    Kept like the completion: a hazard voided after the month was closed does not change it.
    """

    __tablename__ = "hazard_snapshots"

    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True)
    first: Mapped[date] = mapped_column(Date, primary_key=True)
    end: Mapped[date] = mapped_column(Date, primary_key=True)  # the day after the last
    reported: Mapped[int] = mapped_column(Integer)
    assigned: Mapped[int] = mapped_column(Integer)
    closed: Mapped[int] = mapped_column(Integer)
    open_at_end: Mapped[int] = mapped_column(Integer)
    overdue_at_end: Mapped[int] = mapped_column(Integer)
    due: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
