"""Account verbs."""

from app.accounts.models import ROLE_ORG_KIND, Role, User
from app.extensions import db
from app.orgs.models import OrgUnit


class AccountError(ValueError):
    """An account that cannot be made as asked."""


def create_user(username: str, display_name: str, role: Role, unit: OrgUnit, password: str,
                must_change_password: bool = False) -> User:
    """Create a person with one role in one org unit."""
    if ROLE_ORG_KIND[role] is not unit.kind:
        raise AccountError(f"a {role} belongs to a {ROLE_ORG_KIND[role]}, not a {unit.kind}")
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters")
    user = User(username=username, display_name=display_name, role=role, org_unit=unit,
                must_change_password=must_change_password)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
