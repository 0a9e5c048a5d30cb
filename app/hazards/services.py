"""Report hazards and move them through the closed loop, each step on record."""

import json
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import Role, User
from app.accounts.permissions import MANAGERS
from app.accounts.scope import in_scope, visible_school
from app.accounts.session_user import SessionUser
from app.db_types import utcnow
from app.errors import abort
from app.escalation import handoffs
from app.extensions import db
from app.hazards.deadlines import default_deadline
from app.hazards.models import OPEN_STATES, Hazard, HazardEvent, HazardEventPhoto, Source, State
from app.hazards.transitions import Action, Actor, refusal, target_state
from app.orgs.models import OrgKind, OrgUnit
from app.photos.models import Photo
from app.photos.services import visible_photo
from app.points.levels import CATEGORIES, level_keys
from app.points.management import visible_point

#: how a reporter's "how urgent it looks" maps to a first risk level; the assigner may change it
URGENCY_LEVEL = {"urgent": "red", "soon": "orange", "normal": "yellow"}


def actor(user: SessionUser, hazard: Hazard) -> Actor:
    """What matters about this person for this hazard."""
    return Actor(
        manages=user.role in MANAGERS and in_scope(user, hazard.holder.path),
        rectifier=hazard.rectifier_id == user.id,
        county=user.role is Role.COUNTY_ADMIN and in_scope(user, hazard.school.path),
    )


def visible_hazard(user: SessionUser, hazard_id: int) -> Hazard:
    """A hazard of a school in the user's area, or abort with 404."""
    hazard = db.session.get(Hazard, hazard_id)
    if hazard is None or not in_scope(user, hazard.school.path):
        abort(404, "No such hazard.", error="unknown_hazard")
    return hazard


def add_event(hazard: Hazard, actor_id: int | None, action: str, from_state: State | None, note: str = "",
              details: dict | None = None, photo_ids: list[int] = (), at: datetime | None = None) -> HazardEvent:
    """Append one step to a hazard's history."""
    event = HazardEvent(
        hazard=hazard, actor_id=actor_id, action=action, at=at or utcnow(),
        from_state=from_state and from_state.value, to_state=hazard.state.value, note=note,
        details=json.dumps(details or {}, ensure_ascii=False, default=str),
    )
    event.photos = [HazardEventPhoto(photo_id=pid, position=i) for i, pid in enumerate(photo_ids)]
    db.session.add(event)
    return event


def claim_photos(user: SessionUser | None, photo_ids: list[int], school: OrgUnit) -> list[int]:
    """Check the caller may use these photos; from now on the school's people see them."""
    photo_ids = list(dict.fromkeys(photo_ids))
    photos = [visible_photo(user, pid) for pid in photo_ids] if user else []
    for photo in photos:
        photo.org_unit_id = school.id
    return photo_ids


def _invalid(errors: dict) -> None:
    abort(422, "The hazard's data is not valid: see `errors`.", error="invalid_hazard", errors=errors)


def _reported_school(user: SessionUser, data: dict):
    """The point (if any) and school a report is about, from what the reporter picked."""
    if data.get("point_id") is not None:
        point = visible_point(user, data["point_id"])
        if data.get("school_id") not in (None, point.school_id):
            _invalid({"school_id": ["the point belongs to another school"]})
        return point, point.school
    if data.get("school_id") is not None:
        return None, visible_school(user, data["school_id"])
    if user.org_unit.kind == OrgKind.SCHOOL:
        return None, db.session.get(OrgUnit, user.org_unit_id)
    _invalid({"school_id": ["say which school: you do not belong to one"]})


