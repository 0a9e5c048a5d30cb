"""Risk-point verbs: create, look up by token, reissue and revoke tokens."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.checklists.models import ChecklistTemplate
from app.db_types import utcnow
from app.extensions import db
from app.orgs.models import Grid, OrgUnit
from app.points.models import QrToken, RiskPoint, TokenStatus
from app.points.tokens import new_short_code, new_token, parse_short_code
from app.schedules.services import first_due


def create_point(
    school: OrgUnit,
    name: str,
    category: str,
    risk_level: str,
    template: ChecklistTemplate,
    *,
    grid: Grid | None = None,
    location: str = "",
    responsible: str = "",
) -> RiskPoint:
    """Add a risk point to a school with its first QR token."""
    point = RiskPoint(
        school=school,
        grid=grid,
        name=name,
        category=category,
        risk_level=risk_level,
        template=template,
        location=location,
        responsible=responsible,
        token=new_token(),
        short_code=new_short_code(),
        token_version=1,
    )
    point.due_at = first_due(point, school.path)
    db.session.add(point)
    db.session.flush()
    db.session.add(_qr_token(point))
    db.session.flush()
    return point


def _qr_token(point: RiskPoint) -> QrToken:
    return QrToken(token=point.token, short_code=point.short_code, point_id=point.id,
                   version=point.token_version, status=TokenStatus.ACTIVE)


def _end_current_token(point: RiskPoint, status: TokenStatus) -> None:
    current = db.session.get(QrToken, point.token)
    current.status = status
    current.ended_at = utcnow()


def reissue_token(point: RiskPoint) -> str:
    """Give a point a new token; the old one answers "replaced" from now on."""
    _end_current_token(point, TokenStatus.REPLACED)
    point.token = new_token()
    point.short_code = new_short_code()
    point.token_version += 1
    db.session.add(_qr_token(point))
    db.session.flush()
    return point.token


def retire_point(point: RiskPoint) -> None:
    """Retire a point and revoke its code."""
    _end_current_token(point, TokenStatus.REVOKED)
    point.active = False
    db.session.flush()


def find_token(token: str) -> QrToken | None:
    """Find a token, or a typed short code, current or ended, with its point, school and grid."""
    code = parse_short_code(token)
    return db.session.scalar(
        select(QrToken)
        .where(QrToken.short_code == code if code else QrToken.token == token)
        .options(
            joinedload(QrToken.point).joinedload(RiskPoint.school),
            joinedload(QrToken.point).joinedload(RiskPoint.grid),
        )
    )
