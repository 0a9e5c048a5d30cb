"""My sessions: where I am logged in, and ending the ones I do not recognise."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields

from app.accounts.login_sessions import end_session, end_sessions, my_sessions
from app.blueprint import Blueprint
from app.db_types import utcnow
from app.idempotency import idempotent_write

blp = Blueprint("my_sessions", __name__, url_prefix="/api/me/sessions",
                description="Where I am logged in; ending sessions")


class LoginSessionOut(Schema):
    id = fields.Integer()
    device = fields.String(metadata={"description": "the browser and system, e.g. Android · 微信 WeChat"})
    address = fields.String(metadata={"description": "the network address it last logged in from"})
    created_at = fields.DateTime(metadata={"description": "when it logged in"})
    last_seen_at = fields.DateTime(metadata={"description": "its last use, to within five minutes"})
    expires_at = fields.DateTime(metadata={"description": "when it ends if unused (or at most, after its login)"})
    current = fields.Boolean(metadata={"description": "this is the session asking"})


class EndedOut(Schema):
    ended = fields.Integer(metadata={"description": "how many sessions ended"})


@blp.route("")
class Sessions(MethodView):
    @blp.response(200, LoginSessionOut(many=True))
    def get(self):
        """My live sessions, this one first."""
        return my_sessions(current_user.id, current_user.session_id, utcnow())


@blp.route("/end-others")
class EndOthers(MethodView):
    @idempotent_write("sessions.end_others")
    @blp.response(200, EndedOut)
    def post(self):
        """End every session of mine but this one (a lost phone, a shared computer)."""
        return {"ended": end_sessions(current_user.id, "ended", utcnow(), keep=current_user.session_id)}


@blp.route("/<id:session_id>")
class OneSession(MethodView):
    @idempotent_write("sessions.end")
    @blp.response(204)
    @blp.alt_response(404, description="No such session of mine (unknown_session)")
    def delete(self, session_id):
        """End one of my sessions; ending this one logs me out."""
        end_session(current_user.id, session_id, "ended", utcnow())
