"""Webhooks (group robots) per unit, Web Push subscriptions, and the outbox of deliveries."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.blueprint import Blueprint
from app.db_types import utcnow
from app.extensions import db
from app.fields import Choice, Id, Line
from app.idempotency import idempotent_write
from app.outbox.management import (add_webhook, change_webhook, deliveries_in_scope, push_key, retry_dead,
                                   subscribe, unsubscribe, visible_webhook, webhooks_in_scope)
from app.outbox.models import DeliveryState, WebhookKind
from app.pagination import SelectPage

blp = Blueprint("outbox", __name__, url_prefix="/api", description="Where escalation steps are sent: webhooks, Web Push")

KINDS = [k.value for k in WebhookKind]


class WebhookIn(Schema):
    org_unit_id = Id(required=True, metadata={
        "description": "a school's webhook gets levels 1-2, a township's level 3, a county's level 4"})
    name = Line(50, required=True, required_text=True)
    kind = Choice(KINDS, required=True,
                  metadata={"description": "json (Huxiao's event), wecom (企业微信), dingtalk (钉钉)"})
    url = Line(500, required=True, required_text=True)
    secret = Line(200, load_default="", metadata={"description": "json: HMAC key of X-Huxiao-Signature; dingtalk: 加签 key"})


class WebhookChange(Schema):
    name = Line(50, required_text=True)
    kind = Choice(KINDS)
    url = Line(500, required_text=True)
    secret = Line(200)


class WebhookOut(Schema):
    id = fields.Integer()
    org_unit_id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    url = fields.String()
    has_secret = fields.Function(lambda hook: bool(hook.secret))
    created_at = fields.DateTime()


class KeysIn(Schema):
    p256dh = Line(200, required=True, required_text=True)
    auth = Line(100, required=True, required_text=True)


class SubscriptionIn(Schema):
    endpoint = Line(1000, required=True, required_text=True)
    keys = fields.Nested(KeysIn, required=True)
    # sent by PushSubscription.toJSON() (milliseconds since 1970, or null); not used
    expirationTime = fields.Float(allow_none=True, validate=validate.Range(0, 2**53))


class EndpointIn(Schema):
    endpoint = Line(1000, required=True, required_text=True)


class SubscriptionOut(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    created_at = fields.DateTime()


class DeliveryOut(Schema):
    id = fields.Integer()
    channel = fields.String()
    target_id = fields.Integer()
    step_id = fields.Integer(allow_none=True, metadata={"description": "the escalation step it carries, or"})
    handoff_id = fields.Integer(allow_none=True, metadata={"description": "the hand-off it carries"})
    state = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    last_error = fields.String()
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class DeliveryQuery(Schema):
    state = Choice([s.value for s in DeliveryState])


class RetryIn(Schema):
    ids = fields.List(Id(), allow_none=True, load_default=None, validate=validate.Length(max=1000),
                      metadata={"description": "which dead deliveries; omitted: all in my area"})


@blp.route("/webhooks")
class Webhooks(MethodView):
    @blp.response(200, WebhookOut(many=True))
    def get(self):
        """The webhooks of my area (the secret is never shown)."""
        return list(db.session.scalars(webhooks_in_scope(current_user)))

    @idempotent_write("webhooks.create")
    @blp.arguments(WebhookIn)
    @blp.response(201, WebhookOut)
    def post(self, data):
        """Add a group robot or endpoint to a unit (school, township or county) of my area."""
        return add_webhook(current_user, data)


@blp.route("/webhooks/<id:webhook_id>")
class OneWebhook(MethodView):
    @idempotent_write("webhooks.change")
    @blp.arguments(WebhookChange)
    @blp.response(200, WebhookOut)
    def patch(self, data, webhook_id):
        """Change a webhook's name, kind, address or secret."""
        return change_webhook(current_user, visible_webhook(current_user, webhook_id), data)

    @idempotent_write("webhooks.delete")
    @blp.response(204)
    def delete(self, webhook_id):
        """Remove a webhook: its waiting deliveries are dropped, its history kept."""
        change_webhook(current_user, visible_webhook(current_user, webhook_id), {"active": False})


@blp.route("/push/key")
class PushKey(MethodView):
    @blp.response(200, Schema.from_dict({"public_key": fields.String()}, name="PushKey")())
    def get(self):
        """The VAPID public key to subscribe with (404 push_not_configured when the server has none)."""
        return {"public_key": push_key()}


@blp.route("/push/subscriptions")
class PushSubscriptions(MethodView):
    @idempotent_write("push.subscribe")
    @blp.arguments(SubscriptionIn)
    @blp.response(201, SubscriptionOut)
    def post(self, data):
        """Send my notifications to this browser too (its PushSubscription.toJSON()); 200 if it was known."""
        found, created = subscribe(current_user, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"])
        return found, 201 if created else 200

    @idempotent_write("push.unsubscribe")
    @blp.arguments(EndpointIn)
    @blp.response(204)
    def delete(self, data):
        """Stop pushing to this browser."""
        unsubscribe(current_user, data["endpoint"])


@blp.route("/outbox")
class Outbox(MethodView):
    @blp.arguments(DeliveryQuery, location="query")
    @blp.response(200, DeliveryOut(many=True))
    @blp.paginate(SelectPage, page_size=50, max_page_size=500)
    def get(self, query):
        """Deliveries about my area, newest first: state=dead lists what gave up, with its last error."""
        return deliveries_in_scope(current_user, query.get("state"))


@blp.route("/outbox/retry")
class Retry(MethodView):
    @idempotent_write("outbox.retry")
    @blp.arguments(RetryIn)
    @blp.response(200, Schema.from_dict({"requeued": fields.Integer()}, name="Requeued")())
    def post(self, data):
        """Send dead deliveries again now (after fixing the webhook's address, say)."""
        return {"requeued": retry_dead(current_user, data["ids"], utcnow())}
