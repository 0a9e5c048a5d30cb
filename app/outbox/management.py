"""Webhooks of a unit, the caller's push subscriptions, and the outbox's stuck rows, changed on record."""

from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select

from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import in_scope, unit_ids_in_scope
from app.accounts.session_user import SessionUser
from app.audit.services import record
from app.errors import abort
from app.escalation.models import Escalation, EscalationStep, Handoff
from app.extensions import db
from app.orgs.models import OrgUnit
from app.outbox.models import Delivery, PushSubscription, Webhook
from app.outbox.push import public_key
from app.outbox.targets import TargetPolicy, TargetRefused

EDITABLE = ("name", "kind", "url", "secret", "active")


def _check_url(url: str, kind=None, field: str = "url") -> str:
    """Refuse an address Huxiao may not send to (see app/outbox/targets.py): 422 naming the rule and the field."""
    try:
        TargetPolicy.from_config(current_app.config).check_url(url, getattr(kind, "value", kind))
    except TargetRefused as refused:
        abort(422, str(refused), error=refused.code, errors={field: [str(refused)]})
    return url


def webhooks_in_scope(user: SessionUser):
    require(user, MANAGERS, "see webhooks")
    return (select(Webhook).where(Webhook.org_unit_id.in_(unit_ids_in_scope(user)), Webhook.active)
            .order_by(Webhook.id))


def visible_webhook(user: SessionUser, webhook_id: int) -> Webhook:
    require(user, MANAGERS, "manage webhooks")
    hook = db.session.get(Webhook, webhook_id)
    if hook is None or not hook.active or not in_scope(user, db.session.get(OrgUnit, hook.org_unit_id).path):
        abort(404, "No such webhook in your area.", error="unknown_webhook")
    return hook


def _view(hook: Webhook) -> dict:
    return {field: getattr(hook, field) for field in ("org_unit_id", *EDITABLE) if field != "secret"}


def add_webhook(user: SessionUser, data: dict) -> Webhook:
    require(user, MANAGERS, "add webhooks")
    unit = db.session.get(OrgUnit, data["org_unit_id"])
    if unit is None or not in_scope(user, unit.path):
        abort(404, "No such unit in your area.", error="unknown_org_unit")
    hook = Webhook(org_unit_id=unit.id, name=data["name"].strip(), kind=data["kind"], url=_check_url(data["url"], data["kind"]),
                   secret=data.get("secret", ""), created_by_id=user.id)
    db.session.add(hook)
    db.session.flush()
    record(user.id, "create", "webhook", hook.id, None, _view(hook))
    return hook


def change_webhook(user: SessionUser, hook: Webhook, data: dict) -> Webhook:
    before = _view(hook)
    if "url" in data or "kind" in data:
        _check_url(data.get("url", hook.url), data.get("kind", hook.kind))
    for field in EDITABLE:
        if field in data:
            setattr(hook, field, data[field])
    record(user.id, "update" if hook.active else "delete", "webhook", hook.id, before, _view(hook))
    db.session.flush()
    return hook


def subscribe(user: SessionUser, endpoint: str, p256dh: str, auth: str) -> tuple[PushSubscription, bool]:
    """Keep this browser's subscription for the caller (a phone that changed hands now tells its new owner)."""
    if not current_app.config.get("VAPID_PRIVATE_KEY"):
        abort(404, "Web Push is not configured on this server.", error="push_not_configured")
    _check_url(endpoint, field="endpoint")
    found = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    created = found is None
    found = found or PushSubscription(endpoint=endpoint)
    found.user_id, found.p256dh, found.auth = user.id, p256dh, auth
    db.session.add(found)
    db.session.flush()
    return found, created


def unsubscribe(user: SessionUser, endpoint: str) -> None:
    found = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint,
                                                             PushSubscription.user_id == user.id))
    if found is None:
        abort(404, "This browser has no push subscription of yours.", error="unknown_subscription")
    db.session.delete(found)
    db.session.flush()


def push_key() -> str:
    key = current_app.config.get("VAPID_PRIVATE_KEY")
    if not key:
        abort(404, "Web Push is not configured on this server.", error="push_not_configured")
    return public_key(key)


def deliveries_in_scope(user: SessionUser, state: str | None):
    """The outbox rows about the caller's area, newest first (county and township staff)."""
    require(user, MANAGERS, "see the outbox")
    area = unit_ids_in_scope(user)
    stmt = (select(Delivery).outerjoin(EscalationStep, EscalationStep.id == Delivery.step_id)
            .outerjoin(Escalation, Escalation.id == EscalationStep.escalation_id)
            .outerjoin(Handoff, Handoff.id == Delivery.handoff_id)
            .where(or_(Escalation.school_id.in_(area), Handoff.school_id.in_(area))).order_by(Delivery.id.desc()))
    return stmt.where(Delivery.state == state) if state else stmt


def retry_dead(user: SessionUser, ids: list[int] | None, now: datetime) -> int:
    from app.outbox.send import retry

    visible = deliveries_in_scope(user, "dead").with_only_columns(Delivery.id).order_by(None)
    if ids is not None:
        visible = visible.where(Delivery.id.in_(ids))
    return retry(list(db.session.scalars(visible)), now)
