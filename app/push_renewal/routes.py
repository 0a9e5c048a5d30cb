"""POST /api/push/subscriptions/renew: the service worker's answer to `pushsubscriptionchange`.

Public (no session, no CSRF token): the old subscription's `auth` secret is the proof, see
services.py. Refusals are throttled per address, so the secret cannot be guessed at speed.
"""

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy.exc import IntegrityError

from app.blueprint import Blueprint
from app.extensions import db, limiter
from app.fields import Line
from app.outbox.routes import SubscriptionIn, SubscriptionOut
from app.push_renewal.services import renew

blp = Blueprint("push_renewal", __name__, url_prefix="/api",
                description="A browser's rotated Web Push subscription, renewed by its service worker")

THROTTLED = "续订推送失败次数过多，请稍后再试。/ Too many refused renewals from this network: please try again later."


class RenewIn(Schema):
    old_endpoint = Line(1000, required=True, required_text=True,
                        metadata={"description": "the endpoint of the subscription that was replaced"})
    old_auth = Line(100, required=True, required_text=True,
                    metadata={"description": "that subscription's keys.auth: only its browser knows it"})
    subscription = fields.Nested(SubscriptionIn, required=True,
                                 metadata={"description": "the new subscription's toJSON()"})


@blp.route("/push/subscriptions/renew")
class Renewal(MethodView):
    @limiter.limit(lambda: current_app.config["PUSH_RENEWAL_REFUSALS_PER_ADDRESS"], error_message=THROTTLED,
                   deduct_when=lambda response: response.status_code >= 400, scope="push-renewal-address")
    @blp.arguments(RenewIn)
    @blp.response(200, SubscriptionOut)
    @blp.alt_response(403, description="The old subscription's secret does not match (subscription_mismatch)")
    @blp.alt_response(404, description="No such old subscription (unknown_subscription), or no Web Push here")
    @blp.alt_response(409, description="The new endpoint is another subscription's (endpoint_taken)")
    @blp.alt_response(429, description="Too many refused renewals from this address")
    def post(self, data):
        """No session needed: move my old subscription to the new one the browser was given (idempotent)."""
        new = data["subscription"]
        args = (data["old_endpoint"], data["old_auth"], new["endpoint"], new["keys"]["p256dh"], new["keys"]["auth"])
        try:
            found = renew(*args)
            db.session.commit()
        except IntegrityError:  # the page's own claim of the new endpoint committed meanwhile: renew beside it
            db.session.rollback()
            found = renew(*args)
            db.session.commit()
        return found
