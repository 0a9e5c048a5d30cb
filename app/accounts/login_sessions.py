"""Sessions a person can see and end: one row per login, checked on every request.

The signed cookie carries a random key; the row (by the key's hash) says whether the
session still stands. Logging out, changing or resetting the password, or ending it from
another device ends the row, and with it every copy of the cookie. A session also ends
after `SESSION_IDLE_DAYS` unused and `SESSION_MAX_DAYS` after its login.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app, request, session
from sqlalchemy import delete, or_, select, update

from app.accounts.models import LoginSession
from app.errors import abort
from app.extensions import db

#: the cookie's field holding the session's key
COOKIE_KEY = "sid"
#: how stale `last_seen_at` may get before a request writes it again: no write per request
TOUCH_EVERY = timedelta(minutes=5)
#: ended or expired rows are kept this long (the person sees recent ones), then deleted at their next login
KEEP_ENDED = timedelta(days=30)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetimes() -> tuple[timedelta, timedelta]:
    """How long a session lives unused, and at most after its login."""
    config = current_app.config
    return timedelta(days=config["SESSION_IDLE_DAYS"]), timedelta(days=config["SESSION_MAX_DAYS"])


def start_session(user_id: int, now: datetime) -> str:
    """Record a new login from this request's device and address; return the key for the cookie."""
    idle, most = lifetimes()
    gone = now - KEEP_ENDED
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user_id,
        or_(LoginSession.ended_at < gone, LoginSession.last_seen_at < gone - idle,
            LoginSession.created_at < gone - most)))
    key = secrets.token_urlsafe(24)
    db.session.add(LoginSession(key_hash=key_hash(key), user_id=user_id, created_at=now, last_seen_at=now,
                                device=describe_device(request.user_agent.string),
                                address=(request.remote_addr or "")[:45]))
    db.session.flush()
    return key


def end_sessions(user_id: int, reason: str, now: datetime, keep: int | None = None) -> int:
    """End the person's live sessions but `keep` (a session id); return how many ended."""
    query = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(LoginSession.id != keep)
    return db.session.execute(query.values(ended_at=now, end_reason=reason)).rowcount


def end_previous_session(now: datetime) -> None:
    """End the login this browser's cookie still names, whoever it was: a copy of the old cookie stops working."""
    if key := cookie_key():
        live = update(LoginSession).where(LoginSession.key_hash == key_hash(key), LoginSession.ended_at.is_(None))
        db.session.execute(live.values(ended_at=now, end_reason="logout"))


def end_session(user_id: int, session_id: int, reason: str, now: datetime) -> None:
    """End one of the person's own sessions (404 for anyone else's or an unknown one)."""
    row = db.session.get(LoginSession, session_id)
    if row is None or row.user_id != user_id:
        abort(404, "没有这个会话。/ No such session of yours.", error="unknown_session")
    if row.ended_at is None:
        row.ended_at, row.end_reason = now, reason
    db.session.flush()


def my_sessions(user_id: int, current: int | None, now: datetime) -> list[dict]:
    """The person's live sessions, the current first, then by last use."""
    idle, most = lifetimes()
    rows = db.session.scalars(select(LoginSession).where(
        LoginSession.user_id == user_id, LoginSession.ended_at.is_(None),
        LoginSession.last_seen_at > now - idle, LoginSession.created_at > now - most)).all()
    listed = [{"id": r.id, "device": r.device, "address": r.address, "created_at": r.created_at,
               "last_seen_at": r.last_seen_at, "current": r.id == current,
               "expires_at": min(r.last_seen_at + idle, r.created_at + most)} for r in rows]
    return sorted(listed, key=lambda s: (not s["current"], -s["last_seen_at"].timestamp()))


def cookie_key() -> str | None:
    key = session.get(COOKIE_KEY)
    return key if isinstance(key, str) else None


_BROWSERS = (("MicroMessenger", "微信 WeChat"), ("DingTalk", "钉钉 DingTalk"), ("Edg/", "Edge"),
             ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("HarmonyOS", "HarmonyOS"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("Mac OS X", "Mac"), ("Linux", "Linux"))


def describe_device(user_agent: str) -> str:
    """A short name for a browser and system a person recognises, e.g. "Android · 微信 WeChat"."""
    user_agent = re.sub(r"[\x00-\x1f\x7f]", "", user_agent or "")[:500]
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    return " · ".join(filter(None, (system, browser))) or (user_agent[:60] if user_agent else "?")
