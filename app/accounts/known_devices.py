"""Devices an account has logged in from, remembered in a signed cookie (OWASP's "device cookie").

Failed logins for an account from devices it never logged in from are limited
(LOGIN_FAILURES_PER_ACCOUNT): a stranger guessing from many addresses is slowed down.
A device the account logged in from before carries this cookie and is held only by its
own limits (per address, per account and address), so a stranger's tries never lock
the owner out of their own phone.
"""

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "huxiao_device"
#: accounts one device remembers (a shared office PC): the oldest is forgotten first
MOST_ACCOUNTS = 8
ONE_YEAR = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="huxiao-known-device")


def known_accounts() -> list[str]:
    """The accounts this device logged in as, from its signed cookie (none if missing or forged)."""
    try:
        accounts = _serializer().loads(request.cookies.get(COOKIE, ""))
    except BadSignature:
        return []
    return [a for a in accounts if isinstance(a, str)] if isinstance(accounts, list) else []


def is_known(username: str) -> bool:
    return username in known_accounts()


def remember(username: str) -> None:
    """After a successful login: this device is known to the account from now on."""
    accounts = [username, *(a for a in known_accounts() if a != username)][:MOST_ACCOUNTS]

    @after_this_request
    def set_cookie(response):
        # sent to the login only: nothing else needs it
        response.set_cookie(COOKIE, _serializer().dumps(accounts), max_age=ONE_YEAR, path="/api/auth/login",
                            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response
