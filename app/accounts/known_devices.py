"""Devices an account has logged in from, remembered in a signed cookie (OWASP's "device cookie").

The cookie holds a random id of the device and the accounts that logged in on it. Failed
logins on such a device for such an account are counted for that device alone
(LOGIN_FAILURES_PER_ACCOUNT_ADDRESS, per account and device): no stranger's tries, from
the same school Wi-Fi or a carrier's shared address, count against the owner's own phone.
Every other try is counted per address, per account and address, and per account
(LOGIN_FAILURES_PER_ACCOUNT): a stranger guessing from many addresses slows down new devices.
"""

import secrets

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "huxiao_device"
#: accounts one device remembers (a shared office PC): the oldest is forgotten first
MOST_ACCOUNTS = 8
ONE_YEAR = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="huxiao-known-device")


def _cookie() -> tuple[str | None, list[str]]:
    """This device's id and the accounts it logged in as, from its signed cookie (none if missing or forged)."""
    try:
        value = _serializer().loads(request.cookies.get(COOKIE, ""))
    except BadSignature:
        return None, []
    if not isinstance(value, dict) or not isinstance(value.get("d"), str) or not isinstance(value.get("a"), list):
        return None, []
    return value["d"], [a for a in value["a"] if isinstance(a, str)]


def known_device(username: str) -> str | None:
    """The id of this device if `username` logged in on it before, else None."""
    device, accounts = _cookie()
    return device if username in accounts else None


def remember(username: str) -> None:
    """After a successful login: this device is known to the account from now on."""
    device, accounts = _cookie()
    value = {"d": device or secrets.token_urlsafe(12),
             "a": [username, *(a for a in accounts if a != username)][:MOST_ACCOUNTS]}

    @after_this_request
    def set_cookie(response):
        # sent to the login only: nothing else needs it
        response.set_cookie(COOKIE, _serializer().dumps(value), max_age=ONE_YEAR, path="/api/auth/login",
                            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response
