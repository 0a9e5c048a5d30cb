"""The person behind a session, loaded with one light query per request."""

from dataclasses import dataclass
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import bindparam, select, update

from app.accounts.login_sessions import TOUCH_EVERY, key_hash, lifetimes
from app.accounts.models import LoginSession, Role, User
from app.database import fetch_one
from app.extensions import db
from app.orgs.models import OrgUnit


@dataclass(frozen=True)
class OrgRef:
    """The org unit a person belongs to: enough for scope checks and display."""

    id: int
    kind: str
    name: str
    path: str


@dataclass(frozen=True, eq=False)
class SessionUser(UserMixin):
    """A logged-in person as every request sees them (a plain value, not an ORM row)."""

    id: int
    username: str
    display_name: str
    role: Role
    org_unit: OrgRef
    must_change_password: bool = False
    #: the login this request belongs to (None outside a request: the CLI, the demo seed)
    session_id: int | None = None

    @property
    def org_unit_id(self) -> int:
        return self.org_unit.id


_SESSION_USER = (
    select(User.id, User.username, User.display_name, User.role, User.must_change_password,
           OrgUnit.id.label("org_id"), OrgUnit.kind, OrgUnit.name, OrgUnit.path)
    .join(OrgUnit, OrgUnit.id == User.org_unit_id)
    .where(User.id == bindparam("user_id"), User.active)
)


_LOGGED_IN = (
    _SESSION_USER.add_columns(LoginSession.id.label("session_id"), LoginSession.last_seen_at)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.key_hash == bindparam("key_hash"), LoginSession.ended_at.is_(None),
           LoginSession.last_seen_at > bindparam("idle_since"), LoginSession.created_at > bindparam("born_since"))
)
_TOUCH = update(LoginSession).where(LoginSession.id == bindparam("session_id")).values(last_seen_at=bindparam("now"))


def _session_user(row, session_id: int | None = None) -> SessionUser:
    org = OrgRef(row["org_id"], str(row["kind"]), row["name"], row["path"])
    return SessionUser(row["id"], row["username"], row["display_name"], Role(row["role"]), org,
                       bool(row["must_change_password"]), session_id)


def load_session_user(user_id: int) -> SessionUser | None:
    """Load an active person by id; None for a deactivated or unknown one."""
    row = fetch_one(_SESSION_USER, {"user_id": user_id})
    return None if row is None else _session_user(row)


def load_logged_in(user_id: int, key: str, now: datetime) -> SessionUser | None:
    """The person of a live session with this cookie key; None if it ended, expired, or they were deactivated.

    Read, and now and then marked as used, on a connection of its own: the request's
    transaction commits only if the request succeeds, and a session's last use is true either way.
    """
    idle, most = lifetimes()
    with db.engine.connect() as connection:
        row = connection.execute(_LOGGED_IN, {"user_id": user_id, "key_hash": key_hash(key),
                                              "idle_since": now - idle, "born_since": now - most}).mappings().first()
    if row is None:
        return None
    if now - row["last_seen_at"] >= TOUCH_EVERY:
        with db.engine.begin() as connection:  # its own transaction, as the throttle counts have
            connection.execute(_TOUCH, {"session_id": row["session_id"], "now": now})
    return _session_user(row, row["session_id"])
