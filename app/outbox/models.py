"""Where steps are sent (webhooks, browsers' push subscriptions) and the outbox of deliveries."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class WebhookKind(enum.StrEnum):
    JSON = "json"  # Huxiao's own event, signed with the secret (X-Huxiao-Signature)
    WECOM = "wecom"  # 企业微信群机器人
    DINGTALK = "dingtalk"  # 钉钉群机器人 (the secret is its 加签 key)


class Webhook(db.Model):
    """A group robot or endpoint of a unit: a school's gets levels 1-2, a township's 3, a county's 4."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[WebhookKind] = mapped_column(
        Enum(WebhookKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PushSubscription(db.Model):
    """One installed PWA's Web Push subscription (a person may have several phones)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENT = "sent"
    DEAD = "dead"  # gave up after MAX_ATTEMPTS; kept, and can be retried by hand
    DROPPED = "dropped"  # its target is gone (webhook removed, push subscription expired)


class Delivery(db.Model):
    """One step or hand-off to one target. The unique (channel, target, step) makes a repeated sweep add nothing.

    A sender claims a row by writing its `claim` and pushing `next_attempt_at` a lease ahead,
    so two senders never send the same row at once, and a sender that dies leaves the row
    to be retried when the lease runs out.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("channel", "target_id", "step_id"),
                      UniqueConstraint("channel", "target_id", "handoff_id"),
                      Index("ix_deliveries_due", "state", "next_attempt_at"),
                      CheckConstraint("(step_id IS NULL) <> (handoff_id IS NULL)", name="one_cause"))

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))  # "webhook" or "push"
    target_id: Mapped[int] = mapped_column(Integer)  # a webhook's or a push subscription's id
    step_id: Mapped[int | None] = mapped_column(ForeignKey("escalation_steps.id"), index=True)
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoffs.id"), index=True)
    state: Mapped[DeliveryState] = mapped_column(
        Enum(DeliveryState, native_enum=False, length=8, values_callable=lambda e: [m.value for m in e]))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
