"""Record an inspection: check every answer against the point's checklist, then store it."""

from datetime import timezone

from sqlalchemy import select

from app.accounts.models import User
from app.errors import abort
from app.extensions import db
from app.inspections.models import Inspection, InspectionPhoto, InspectionResult, ItemResult
from app.photos.models import Photo
from app.photos.services import visible_photo
from app.points.access import point_for_token
from app.points.scan import active_items


def _check_items(results: list[dict], items_by_id: dict) -> None:
    """Refuse answers that do not match the checklist exactly: one per item, no strangers."""
    answered = [r["item_id"] for r in results]
    unknown = sorted({i for i in answered if i not in items_by_id})
    duplicated = sorted({i for i in answered if answered.count(i) > 1})
    missing = sorted(set(items_by_id) - set(answered))
    errors = {}
    if unknown:
        errors["unknown_item_ids"] = unknown
    if duplicated:
        errors["duplicated_item_ids"] = duplicated
    if missing:
        errors["missing_item_ids"] = missing
    if errors:
        abort(422, "The answers do not match this point's checklist: answer each item once.",
              error="checklist_mismatch", errors=errors)


def _check_failures_explained(results: list[dict], general_photos: list[int]) -> None:
    """A failed item needs a note or a photo: whoever inspects answers for what they signed."""
    unexplained = [
        r["item_id"]
        for r in results
        if r["result"] == ItemResult.FAIL and not r["note"].strip() and not r["photo_ids"] and not general_photos
    ]
    if unexplained:
        abort(422, "A failed item needs a note or a photo.", error="failure_unexplained",
              errors={"unexplained_item_ids": unexplained})


def _photos(user: User, ids: list[int]) -> dict[int, Photo]:
    found = {}
    for photo_id in dict.fromkeys(ids):
        found[photo_id] = visible_photo(user, photo_id)
    return found


def submit_inspection(user: User, data: dict) -> Inspection:
    """Record one inspection of the point behind `data["token"]`; flush, don't commit."""
    point = point_for_token(user, data["token"], data["captured_at"])
    items = {item.id: item for item in active_items(point.template_id)}
    results = data["results"]
    _check_items(results, items)
    _check_failures_explained(results, data["photo_ids"])
    item_photo_ids = [pid for r in results for pid in r["photo_ids"]]
    photos = _photos(user, data["photo_ids"] + item_photo_ids)

    location = data["location"] or {}
    inspection = Inspection(
        point=point,
        inspector=user,
        template_id=point.template_id,
        token=data["token"],
        captured_at=data["captured_at"] and data["captured_at"].astimezone(timezone.utc),
        latitude=location.get("latitude"),
        longitude=location.get("longitude"),
        accuracy_m=location.get("accuracy"),
        failed_count=sum(r["result"] == ItemResult.FAIL for r in results),
        note=data["note"],
    )
    for r in results:
        item = items[r["item_id"]]
        inspection.results.append(
            InspectionResult(item_id=item.id, position=item.position, item_text=item.text,
                             result=ItemResult(r["result"]), note=r["note"])
        )
    photo_item = {pid: r["item_id"] for r in results for pid in r["photo_ids"]}
    for photo_id, photo in photos.items():
        inspection.photos.append(InspectionPhoto(photo=photo, item_id=photo_item.get(photo_id)))
        photo.org_unit_id = point.school_id  # the school now sees the evidence of its point
    db.session.add(inspection)
    db.session.flush()
    return inspection


def recent_inspections(user: User, limit: int = 50) -> list[Inspection]:
    """Return the user's own latest inspections."""
    return list(
        db.session.scalars(
            select(Inspection)
            .where(Inspection.inspector_id == user.id)
            .order_by(Inspection.submitted_at.desc())
            .limit(limit)
        )
    )
