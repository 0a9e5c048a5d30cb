"""Which roles may do what, in one place."""

from app.accounts.models import Role
from app.accounts.session_user import SessionUser
from app.errors import abort

#: school safety officers and everyone above them
MANAGERS = frozenset({Role.SAFETY_OFFICER, Role.PRINCIPAL, Role.TOWNSHIP_SUPERVISOR, Role.COUNTY_ADMIN})

#: who stands above whom: a manager manages only people of a lower rank, in their own area
RANK = {
    Role.PATROLLER: 1, Role.TEACHER: 1, Role.GRID_LEADER: 1,
    Role.SAFETY_OFFICER: 2, Role.PRINCIPAL: 2,
    Role.TOWNSHIP_SUPERVISOR: 3,
    Role.COUNTY_ADMIN: 4,
}

PRINT_LABELS = MANAGERS
REISSUE_LABELS = MANAGERS


def outranks(user: SessionUser, role: Role) -> bool:
    """Whether the user manages people of this role (strictly lower rank)."""
    return user.role in MANAGERS and RANK[user.role] > RANK[role]


def require(user: SessionUser, allowed: frozenset[Role], what: str) -> None:
    """Abort with 403 unless the user's role is allowed to do `what`."""
    if user.role not in allowed:
        abort(403, f"Your role ({user.role.value}) may not {what}.", error="forbidden")
