"""Turn a scanned token into a point the caller may use, or a clear refusal."""

from datetime import datetime

from app.accounts.models import User
from app.accounts.scope import in_scope
from app.errors import abort
from app.points.models import QrToken, RiskPoint, TokenStatus
from app.points.services import find_token

REPLACED_MESSAGE = "This code was replaced by a new label: ask your school for the new label."
REVOKED_MESSAGE = "This risk point was retired; its code is no longer in use."


def point_for_token(user: User, token: str, captured_at: datetime | None = None) -> RiskPoint:
    """Return the token's point if the user may use it; abort with 404 or 410 otherwise.

    A record captured on a phone before its label was replaced is still accepted
    with the old token: the offline queue may deliver it after the reissue.
    """
    found = find_token(token)
    # Outside the caller's subtree looks the same as unknown: existence is not leaked.
    if found is None or not in_scope(user, found.point.school):
        abort(404, "No risk point has this code.", error="unknown_token")
    if not _usable(found, captured_at):
        if found.status is TokenStatus.REPLACED:
            abort(410, REPLACED_MESSAGE, error="token_replaced")
        abort(410, REVOKED_MESSAGE, error="point_retired")
    return found.point


def _usable(found: QrToken, captured_at: datetime | None) -> bool:
    if found.status is TokenStatus.ACTIVE:
        return True
    return (
        found.status is TokenStatus.REPLACED
        and found.point.active
        and captured_at is not None
        and found.ended_at is not None
        and captured_at <= found.ended_at
    )
