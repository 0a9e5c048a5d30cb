"""Record an inspection: check every answer against the point's checklist, then store it."""

from datetime import timezone

from sqlalchemy import insert, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.scope import in_scope
from app.accounts.session_user import SessionUser
from app.db_types import utcnow
from app.errors import abort
from app.database import execute
from app.extensions import db
from app.hazards.services import hazards_from_inspection
from app.inspections.models import Inspection, InspectionPhoto, InspectionResult, ItemResult
from app.inspections.quality import flag_inspection
from app.photos.models import Photo
from app.photos.services import visible_photo
from app.points.access import point_for_token
from app.points.models import RiskPoint
from app.points.scan import active_items
from app.schedules.services import due_after_inspection


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


# Prebuilt Core inserts: submitting is the endpoint every patroller's phone calls.
_INSERT_INSPECTION = insert(Inspection.__table__).returning(Inspection.__table__.c.id)
_INSERT_RESULTS = insert(InspectionResult.__table__)
_INSERT_PHOTOS = insert(InspectionPhoto.__table__)


def submit_inspection(user: SessionUser, data: dict) -> dict:
    """Record one inspection of the point behind `data["token"]`; flush, don't commit.

    Returns the inspection as the API shows it. Everything is written with a few
    bulk statements: this is the endpoint every patroller's phone calls.
    """
    captured_at = data["captured_at"] and data["captured_at"].astimezone(timezone.utc)
    point = point_for_token(user, data["token"], captured_at)
    items = {item["id"]: item for item in active_items(point["template_id"])}
    results = data["results"]
    _check_items(results, items)
    _check_failures_explained(results, data["photo_ids"])
    photo_item = {pid: r["item_id"] for r in results for pid in r["photo_ids"]}
    photo_ids = list(dict.fromkeys(data["photo_ids"] + list(photo_item)))
    for photo_id in photo_ids:
        visible_photo(user, photo_id)

    location = data["location"] or {}
    row = {
        "point_id": point["id"],
        "inspector_id": user.id,
        "template_id": point["template_id"],
        "token": point["scanned_token"],
        "submitted_at": utcnow(),
        "captured_at": captured_at,
        "opened_at": data["opened_at"] and data["opened_at"].astimezone(timezone.utc),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "accuracy_m": location.get("accuracy"),
        "failed_count": sum(r["result"] == ItemResult.FAIL for r in results),
        "note": data["note"],
    }
    inspection_id = execute(_INSERT_INSPECTION, row).scalar_one()
    result_rows = [
        {"inspection_id": inspection_id, "item_id": r["item_id"], "position": items[r["item_id"]]["position"],
         "item_text": items[r["item_id"]]["text"], "result": ItemResult(r["result"]), "note": r["note"]}
        for r in results
    ]
    execute(_INSERT_RESULTS, result_rows)
    if photo_ids:
        execute(_INSERT_PHOTOS, [
            {"inspection_id": inspection_id, "photo_id": pid, "item_id": photo_item.get(pid)} for pid in photo_ids
        ])
        # the school now sees the evidence of its point
        db.session.execute(update(Photo).where(Photo.id.in_(photo_ids)).values(org_unit_id=point["school_id"]))
    failures = [
        {"item_id": r["item_id"], "item_text": items[r["item_id"]]["text"], "note": r["note"].strip(),
         "photo_ids": r["photo_ids"]}
        for r in results if r["result"] == ItemResult.FAIL
    ]
    if failures:  # each failed item is a hazard to rectify (发现即上报)
        hazards_from_inspection(user.id, inspection_id, point, failures, data["photo_ids"], row["submitted_at"])
    due_after_inspection(point, row["submitted_at"])  # done for this period: due again later
    flag_inspection(inspection_id, row, point, results, photo_ids)  # signs of not being there: flagged, not refused
    return {**row, "id": inspection_id, "photo_ids": photo_ids}


def visible_inspection(user: SessionUser, inspection_id: int) -> Inspection:
    """Return an inspection of a point in the user's scope, or abort with 404."""
    inspection = db.session.scalar(
        select(Inspection)
        .where(Inspection.id == inspection_id)
        .options(selectinload(Inspection.results), selectinload(Inspection.photos),
                 joinedload(Inspection.inspector), joinedload(Inspection.point).joinedload(RiskPoint.school))
    )
    if inspection is None or not in_scope(user, inspection.point.school.path):
        abort(404, "No such inspection.", error="unknown_inspection")
    return inspection


def recent_inspections(user: SessionUser, limit: int = 50) -> list[Inspection]:
    """Return the user's own latest inspections."""
    return list(
        db.session.scalars(
            select(Inspection)
            .where(Inspection.inspector_id == user.id)
            .options(selectinload(Inspection.results), selectinload(Inspection.photos),
                     selectinload(Inspection.inspector))
            .order_by(Inspection.submitted_at.desc(), Inspection.id.desc())
            .limit(limit)
        )
    )
