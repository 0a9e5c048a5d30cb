"""Managing people: each level manages the levels below it, in its own area, on record."""

import re

from sqlalchemy import select

from app.accounts.models import ROLE_ORG_KIND, Role, User
from app.accounts.permissions import MANAGERS, outranks, require
from app.accounts.scope import in_scope, units_in_scope
from app.accounts.services import create_user
from app.accounts.session_user import SessionUser
from app.audit.services import record, snapshot
from app.errors import abort
from app.extensions import db
from app.orgs.models import OrgUnit

AUDITED = ("username", "display_name", "role", "org_unit_id", "active")
# letters, digits and . _ @ + -: a phone number is a fine username
USERNAME = re.compile(r"^[A-Za-z0-9_.@+\-]{3,64}$")


def check_password(password: str, username: str) -> None:
    """Refuse passwords that are too easy to guess."""
    if len(password) < 8:
        abort(422, "A password needs at least 8 characters.", error="weak_password")
    if password.lower() == username.lower() or len(set(password)) < 3:
        abort(422, "This password is too easy to guess.", error="weak_password")


def _place(user: SessionUser, role: Role, org_unit_id: int) -> OrgUnit:
    """The org unit a managed person is put in: in the manager's area and of the role's kind."""
    if not outranks(user, role):
        abort(403, f"Your role ({user.role.value}) may not manage {role.value} accounts.", error="forbidden")
    unit = db.session.get(OrgUnit, org_unit_id)
    if unit is None or not in_scope(user, unit.path):
        abort(404, "No such org unit in your area.", error="unknown_org_unit")
    if unit.kind.value != ROLE_ORG_KIND[role].value:
        abort(422, f"A {role.value} belongs to a {ROLE_ORG_KIND[role].value}, not a {unit.kind.value}.",
              error="wrong_org_kind")
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
    if not USERNAME.match(username):
        abort(422, "A username is 3-64 letters, digits or . _ @ + - (a phone number will do).",
              error="bad_username")
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
        person.active = data["active"]
    db.session.flush()
    record(user.id, "update", "user", person.id, before, _snapshot(person))
    return person


def reset_password(user: SessionUser, person: User, password: str) -> User:
    """Set a new first password; the person must change it at their next login."""
    check_password(password, person.username)
    person.set_password(password)
    person.must_change_password = True
    record(user.id, "reset_password", "user", person.id)
    return person


def change_own_password(user: SessionUser, old: str, new: str) -> User:
    """A person chooses their own password."""
    person = db.session.get(User, user.id)
    if not person.check_password(old):
        abort(403, "The current password is wrong.", error="bad_credentials")
    if new == old:
        abort(422, "Choose a password different from the current one.", error="weak_password")
    check_password(new, person.username)
    person.set_password(new)
    person.must_change_password = False
    record(user.id, "change_password", "user", person.id)
    return person


def people_in_scope(user: SessionUser) -> list[User]:
    """The people in the user's area."""
    require(user, MANAGERS, "list people")
    return list(db.session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id).where(units_in_scope(user)).order_by(User.id)))


