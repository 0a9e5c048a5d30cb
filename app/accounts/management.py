"""Managing people: each level manages the levels below it, in its own area, on record."""

import re

from sqlalchemy import select

from app.accounts.login_sessions import end_sessions
from app.accounts.models import ROLE_ORG_KIND, Role, User
from app.accounts.passwords import check_not_reused, check_password, replace_password
from app.accounts.permissions import MANAGERS, outranks, require
from app.accounts.scope import in_scope, units_in_scope
from app.accounts.services import create_user
from app.accounts.session_user import SessionUser
from app.audit.services import record, snapshot
from app.db_types import utcnow
from app.errors import abort
from app.extensions import db
from app.orgs.models import OrgUnit

AUDITED = ("username", "display_name", "role", "org_unit_id", "active")
# letters, digits and . _ @ + -: a phone number is a fine username
USERNAME = re.compile(r"^[A-Za-z0-9_.@+\-]{3,64}$")
BAD_USERNAME = "A username is 3-64 letters, digits or . _ @ + - (a phone number will do)."


def username_problem(username: str) -> str | None:
    """Why a username cannot be used (BAD_USERNAME), or None; whether it is taken is not checked."""
    return None if USERNAME.match(username) else BAD_USERNAME


def place_problem(user: SessionUser, role: Role, unit: OrgUnit | None) -> tuple[int, str, str] | None:
    """Why the user may not put a person of this role in this unit: (status, error code, message), or None.

    The checks run in order: the role outranks the user (403 forbidden), the unit is not in
    the user's area (404 unknown_org_unit), the unit is of the wrong kind (422 wrong_org_kind).
    """
    if not outranks(user, role):
        return 403, "forbidden", f"Your role ({user.role.value}) may not manage {role.value} accounts."
    if unit is None or not in_scope(user, unit.path):
        return 404, "unknown_org_unit", "No such org unit in your area."
    if unit.kind.value != ROLE_ORG_KIND[role].value:
        return (422, "wrong_org_kind",
                f"A {role.value} belongs to a {ROLE_ORG_KIND[role].value}, not a {unit.kind.value}.")
    return None


def _place(user: SessionUser, role: Role, org_unit_id: int) -> OrgUnit:
    """The org unit a managed person is put in: in the manager's area and of the role's kind."""
    unit = db.session.get(OrgUnit, org_unit_id)
    problem = place_problem(user, role, unit)
    if problem:
        status, error, message = problem
        abort(status, message, error=error)
    return unit


def managed_person(user: SessionUser, person_id: int) -> User:
    """A person the user may manage: in their area and of a lower rank."""
    require(user, MANAGERS, "manage people")
    person = db.session.get(User, person_id)
    if person is None or not in_scope(user, person.org_unit.path):
        abort(404, "No such person in your area.", error="unknown_person")
    if person.id == user.id or not outranks(user, person.role):
        abort(403, "You may not change this person's account.", error="forbidden")
    return person


def add_person(user: SessionUser, data: dict) -> User:
    """Create an account with a first password that must be changed at first login."""
    require(user, MANAGERS, "create accounts")
    unit = _place(user, data["role"], data["org_unit_id"])
    username = data["username"].strip()
    if username_problem(username):
        abort(422, BAD_USERNAME, error="bad_username")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        abort(409, f"The username {username!r} is taken.", error="duplicate_username")
    check_password(data["password"], username)
    person = create_user(username, data["display_name"].strip(), data["role"], unit, data["password"],
                         must_change_password=True)
    record(user.id, "create", "user", person.id, None, _snapshot(person))
    return person


def _snapshot(person: User) -> dict:
    values = snapshot(person, AUDITED)
    values["role"] = person.role.value
    return values


def change_person(user: SessionUser, person: User, data: dict) -> User:
    """Change a person's name, role, place or active state; deactivating keeps their history."""
    before = _snapshot(person)
    role = data.get("role", person.role)
    if "role" in data or "org_unit_id" in data:
        person.org_unit = _place(user, role, data.get("org_unit_id", person.org_unit_id))
        person.role = role
    if "display_name" in data:
        person.display_name = data["display_name"].strip()
    if "active" in data:
        if person.active and not data["active"]:
            end_sessions(person.id, "deactivated", utcnow())  # so none comes back if they are reactivated
        person.active = data["active"]
    db.session.flush()
    record(user.id, "update", "user", person.id, before, _snapshot(person))
    return person


def reset_password(user: SessionUser, person: User, password: str) -> User:
    """Set a new first password; the person must change it at their next login."""
    check_password(password, person.username)
    replace_password(person, password)
    person.must_change_password = True
    end_sessions(person.id, "password_reset", utcnow())  # whoever knew the old password is out
    record(user.id, "reset_password", "user", person.id)
    return person


def change_own_password(user: SessionUser, old: str, new: str) -> User:
    """A person chooses their own password."""
    person = db.session.get(User, user.id)
    if not person.check_password(old):
        abort(403, "The current password is wrong.", error="bad_credentials")
    check_password(new, person.username, field="new_password")
    check_not_reused(person, new)
    replace_password(person, new)
    person.must_change_password = False
    end_sessions(person.id, "password_changed", utcnow(), keep=user.session_id)  # the other devices log in again
    record(user.id, "change_password", "user", person.id)
    return person


def people_in_scope(user: SessionUser) -> list[User]:
    """The people in the user's area."""
    require(user, MANAGERS, "list people")
    return list(db.session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id).where(units_in_scope(user)).order_by(User.id)))


