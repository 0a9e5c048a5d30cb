"""Read escalations and notifications, and acknowledge a step."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import Role
from app.accounts.scope import in_scope, unit_ids_in_scope
from app.accounts.session_user import SessionUser
from app.errors import abort
from app.escalation.models import Escalation, EscalationStep, Notification
from app.escalation.policy import county_speeds
from app.extensions import db
from app.orgs.models import OrgUnit
from app.schedules.services import county_of

#: who may acknowledge at each level: the people that level tells (and the grid's patrollers' leader)
LEVEL_ROLES = {
    1: {Role.GRID_LEADER, Role.SAFETY_OFFICER, Role.PRINCIPAL},
    2: {Role.SAFETY_OFFICER, Role.PRINCIPAL},
    3: {Role.TOWNSHIP_SUPERVISOR},
    4: {Role.COUNTY_ADMIN},
}


def escalations_in_scope(user: SessionUser, filters: dict):
    """A select of the escalations of the caller's area, newest first."""
    stmt = (select(Escalation).where(Escalation.school_id.in_(unit_ids_in_scope(user)))
            .order_by(Escalation.began_at.desc(), Escalation.id.desc()))
    if filters.pop("open", False):
        stmt = stmt.where(Escalation.resolved_at.is_(None))
    if (at_least := filters.pop("min_level", None)) is not None:
        stmt = stmt.where(Escalation.level >= at_least)
    for field, value in filters.items():
        stmt = stmt.where(getattr(Escalation, field) == value)
    return stmt


def visible_escalation(user: SessionUser, escalation_id: int) -> Escalation:
    found = db.session.get(Escalation, escalation_id)
    if found is None or not in_scope(user, db.session.get(OrgUnit, found.school_id).path):
        abort(404, "No such escalation.", error="unknown_escalation")
    return found


def acknowledge(user: SessionUser, escalation: Escalation, note: str, now: datetime) -> Escalation:
    """Someone at the current level says they are on it: the climb waits the county's hold (24 h by default)."""
    if escalation.resolved_at is not None:
        abort(409, "This escalation is already resolved.", error="escalation_resolved")
    if escalation.level == 0:
        abort(409, "This escalation has not reached anyone yet.", error="escalation_not_started")
    if user.role not in LEVEL_ROLES[escalation.level]:
        abort(403, f"Only the people of level {escalation.level} may acknowledge it now.", error="forbidden")
    if not note.strip():
        abort(422, "Say what is being done.", error="invalid_acknowledgement", errors={"note": ["required"]})
    step = db.session.scalar(select(EscalationStep).where(EscalationStep.escalation_id == escalation.id,
                                                          EscalationStep.level == escalation.level))
    step.acknowledged_by_id, step.acknowledged_at, step.note = user.id, now, note.strip()
    school = db.session.get(OrgUnit, escalation.school_id)
    escalation.held_until = now + county_speeds(county_of(school.path)).hold
    db.session.flush()
    return escalation


def inbox(user: SessionUser, unread_only: bool = False):
    stmt = (select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
            .options(joinedload(Notification.step).joinedload(EscalationStep.escalation),
                     joinedload(Notification.handoff)))
    return stmt.where(Notification.read_at.is_(None)) if unread_only else stmt


def mark_read(user: SessionUser, ids: list[int] | None, now: datetime) -> int:
    """Mark these (or all) of the caller's notifications read; returns how many changed."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    return db.session.execute(stmt.values(read_at=now)).rowcount
