"""Fill the outbox from a sweep's new steps, in the sweep's own transaction (so none is ever lost).

Two set-based inserts: each new step to the webhooks of the unit that answers for its level
(a school's robots get levels 1 and 2, a township's 3, a county's 4), and each new
notification to its person's push subscriptions. The unique (channel, target, step) makes a
repeated sweep add nothing; and only the steps this sweep took are queued (ids above those
there before it), so a sweep replayed at an old moment does not send again what the outbox
has since pruned.
"""

from datetime import datetime

from sqlalchemy import and_, literal, select

from app.database import insert_select_once
from app.escalation.models import Escalation, EscalationStep, Notification
from app.orgs.models import OrgKind, OrgUnit
from app.outbox.models import Delivery, DeliveryState, PushSubscription, Webhook

COLUMNS = ["channel", "target_id", "step_id", "state", "attempts", "next_attempt_at", "last_error", "created_at"]


def _insert(rows) -> None:
    insert_select_once(Delivery.__table__, COLUMNS, rows)


def _values(channel: str, target_id, step_id, now: datetime) -> list:
    at = Delivery.__table__.c.created_at.type
    return [literal(channel), target_id, step_id, literal(DeliveryState.PENDING.value), literal(0),
            literal(now, at), literal(""), literal(now, at)]


def enqueue(now: datetime, after_step_id: int) -> None:
    """Queue this sweep's steps (taken at `now`, with ids above `after_step_id`) for every webhook and push
    subscription they concern."""
    step, esc = EscalationStep, Escalation
    school, owner = OrgUnit.__table__.alias("school"), OrgUnit.__table__.alias("owner")
    # one equi-join per kind of owner (not every step against every webhook under an OR)
    steps = EscalationStep.__table__.join(Escalation.__table__, esc.id == step.escalation_id)
    in_school = steps.join(school, school.c.id == esc.school_id)
    for source, level in (
        (steps.join(Webhook.__table__, and_(Webhook.org_unit_id == esc.school_id, Webhook.active)),
         step.level.in_([1, 2])),
        (in_school.join(Webhook.__table__, and_(Webhook.org_unit_id == school.c.parent_id, Webhook.active)),
         step.level == 3),
        (in_school.join(owner, and_(owner.c.kind == OrgKind.COUNTY.value, school.c.path.startswith(owner.c.path)))
         .join(Webhook.__table__, and_(Webhook.org_unit_id == owner.c.id, Webhook.active)), step.level == 4),
    ):
        _insert(select(*_values("webhook", Webhook.id, step.id, now)).select_from(source)
                .where(step.at == now, step.id > after_step_id, level))
    phones = (Notification.__table__.join(EscalationStep.__table__, step.id == Notification.step_id)
              .join(PushSubscription.__table__, PushSubscription.user_id == Notification.user_id))
    _insert(select(*_values("push", PushSubscription.id, Notification.step_id, now)).select_from(phones)
            .where(step.at == now, step.id > after_step_id))
