"""Find hazards: the caller's lists, and open hazards that a new report may duplicate."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.permissions import MANAGERS
from app.accounts.scope import unit_ids_in_scope
from app.accounts.session_user import SessionUser
from app.db_types import utcnow
from app.extensions import db
from app.hazards.models import OPEN_STATES, Hazard, HazardEvent, HazardEventPhoto, State
from app.photos.models import Photo
from app.photos.similarity import hamming

#: how many of 64 bits two photos' difference hashes may differ by and still look alike
SIMILAR_PHOTO_BITS = 10

#: the caller's work lists
VIEWS = ("to_assign", "assigned_to_me", "to_verify", "reported_by_me", "overdue")


def hazards_in_scope(user: SessionUser, filters: dict, now: datetime | None = None) -> Select:
    """A select of the hazards of the caller's area, filtered, newest first."""
    now, filters = now or utcnow(), dict(filters)
    stmt = (
        select(Hazard)
        .where(Hazard.school_id.in_(unit_ids_in_scope(user)))
        .options(joinedload(Hazard.school), joinedload(Hazard.holder), joinedload(Hazard.point),
                 joinedload(Hazard.rectifier), joinedload(Hazard.reporter))
        .order_by(Hazard.reported_at.desc(), Hazard.id.desc())
    )
    view = filters.pop("view", None)
    managed = Hazard.holder_id.in_(unit_ids_in_scope(user)) if user.role in MANAGERS else False
    if view == "to_assign":
        stmt = stmt.where(Hazard.state == State.REPORTED, managed)
    elif view == "assigned_to_me":
        stmt = stmt.where(Hazard.state == State.ASSIGNED, Hazard.rectifier_id == user.id)
    elif view == "to_verify":
        stmt = stmt.where(Hazard.state == State.RECTIFIED, managed,
                          or_(Hazard.rectifier_id.is_(None), Hazard.rectifier_id != user.id))
    elif view == "reported_by_me":
        stmt = stmt.where(Hazard.reporter_id == user.id)
    elif view == "overdue":  # still not rectified past the deadline; waiting for verification is not late
        stmt = stmt.where(Hazard.state == State.ASSIGNED, Hazard.deadline < now)
    if filters.pop("open", False):
        stmt = stmt.where(Hazard.state.in_(OPEN_STATES))
    if (since := filters.pop("reported_from", None)) is not None:
        stmt = stmt.where(Hazard.reported_at >= since)
    if (until := filters.pop("reported_to", None)) is not None:
        stmt = stmt.where(Hazard.reported_at < until)
    if filters.get("school_id") is not None:
        stmt = stmt.where(Hazard.school_id == filters.pop("school_id"))
    for field, value in filters.items():
        stmt = stmt.where(getattr(Hazard, field) == value)
    return stmt


@dataclass
class Duplicate:
    hazard: Hazard
    reasons: list[str]  # same_point, same_place, similar_photo


def _norm(text: str) -> str:
    return "".join(text.split()).lower()


def similar_open_hazards(school_id: int, category: str | None, point_id: int | None, place: str,
                         photo_hashes: list[str], exclude_id: int | None = None) -> list[Duplicate]:
    """Open hazards of the school that look like this report: same point or place and category, or a like photo."""
    candidates = list(db.session.scalars(
        select(Hazard).where(Hazard.school_id == school_id, Hazard.state.in_(OPEN_STATES),
                             Hazard.id != (exclude_id or 0))
        .options(joinedload(Hazard.point)).order_by(Hazard.reported_at.desc())
    ))
    if not candidates:
        return []
    hashes: dict[int, list[str]] = {}
    for hazard_id, digest in db.session.execute(
        select(HazardEvent.hazard_id, Photo.dhash)
        .join(HazardEventPhoto, HazardEventPhoto.event_id == HazardEvent.id)
        .join(Photo, Photo.id == HazardEventPhoto.photo_id)
        .where(HazardEvent.hazard_id.in_([c.id for c in candidates]), HazardEvent.action != "rectify",
               Photo.dhash.is_not(None))
    ):
        hashes.setdefault(hazard_id, []).append(digest)
    place = _norm(place or "")
    found = []
    for candidate in candidates:
        reasons = []
        same_category = category is None or candidate.category == category
        if same_category and point_id is not None and candidate.point_id == point_id:
            reasons.append("same_point")
        if same_category and place and place in (_norm(candidate.place), _norm(candidate.point.name if candidate.point
                                                                               else "")):
            reasons.append("same_place")
        if any(hamming(a, b) <= SIMILAR_PHOTO_BITS for a in photo_hashes for b in hashes.get(candidate.id, ())):
            reasons.append("similar_photo")
        if reasons:
            found.append(Duplicate(candidate, reasons))
    return found


def duplicates_of(hazard: Hazard) -> list[Duplicate]:
    """Open hazards that this reported one may duplicate."""
    if hazard.state is not State.REPORTED:
        return []
    photo_hashes = [p.photo.dhash for e in hazard.events if e.action == "report" for p in e.photos if p.photo.dhash]
    return similar_open_hazards(hazard.school_id, hazard.category, hazard.point_id, hazard.place, photo_hashes,
                                exclude_id=hazard.id)
