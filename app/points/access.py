"""Turn a scanned token into a point the caller may use, or a clear refusal."""

from datetime import datetime

from sqlalchemy import RowMapping, Select, bindparam, or_, select

from app.accounts.scope import in_scope
from app.accounts.session_user import SessionUser
from app.errors import abort
from app.database import fetch_one
from app.orgs.models import Grid, OrgUnit
from app.points.models import QrToken, RiskPoint, TokenStatus
from app.points.tokens import parse_short_code

REPLACED_MESSAGE = "This code was replaced by a new label: ask your school for the new label."
REVOKED_MESSAGE = "This risk point was retired; its code is no longer in use."

# Scanning is the hot path: one select of plain columns, no ORM objects to build.
TOKEN_POINT = (
    select(
        QrToken.token.label("scanned_token"),
        QrToken.status.label("token_status"),
        QrToken.ended_at.label("token_ended_at"),
        RiskPoint.id, RiskPoint.name, RiskPoint.location, RiskPoint.token, RiskPoint.short_code,
        RiskPoint.token_version,
        RiskPoint.risk_level, RiskPoint.category, RiskPoint.responsible, RiskPoint.active,
        RiskPoint.frequency, RiskPoint.seasons, RiskPoint.school_days_only,
        RiskPoint.school_id, RiskPoint.grid_id, RiskPoint.template_id, RiskPoint.latitude, RiskPoint.longitude,
        OrgUnit.name.label("school_name"), OrgUnit.path.label("school_path"),
        Grid.name.label("grid_name"),
    )
    .join(RiskPoint, RiskPoint.id == QrToken.point_id)
    .join(OrgUnit, OrgUnit.id == RiskPoint.school_id)
    .outerjoin(Grid, Grid.id == RiskPoint.grid_id)
    # the printed token, or the short code typed by hand when a camera cannot read it
    .where(or_(QrToken.token == bindparam("token"), QrToken.short_code == bindparam("code")))
)


def point_for_token(
    user: SessionUser, token: str, captured_at: datetime | None = None, query: Select = TOKEN_POINT
) -> RowMapping:
    """Return the token's point (as columns) if the user may use it; abort with 404 or 410 otherwise.

    A record captured on a phone before its label was replaced is still accepted
    with the old token: the offline queue may deliver it after the reissue. `query`
    may add columns to TOKEN_POINT (the scan adds the last inspection).
    """
    row = fetch_one(query, {"token": token, "code": parse_short_code(token) or ""})
    # Outside the caller's subtree looks the same as unknown: existence is not leaked.
    if row is None or not in_scope(user, row["school_path"]):
        abort(404, "No risk point has this code.", error="unknown_token")
    if not _usable(row, captured_at):
        if row["token_status"] == TokenStatus.REPLACED:
            abort(410, REPLACED_MESSAGE, error="token_replaced")
        abort(410, REVOKED_MESSAGE, error="point_retired")
    return row


def _usable(row: RowMapping, captured_at: datetime | None) -> bool:
    if row["token_status"] == TokenStatus.ACTIVE:
        return True
    ended = row["token_ended_at"]
    return (
        row["token_status"] == TokenStatus.REPLACED
        and row["active"]
        and captured_at is not None
        and ended is not None
        and captured_at <= ended
    )
