"""Which roles may do what, in one place."""

from app.accounts.models import Role
from app.accounts.session_user import SessionUser
from app.errors import abort

#: school safety officers and everyone above them
MANAGERS = frozenset({Role.SAFETY_OFFICER, Role.PRINCIPAL, Role.TOWNSHIP_SUPERVISOR, Role.COUNTY_ADMIN})

PRINT_LABELS = MANAGERS
REISSUE_LABELS = MANAGERS


def require(user: SessionUser, allowed: frozenset[Role], what: str) -> None:
    """Abort with 403 unless the user's role is allowed to do `what`."""
    if user.role not in allowed:
        abort(403, f"Your role ({user.role.value}) may not {what}.", error="forbidden")
