"""Renewing a push subscription on the word of the browser that holds it, with no session.

A push service may replace a subscription at any time (`pushsubscriptionchange`); the service
worker that hears of it has no session cookie it may rely on and cannot send the CSRF header.
What proves it is the same browser is the old subscription's `auth` secret: the browser made it,
the server keeps it to encrypt, and nobody else has ever seen it. So the old row (same person)
takes the new endpoint and keys; nothing else about it changes.
"""

import hmac

from flask import current_app
from sqlalchemy import select

from app.errors import abort
from app.extensions import db
from app.outbox.management import _check_url
from app.outbox.models import PushSubscription

UNKNOWN = "服务器不认识这个推送订阅，请在应用里重新开启消息推送。/ This push subscription is unknown: turn push on again in the app."
MISMATCH = "推送订阅的密钥不符，未更新。/ The subscription's secret does not match: nothing was renewed."
TAKEN = "新的推送地址已属于另一个订阅。/ The new push address belongs to another subscription."


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _find(endpoint: str) -> PushSubscription | None:
    return db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))


def renew(old_endpoint: str, old_auth: str, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Move the old subscription's row to the new endpoint and keys; idempotent.

    Sent twice, the second finds the old endpoint gone and the new one already holding these
    keys: that is the answer again. If the page's start-up claim got there first (the new
    endpoint is a row of its own, with these keys), the old row, whose endpoint is dead, goes.
    """
    if not current_app.config.get("VAPID_PRIVATE_KEY"):
        abort(404, "Web Push is not configured on this server.", error="push_not_configured")
    _check_url(endpoint, field="endpoint")
    old = _find(old_endpoint)
    new = old if endpoint == old_endpoint else _find(endpoint)
    holds_new_keys = new is not None and _same(new.auth, auth) and _same(new.p256dh, p256dh)
    if old is None:
        if holds_new_keys:
            return new
        abort(404, UNKNOWN, error="unknown_subscription")
    if not _same(old.auth, old_auth):
        abort(403, MISMATCH, error="subscription_mismatch")
    if new is not None and new is not old:
        if not holds_new_keys:
            abort(409, TAKEN, error="endpoint_taken")
        db.session.delete(old)
        db.session.flush()
        return new
    old.endpoint, old.p256dh, old.auth = endpoint, p256dh, auth
    db.session.flush()
    return old
