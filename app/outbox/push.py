"""Web Push (VAPID) to installed PWAs, through pywebpush: encrypted per subscription, signed per push service."""

import base64
import json
from functools import lru_cache

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02

#: seconds a push service keeps a message for a phone that is off (a day: an escalation is news for a day)
TTL = 24 * 3600


class Gone(Exception):
    """The push service says this subscription no longer exists (the app was uninstalled or reset)."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@lru_cache(maxsize=4)
def vapid(private_key: str) -> Vapid02:
    """The VAPID key from VAPID_PRIVATE_KEY (base64url raw or DER, as `flask push keys` prints)."""
    return Vapid02.from_string(private_key=private_key)


def public_key(private_key: str) -> str:
    """The applicationServerKey browsers subscribe with: the uncompressed P-256 point, base64url."""
    return _b64url(vapid(private_key).public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def new_private_key() -> str:
    key = Vapid02()
    key.generate_keys()
    return _b64url(key.private_key.private_numbers().private_value.to_bytes(32, "big"))


def check_private_key(private_key: str) -> str:
    """Refuse a VAPID_PRIVATE_KEY that is not a key at start-up, not at the first push."""
    try:
        public_key(private_key)
    except Exception:  # py_vapid raises several kinds for a bad key
        raise RuntimeError("VAPID_PRIVATE_KEY is not a VAPID private key: make one with `flask push keys`") from None
    return private_key


def send_push(session, subscription, payload: dict, private_key: str, subject: str, timeout: float) -> None:
    """Send one push; raises Gone for an expired subscription, another exception for a failure to retry."""
    # imported here: pywebpush brings aiohttp (about 0.2 s), which every worker would pay at start
    from pywebpush import WebPushException, webpush

    info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    try:
        webpush(info, json.dumps(payload, ensure_ascii=False), vapid_private_key=vapid(private_key),
                vapid_claims={"sub": subject}, timeout=timeout, ttl=TTL, requests_session=session)
    except WebPushException as exc:
        if exc.response is not None and exc.response.status_code in (404, 410):
            raise Gone(f"push service answered {exc.response.status_code}") from None
        status = exc.response.status_code if exc.response is not None else "no answer"
        raise RuntimeError(f"push service answered {status}") from None
