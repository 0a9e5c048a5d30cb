"""Log in, log out, and who am I."""

from flask import current_app, request, session
from flask.views import MethodView
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from app.accounts.known_devices import known_device, remember
from app.accounts.login_sessions import COOKIE_KEY, end_previous_session, end_session, start_session
from app.accounts.management import change_own_password
from app.accounts.models import User
from app.accounts.people_routes import OwnPasswordIn
from app.blueprint import Blueprint
from app.idempotency import idempotent_write
from app.accounts.schemas import LoginIn, MessageOut, SessionOut
from app.db_types import utcnow
from app.errors import abort
from app.extensions import db, limiter

blp = Blueprint("auth", __name__, url_prefix="/api", description="Sessions")

THROTTLED = "登录失败次数过多，请过几分钟再试。/ Too many failed logins: wait a few minutes and try again."
ACCOUNT_THROTTLED = ("这个账号近期登录失败过多：请在以前登录过的设备上登录，或一小时后再试。/ "
                     "Too many failed logins for this account: log in from a device you used before, "
                     "or try in an hour.")


def _username() -> str:
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    return str(username).strip().lower()[:64] if username else "-"


def _account_address_key() -> str:
    """Per account and address; on a device the account logged in on before, per account and device."""
    device = known_device(_username())
    where = f"device:{device}" if device else f"address:{request.remote_addr or 'unknown'}"
    return f"account:{_username()}|{where}"


def _account_key() -> str:
    return f"account:{_username()}"


def _known_device() -> bool:
    return known_device(_username()) is not None


def _failed(response) -> bool:
    return response.status_code == 401


@blp.route("/auth/login")
class Login(MethodView):
    # OWASP's scheme (app/accounts/known_devices.py): a device the account logged in on before is
    # counted for itself alone; any other try per address, per (account, address) and per account
    @limiter.limit(lambda: current_app.config["LOGIN_FAILURES_PER_ADDRESS"], deduct_when=_failed,
                   exempt_when=_known_device, error_message=THROTTLED, scope="login-address")
    @limiter.limit(lambda: current_app.config["LOGIN_FAILURES_PER_ACCOUNT_ADDRESS"], key_func=_account_address_key,
                   deduct_when=_failed, error_message=THROTTLED, scope="login-account-address")
    @limiter.limit(lambda: current_app.config["LOGIN_FAILURES_PER_ACCOUNT"], key_func=_account_key,
                   deduct_when=_failed, exempt_when=_known_device, error_message=ACCOUNT_THROTTLED,
                   scope="login-account")
    @blp.arguments(LoginIn)
    @blp.response(200, SessionOut)
    @blp.alt_response(401, description="Wrong username or password")
    @blp.alt_response(429, description="Too many failed logins from this address, for this account from this "
                                       "address, or for this account from devices it never logged in from")
    def post(self, credentials):
        """Start a session; answers the CSRF token to send on every write."""
        user = db.session.scalar(select(User).where(User.username == credentials["username"].strip()))
        if user is None or not user.active or not user.check_password(credentials["password"]):
            abort(401, "Wrong username or password.", error="bad_credentials")
        end_previous_session(utcnow())  # logging in again on this browser ends its last login
        session.clear()  # a fresh session: nothing carried over from before login
        login_user(user)
        session[COOKIE_KEY] = start_session(user.id, utcnow())
        remember(_username())
        session.permanent = True
        db.session.commit()
        return {"user": user, "csrf_token": generate_csrf()}


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(200, MessageOut)
    def post(self):
        """End the session, on the server too: a copy of the cookie no longer works."""
        if current_user.is_authenticated and current_user.session_id is not None:
            end_session(current_user.id, current_user.session_id, "logout", utcnow())
            db.session.commit()
        logout_user()
        session.clear()
        return {"message": "已退出登录。/ Logged out."}


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, SessionOut)
    def get(self):
        """Return the logged-in person and their CSRF token."""
        return {"user": current_user, "csrf_token": generate_csrf()}


@blp.route("/me/password")
class ChangePassword(MethodView):
    @idempotent_write("me.password")
    @blp.arguments(OwnPasswordIn)
    @blp.response(200, MessageOut)
    def post(self, data):
        """Choose your own password (required after an admin set or reset it)."""
        change_own_password(current_user, data["old_password"], data["new_password"])
        return {"message": "Password changed."}
