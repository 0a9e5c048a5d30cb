"""Sessions: who is logged in, what needs a session, and CSRF on writes."""

from flask import Flask, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.accounts.login_sessions import cookie_key
from app.accounts.session_user import SessionUser, load_logged_in
from app.db_types import utcnow
from app.errors import abort
from app.extensions import csrf, login

#: what a person who must first choose a new password may still do
PASSWORD_CHANGE_ENDPOINTS = {"auth.Me", "auth.Logout", "auth.ChangePassword"}
#: endpoints anyone may call without a session
PUBLIC_ENDPOINTS = {
    "auth.Login",
    "snaps.PublicSnap",  # 随手拍: students and parents have no account
    "snaps.PublicReportStatus",  # and follow their report by the link on its receipt
    "snaps.PublicReportStatusQr",
    "push_renewal.Renewal",  # a service worker has no CSRF token: the old subscription's secret proves it
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    "swagger_ui_assets",
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@login.user_loader
def load_user(user_id: str) -> SessionUser | None:
    """Load the session's user: a session ended, expired or of a deactivated person ends here."""
    key = cookie_key()
    try:
        return load_logged_in(int(user_id), key, utcnow()) if key else None
    except ValueError:
        return None


@login.unauthorized_handler
def unauthorized():
    abort(401, "Log in first: this needs a session.", error="login_required")


def guard_api() -> None:
    """Refuse API calls without a session, and writes without the session's CSRF token."""
    if not request.path.startswith("/api/") or request.endpoint in PUBLIC_ENDPOINTS:
        return
    if request.routing_exception is not None:  # no such route or method: 404 or 405 for everyone alike
        return
    if not current_user.is_authenticated:
        unauthorized()
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        abort(403, "Choose your own password first (POST /api/me/password).", error="password_change_required")
    if request.method in UNSAFE_METHODS:
        try:
            csrf.protect()
        except CSRFError as exc:
            abort(403, f"CSRF check failed: {exc.description} Send the X-CSRF-Token header "
                       "given at login.", error="csrf_failed")


def init_sessions(app: Flask) -> None:
    """Bind Flask-Login and CSRF, and guard every API call by default."""
    login.init_app(app)
    # Phones change address all the time on mobile data; Flask-Login's "basic" session
    # protection would only mark such sessions non-fresh, which nothing here uses.
    login.session_protection = None
    csrf.init_app(app)
    app.before_request(guard_api)
