"""Escalations, their steps, and the notifications each step sends."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class Escalation(db.Model):
    """One cause climbing the ladder: a point overdue since a moment, or a hazard failing.

    A cause is its subject, its trigger and the moment it began: the same point overdue
    again after an inspection is a new escalation, and a sweep that sees the same cause
    twice adds nothing (the unique constraint).
    """

    __tablename__ = "escalations"
    __table_args__ = (
        UniqueConstraint("subject", "subject_id", "trigger", "began_at"),
        # the open ones only (partial), by trigger and cause: every sweep statement reads it, and
        # a new cause is checked against it, however long the resolved history. No column a
        # climb changes (level, last_step_at): on PostgreSQL a climb is a HOT update in the
        # room the table's fillfactor (85) leaves, and writes no index entry
        Index("ix_escalations_open", "trigger", "subject", "subject_id", "began_at",
              postgresql_where=text("resolved_at IS NULL"), sqlite_where=text("resolved_at IS NULL")),
        {"postgresql_with": {"fillfactor": 85}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(8))  # "point", "hazard" or "report" (a 随手拍 report)
    subject_id: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(24))  # see app.escalation.policy.TRIGGERS
    began_at: Mapped[datetime] = mapped_column(UTCDateTime)
    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    risk_level: Mapped[str] = mapped_column(String(16))
    level: Mapped[int] = mapped_column(Integer, default=0)  # the last step taken: 0 none yet, 1-4
    last_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # acknowledged: no climb till then
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EscalationStep(db.Model):
    """A level reached, once: the unique (escalation, level) makes a second sweep add nothing."""

    __tablename__ = "escalation_steps"
    # (at, level): each sweep finds the steps it took by their moment, however long the history
    __table_args__ = (UniqueConstraint("escalation_id", "level"), Index("ix_escalation_steps_at_level", "at", "level"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique (escalation_id, level) begins with it and serves every lookup
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"))
    level: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    escalation: Mapped[Escalation] = relationship()


class Handoff(db.Model):
    """A hand-off along the chain that tells the people who must act next (see app.escalation.handoffs).

    Made in the transaction of the move itself (assigned, rectified, rejected, passed up...),
    or by a sweep for the school's new 随手拍 reports (one per school per pass), so a notice
    exists exactly when its cause does.
    """

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # see app.escalation.handoffs.KINDS
    subject: Mapped[str] = mapped_column(String(8))  # "hazard", or "school" for its new reports
    subject_id: Mapped[int] = mapped_column(Integer)
    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))  # whose group robots hear of it
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # a red hazard: no quiet hours
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON: deadline, note, count of reports...


class Notification(db.Model):
    """What a person finds in their inbox: one per person per escalation step or per hand-off."""

    __tablename__ = "notifications"
    # the unique (step_id, user_id) also finds who a step told; the inbox reads (user_id, read_at)
    __table_args__ = (UniqueConstraint("step_id", "user_id"), UniqueConstraint("handoff_id", "user_id"),
                      Index("ix_notifications_user_read", "user_id", "read_at"),
                      CheckConstraint("(step_id IS NULL) <> (handoff_id IS NULL)", name="one_cause"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    step_id: Mapped[int | None] = mapped_column(ForeignKey("escalation_steps.id"))
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoffs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    step: Mapped[EscalationStep | None] = relationship()
    handoff: Mapped[Handoff | None] = relationship()


class EscalationPolicy(db.Model):
    """A county's own speeds: hours per level per risk level, the hold, which failures go to the school at once,
    how long triage and verification may wait, and its people's working hours.

    Anything left out follows `app.escalation.policy`'s defaults.
    """

    __tablename__ = "escalation_policies"

    county_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    climb_hours: Mapped[str] = mapped_column(Text, default="{}")  # JSON: risk level key -> hours
    hold_hours: Mapped[int | None] = mapped_column(Integer)
    at_once_levels: Mapped[str | None] = mapped_column(Text)  # JSON list of risk level keys; None: default
    # None: the defaults of app.escalation.policy
    triage_hours: Mapped[int | None] = mapped_column(Integer)  # a 随手拍 report untriaged this long climbs
    verify_hours: Mapped[int | None] = mapped_column(Integer)  # a rectified hazard unverified this long climbs
    work_start: Mapped[str | None] = mapped_column(String(5))  # "07:00": people's working hours begin
    work_end: Mapped[str | None] = mapped_column(String(5))  # "22:00": and end (school time zone)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