def report_hazard(user: SessionUser, data: dict, public: dict | None = None) -> Hazard:
    """A hazard reported by a member of staff: photos, a description, where, a category, how urgent.

    `public`: the hazard is a public report that `user` accepted from triage; it holds
    the report's `id` and `at`. The report is then on record as the public's, at the
    time it was sent, and the acceptance as the user's.
    """
    point, school = _reported_school(user, data)
    errors = {}
    place = data.get("place", "").strip()
    if point is None and not place:
        errors["place"] = ["say where: pick a risk point or name the building or place"]
    category = data.get("category") or (point.category if point else None)
    if category not in CATEGORIES:
        errors["category"] = [f"must be one of {', '.join(CATEGORIES)}"]
    if not data["photo_ids"]:
        errors["photo_ids"] = ["add at least one photo of the hazard"]
    if errors:
        _invalid(errors)
    level = URGENCY_LEVEL[data["urgency"]] if data.get("urgency") else (point.risk_level if point else "yellow")
    if level not in level_keys():  # a county with other colours: the least severe it has
        level = level_keys()[-1]
    reporter_id, reported_at = (None, public["at"]) if public else (user.id, utcnow())
    hazard = Hazard(
        school_id=school.id, holder_id=school.id, source=Source.PUBLIC if public else Source.STAFF,
        point_id=point and point.id, place=place, category=category, risk_level=level,
        description=data["description"].strip(), reporter_id=reporter_id, reported_at=reported_at,
        state=State.REPORTED,
    )
    db.session.add(hazard)
    photo_ids = data["photo_ids"] if public else claim_photos(user, data["photo_ids"], school)
    details = {"urgency": data["urgency"]} if data.get("urgency") else {}
    if public:
        add_event(hazard, None, "report", None, public["description"], {"public_report_id": public["id"]},
                  photo_ids, at=reported_at)
        add_event(hazard, user.id, "accept", State.REPORTED, (data.get("note") or "").strip(), details)
    else:
        add_event(hazard, user.id, "report", None, data["description"].strip(), details, photo_ids)
    db.session.flush()
    if not public:  # an accepted report is already in its manager's hands
        handoffs.hazard_reported(hazard, user.id, hazard.reported_at)
    return hazard


def _note(data: dict, what: str) -> str:
    note = (data.get("note") or "").strip()
    if not note:
        _invalid({"note": [f"say {what}"]})
    return note


def _rectifier(hazard: Hazard, user_id: int) -> User:
    """A person who may rectify: active, and between the hazard's holder and its school."""
    person = db.session.get(User, user_id)
    if (person is None or not person.active or not hazard.school.path.startswith(person.org_unit.path)
            or not person.org_unit.path.startswith(hazard.holder.path)):
        _invalid({"rectifier_id": ["no such active person at this school or above it"]})
    return person


def _assign(user, hazard: Hazard, data: dict, now: datetime) -> dict:
    person = _rectifier(hazard, data["rectifier_id"])
    if data.get("risk_level") is not None:
        if data["risk_level"] not in level_keys():
            _invalid({"risk_level": [f"must be one of {', '.join(level_keys())}"]})
        hazard.risk_level = data["risk_level"]
    deadline = (data.get("deadline") or default_deadline(hazard.risk_level, now)).astimezone(timezone.utc)
    if deadline <= now:
        _invalid({"deadline": ["must be in the future"]})
    hazard.rectifier_id, hazard.assigned_by_id, hazard.assigned_at = person.id, user.id, now
    hazard.deadline = deadline
    for field in ("responsibility", "measures"):
        if data.get(field) is not None:
            setattr(hazard, field, data[field].strip())
    if "funds_yuan" in data:
        hazard.funds_yuan = data["funds_yuan"]
    return {"rectifier_id": person.id, "rectifier": person.display_name, "deadline": deadline.isoformat(),
            "risk_level": hazard.risk_level, "responsibility": hazard.responsibility, "measures": hazard.measures,
            "funds_yuan": hazard.funds_yuan}


def _pass_up(user, hazard: Hazard, data: dict) -> dict:
    _note(data, "why the school cannot rectify it")
    chain = {unit.kind: unit for unit in _ancestors(hazard.school)}
    to = data.get("to") or (OrgKind.TOWNSHIP if hazard.holder.kind is OrgKind.SCHOOL else OrgKind.COUNTY)
    target = chain.get(OrgKind(to))
    if target is None or target.id == hazard.holder_id or not hazard.holder.path.startswith(target.path):
        _invalid({"to": [f"pass it up to a unit above its current holder ({hazard.holder.name})"]})
    previous = hazard.holder
    hazard.holder = target
    # the new holder assigns it afresh; the old assignment stays in the history
    hazard.rectifier = hazard.assigned_by = hazard.deadline = hazard.assigned_at = hazard.funds_yuan = None
    hazard.responsibility = hazard.measures = ""
    return {"from_unit": previous.name, "to_unit": target.name, "to_unit_id": target.id}


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    return list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids))))


def _merge(user, hazard: Hazard, data: dict) -> dict:
    target = db.session.get(Hazard, data.get("into_id") or 0)
    if target is None or target.school_id != hazard.school_id or target.id == hazard.id or not target.is_open:
        _invalid({"into_id": ["merge into another open hazard of the same school"]})
    hazard.duplicate_of_id = target.id
    add_event(target, user.id, "merged", target.state, (data.get("note") or "").strip(),
              {"merged_hazard_id": hazard.id, "description": hazard.description},
              hazard.photo_ids("report"))
    return {"into_id": target.id}


