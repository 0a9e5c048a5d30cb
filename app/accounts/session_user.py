"""The person behind a session, loaded with one light query per request."""

from dataclasses import dataclass

from flask_login import UserMixin
from sqlalchemy import bindparam, select

from app.accounts.models import Role, User
from app.database import fetch_one
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

    @property
    def org_unit_id(self) -> int:
        return self.org_unit.id


_SESSION_USER = (
    select(User.id, User.username, User.display_name, User.role, User.must_change_password,
           OrgUnit.id.label("org_id"), OrgUnit.kind, OrgUnit.name, OrgUnit.path)
    .join(OrgUnit, OrgUnit.id == User.org_unit_id)
    .where(User.id == bindparam("user_id"), User.active)
)


def load_session_user(user_id: int) -> SessionUser | None:
    """Load an active person by id; None for a deactivated or unknown one."""
    row = fetch_one(_SESSION_USER, {"user_id": user_id})
    if row is None:
        return None
    org = OrgRef(row["org_id"], str(row["kind"]), row["name"], row["path"])
    return SessionUser(row["id"], row["username"], row["display_name"], Role(row["role"]), org,
                       bool(row["must_change_password"]))
