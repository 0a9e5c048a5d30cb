"""Fill the outbox from a sweep's new steps, in the sweep's own transaction (so none is ever lost).

Two set-based inserts: each new step to the webhooks of the unit that answers for its level
(a school's robots get levels 1 and 2, a township's 3, a county's 4), and each new
notification to its person's push subscriptions. The unique (channel, target, step) makes a
repeated sweep add nothing.
"""

from datetime import datetime

from sqlalchemy import and_, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from app.escalation.models import Escalation, EscalationStep, Notification
from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit
from app.outbox.models import Delivery, DeliveryState, PushSubscription, Webhook

COLUMNS = ["channel", "target_id", "step_id", "state", "attempts", "next_attempt_at", "last_error", "created_at"]


def _insert(rows) -> None:
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(Delivery.__table__).from_select(COLUMNS, rows).on_conflict_do_nothing())


def _values(channel: str, target_id, step_id, now: datetime) -> list:
    at = Delivery.__table__.c.created_at.type
    return [literal(channel), target_id, step_id, literal(DeliveryState.PENDING.value), literal(0),
            literal(now, at), literal(""), literal(now, at)]


def enqueue(now: datetime) -> None:
    """Queue this sweep's steps (those taken at `now`) for every webhook and push subscription they concern."""
    step, esc = EscalationStep, Escalation
    school, owner = OrgUnit.__table__.alias("school"), OrgUnit.__table__.alias("owner")
    answers = or_(
        and_(owner.c.kind == OrgKind.SCHOOL.value, owner.c.id == school.c.id, step.level.in_([1, 2])),
        and_(owner.c.kind == OrgKind.TOWNSHIP.value, owner.c.id == school.c.parent_id, step.level == 3),
        and_(owner.c.kind == OrgKind.COUNTY.value, school.c.path.startswith(owner.c.path), step.level == 4),
    )
    hooks = (EscalationStep.__table__.join(Escalation.__table__, esc.id == step.escalation_id)
             .join(school, school.c.id == esc.school_id).join(Webhook.__table__, Webhook.active)
             .join(owner, owner.c.id == Webhook.org_unit_id))
    _insert(select(*_values("webhook", Webhook.id, step.id, now)).select_from(hooks).where(step.at == now, answers))
    phones = (Notification.__table__.join(EscalationStep.__table__, step.id == Notification.step_id)
              .join(PushSubscription.__table__, PushSubscription.user_id == Notification.user_id))
    _insert(select(*_values("push", PushSubscription.id, Notification.step_id, now)).select_from(phones)
            .where(step.at == now))
