"""Fill the outbox from a sweep's new steps and from each hand-off, in their own transaction (so none is lost).

Two set-based inserts: each new step to the webhooks of the unit that answers for its level
(a school's robots get levels 1 and 2, a township's 3, a county's 4), and each new
notification to its person's push subscriptions. The unique (channel, target, step) makes a
repeated sweep add nothing; and only the steps this sweep took are queued (ids above those
there before it), so a sweep replayed at an old moment does not send again what the outbox
has since pruned. A hand-off goes to its people's phones and to its unit's webhooks.

Outside the county's working hours, what can wait does: its rows are due when people are
next at work (their notices in the inbox are there at once, and the step's time on record is
when it was taken).
"""

from datetime import datetime

from sqlalchemy import and_, literal, select, update

from app.database import insert_select_once
from app.escalation.models import Escalation, EscalationStep, Handoff, Notification
from app.escalation.quiet import next_start
from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit
from app.outbox.models import Delivery, DeliveryState, PushSubscription, Webhook
from app.timezones import school_zone

COLUMNS = ["channel", "target_id", "step_id", "handoff_id", "state", "attempts", "next_attempt_at", "last_error",
           "created_at"]


def _insert(rows) -> None:
    insert_select_once(Delivery.__table__, COLUMNS, rows)


def _values(channel: str, target_id, step_id, now: datetime, handoff_id=None, due: datetime | None = None) -> list:
    """One delivery's columns: a step's (`step_id`) or a hand-off's (`handoff_id`), due now or at `due`."""
    at = Delivery.__table__.c.created_at.type
    return [literal(channel), target_id, step_id if handoff_id is None else literal(None), literal(handoff_id),
            literal(DeliveryState.PENDING.value), literal(0), literal(due or now, at), literal(""), literal(now, at)]


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


def wait_for_working_hours(now: datetime, after_step_id: int, groups: list[tuple]) -> None:
    """Hold this sweep's deliveries until working hours, in each group of counties whose people are off now,
    but for what cannot wait (Speeds.urgent: a red hazard past its deadline or unassigned)."""
    zone = school_zone()
    for schools, speeds, calendar in groups:
        start = next_start(now, speeds.working, calendar, zone)
        if start == now:
            continue
        urgent = and_(Escalation.trigger.in_(["hazard_overdue", "hazard_unassigned"]),
                      Escalation.risk_level.in_(sorted(speeds.at_once)))
        waiting = (select(EscalationStep.id).join(Escalation, Escalation.id == EscalationStep.escalation_id)
                   .where(EscalationStep.id > after_step_id, EscalationStep.at == now,
                          schools(Escalation.school_id), ~urgent))
        db.session.execute(update(Delivery).where(Delivery.step_id.in_(waiting), Delivery.created_at == now,
                                                  Delivery.state == DeliveryState.PENDING)
                           .values(next_attempt_at=start))


def enqueue_handoff(handoff: Handoff, user_ids: list[int], due: datetime) -> None:
    """Queue one hand-off for its people's phones and its unit's webhooks, due at `due`."""
    for channel, target, where in (("webhook", Webhook.id, (Webhook.org_unit_id == handoff.unit_id, Webhook.active)),
                                   ("push", PushSubscription.id, (PushSubscription.user_id.in_(user_ids),))):
        _insert(select(*_values(channel, target, None, handoff.at, handoff.id, due)).where(*where))