def act(user: SessionUser, hazard: Hazard, action: Action, data: dict) -> Hazard:
    """Take one action on a hazard, if the transition table allows it; flush, don't commit."""
    found = refusal(action, hazard.state, actor(user, hazard), hazard.supervised,
                    at_top=hazard.holder.kind is OrgKind.COUNTY)
    if found:
        abort(found.status, found.message, error=found.error)
    now = utcnow()
    before = hazard.state
    was = {"rectifier_id": hazard.rectifier_id, "holder_name": hazard.holder.name}
    details: dict = {}
    photo_ids = claim_photos(user, data.get("photo_ids") or [], hazard.school)
    note = (data.get("note") or "").strip()
    if action is Action.ASSIGN:
        details = _assign(user, hazard, data, now)
    elif action is Action.RECTIFY:
        _note(data, "what was done")
        if not photo_ids:
            _invalid({"photo_ids": ["add a photo of the hazard after rectification"]})
        hazard.rectified_at = now
    elif action is Action.VERIFY:
        hazard.verified_by_id, hazard.closed_at = user.id, now
    elif action is Action.REJECT:
        _note(data, "why the rectification is not accepted")
        hazard.rejections += 1
        hazard.rectified_at = None
        details = {"rejections": hazard.rejections}
    elif action is Action.PASS_UP:
        details = _pass_up(user, hazard, data)
    elif action is Action.VOID:
        _note(data, "why this report is voided")
        hazard.voided_at = now
    elif action is Action.MERGE:
        details = _merge(user, hazard, data)
        hazard.voided_at = now
    elif action is Action.SUPERVISE:
        _note(data, "why the county supervises it")
        hazard.supervised = True
    elif action is Action.UNSUPERVISE:
        _note(data, "why listed supervision ends")
        hazard.supervised = False
    hazard.state = target_state(action, before)
    add_event(hazard, user.id, action.value, before, note, details, photo_ids, at=now)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        abort(409, "Someone else changed this hazard at the same moment: reload it and try again.",
              error="hazard_changed")
    handoffs.hazard_moved(hazard, action.value, user.id, now, was)
    return hazard


def open_hazard_for_item(point_id: int, item_id: int) -> Hazard | None:
    """The open hazard already raised for this checklist item at this point, if any."""
    return db.session.scalar(select(Hazard).where(
        Hazard.point_id == point_id, Hazard.item_id == item_id,
        Hazard.state.in_(OPEN_STATES)).limit(1))


def hazards_from_inspection(inspector_id: int, inspection_id: int, point: dict, failures: list[dict],
                            general_photo_ids: list[int], now: datetime) -> None:
    """Raise a hazard for each failed item, or add the finding to the item's open hazard.

    `failures`: {"item_id", "item_text", "note", "photo_ids"} per failed item. A point
    found failing on the same item day after day keeps one hazard, with each finding in
    its history, instead of a new one every day.
    """
    raised = []
    for failure in failures:
        photos = failure["photo_ids"] or general_photo_ids
        details = {"inspection_id": inspection_id, "item": failure["item_text"]}
        existing = open_hazard_for_item(point["id"], failure["item_id"])
        if existing is not None:
            add_event(existing, inspector_id, "found_again", existing.state, failure["note"], details, photos, at=now)
            continue
        description = failure["item_text"] + (f"：{failure['note']}" if failure["note"] else "")
        hazard = Hazard(
            school_id=point["school_id"], holder_id=point["school_id"], source=Source.INSPECTION,
            point_id=point["id"], category=point["category"], risk_level=point["risk_level"],
            description=description, inspection_id=inspection_id, item_id=failure["item_id"],
            reporter_id=inspector_id, reported_at=now, state=State.REPORTED,
        )
        db.session.add(hazard)
        add_event(hazard, inspector_id, "report", None, failure["note"], details, photos, at=now)
        raised.append(hazard)
    db.session.flush()
    for hazard in raised:
        handoffs.hazard_reported(hazard, inspector_id, now)


def photo_rows(photo_ids: list[int]) -> list[Photo]:
    return list(db.session.scalars(select(Photo).where(Photo.id.in_(photo_ids)))) if photo_ids else []
