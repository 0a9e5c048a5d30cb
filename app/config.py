"""Configuration read from environment variables, with safe local defaults."""

import os
import secrets
from pathlib import Path

from app.timezones import DEFAULT as DEFAULT_ZONE, check_zone


def instance_secret(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"environment variable {name} must be a whole number, got {raw!r}") from None


def _deadline_hours(raw: str | None) -> dict[str, int] | None:
    """HAZARD_DEADLINE_HOURS, e.g. "red=24,orange=72,yellow=168,blue=360"; None keeps the defaults."""
    if not raw:
        return None
    from app.hazards.deadlines import parse_hours

    try:
        return parse_hours(raw)
    except ValueError as exc:
        raise RuntimeError(str(exc)) from None


def _vapid(env, public_base_url: str) -> dict:
    """Web Push: VAPID_PRIVATE_KEY (from `flask push keys`) and who push services may contact about it."""
    key = env.get("VAPID_PRIVATE_KEY") or None
    subject = env.get("VAPID_SUBJECT") or (public_base_url if public_base_url.startswith("https://") else None)
    if key:
        from app.outbox.push import check_private_key

        check_private_key(key)
        if not subject or not subject.startswith(("mailto:", "https://")):
            raise RuntimeError("Web Push needs VAPID_SUBJECT: a mailto: address or https:// page of whoever runs "
                               "this server (push services write to it if something goes wrong)")
    return {"VAPID_PRIVATE_KEY": key, "VAPID_SUBJECT": subject}


def database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver that Huxiao ships with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _keep_days() -> int:
    days = _int_env("OUTBOX_KEEP_DAYS", 90)
    if days < 1:
        raise RuntimeError(f"OUTBOX_KEEP_DAYS must be at least 1 (days), got {days}")
    return days


def _session_days() -> dict:
    idle, most = _int_env("SESSION_IDLE_DAYS", 30), _int_env("SESSION_MAX_DAYS", 90)
    if not 1 <= idle <= most:
        raise RuntimeError(f"SESSION_IDLE_DAYS ({idle}) must be at least 1 and at most SESSION_MAX_DAYS ({most})")
    # the cookie lasts as long as the longest a session may: the server decides sooner
    return {"SESSION_IDLE_DAYS": idle, "SESSION_MAX_DAYS": most, "PERMANENT_SESSION_LIFETIME": most * 24 * 3600}


def from_environment(instance_path: str) -> dict:
    """Build the app's configuration from the environment."""
    env = os.environ
    huxiao_env = env.get("HUXIAO_ENV", "development")
    db_url = database_url(env.get("DATABASE_URL") or "sqlite:///" + os.path.join(instance_path, "huxiao.db"))
    photo_max = _int_env("PHOTO_MAX_BYTES", 10 * 1024 * 1024)
    public_base_url = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    if huxiao_env == "production" and not env.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set when HUXIAO_ENV=production")
    return {
        "HUXIAO_ENV": huxiao_env,
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "PUBLIC_BASE_URL": public_base_url,
        "PHOTO_DIR": env.get("PHOTO_DIR") or os.path.join(instance_path, "photos"),
        "PHOTO_MAX_BYTES": photo_max,
        "TIME_ZONE": check_zone(env.get("TIME_ZONE") or DEFAULT_ZONE),  # times shown and printed; camera clocks without offset
        # a PNG or WebP from the public 随手拍 page is decoded whole: at most this many pixels (JPEGs are draft-decoded)
        "PUBLIC_LOSSLESS_MAX_PIXELS": _int_env("PUBLIC_LOSSLESS_MAX_PIXELS", 12_000_000),
        # A request body larger than a photo plus its form fields is refused with 413.
        "MAX_CONTENT_LENGTH": photo_max + 64 * 1024,
        "RISK_LEVELS_FILE": env.get("RISK_LEVELS_FILE"),
        "LABEL_FONT_PATH": env.get("LABEL_FONT_PATH"),
        "QR_BATCH_DIR": env.get("QR_BATCH_DIR") or str(Path(__file__).resolve().parent.parent / "qr_batches"),
        "SQLITE_SYNCHRONOUS": env.get("SQLITE_SYNCHRONOUS", "NORMAL"),
        # throttle counts: the app's database (every worker and server shares it), or redis://host:6379/0
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "huxiao+db://"),
        # the reverse proxies in front (a count, or networks): their X-Forwarded-For names the client
        "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES", ""),
        # failed logins: from one address; for one account from one address; for one account from
        # devices it never logged in from (its owner's known devices are never held by strangers' tries)
        "LOGIN_FAILURES_PER_ADDRESS": env.get("LOGIN_FAILURES_PER_ADDRESS", "20 per 10 minutes"),
        "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS": env.get("LOGIN_FAILURES_PER_ACCOUNT_ADDRESS", "5 per 10 minutes"),
        "LOGIN_FAILURES_PER_ACCOUNT": env.get("LOGIN_FAILURES_PER_ACCOUNT", "20 per hour"),
        # 随手拍: public reports need no account, so they are throttled per phone and per address
        "SNAP_REPORTS_PER_DEVICE": env.get("SNAP_REPORTS_PER_DEVICE", "5 per hour"),
        "SNAP_REPORTS_PER_ADDRESS": env.get("SNAP_REPORTS_PER_ADDRESS", "30 per hour"),
        # a service worker renewing its push subscription needs no session: its refusals are throttled
        "PUSH_RENEWAL_REFUSALS_PER_ADDRESS": env.get("PUSH_RENEWAL_REFUSALS_PER_ADDRESS", "20 per hour"),
        "HAZARD_DEADLINE_HOURS": _deadline_hours(env.get("HAZARD_DEADLINE_HOURS")),
        # sent and dropped outbox rows are forgotten this many days after (the escalate loop prunes)
        "OUTBOX_KEEP_DAYS": _keep_days(),
        "SESSION_COOKIE_SECURE": huxiao_env == "production",
        # webhooks and push endpoints: https to public addresses only (app/outbox/targets.py); http with
        # WEBHOOK_ALLOW_HTTP=1; WEBHOOK_ALLOWED_NETWORKS admits private networks, e.g. 10.20.0.0/16
        "WEBHOOK_ALLOW_HTTP": env.get("WEBHOOK_ALLOW_HTTP", "").lower() in ("1", "true", "yes"),
        "WEBHOOK_ALLOWED_NETWORKS": env.get("WEBHOOK_ALLOWED_NETWORKS", ""),
        # a person may not choose again any of their last this many passwords
        "PASSWORD_HISTORY": max(_int_env("PASSWORD_HISTORY", 5), 0),
        # a session ends after this many days unused, and this many after its login whatever happens
        **_session_days(),
        **_vapid(env, public_base_url),
    }


DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "huxiao_session",
    # The cookie is signed again only when the session changes, not on every request.
    "SESSION_REFRESH_EACH_REQUEST": False,
    # CSRF: one token per session, no expiry (the offline queue replays hours later).
    "WTF_CSRF_HEADERS": ["X-CSRF-Token"],
    "WTF_CSRF_TIME_LIMIT": None,
    "WTF_CSRF_CHECK_DEFAULT": False,
    "API_TITLE": "Huxiao 护校 API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    # Swagger UI's assets are served from the swagger-ui-bundle package: no CDN needed.
    "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
    "API_SPEC_OPTIONS": {
        "info": {"description": "Campus-safety patrol: risk points, QR scans and inspections."},
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "huxiao_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            }
        },
    },
    "PAGINATION_DEFAULT_PAGE_SIZE": 100,
}
