"""Patrol quality: signs that an inspection was not done on the spot. They flag it; they never refuse it.

- `rushed`: the same person "inspected" another point moments before, somewhere they
  could not have walked from in that time (another building, or far away);
- `too_fast`: every item passed, in a few seconds for the whole checklist;
- `far_away`: the phone said where it was, far from the point's known position;
- `photo_reused`: a photo already shown as evidence of another inspection -- the same
  file, or a near-identical picture (difference hash) -- of the same school.
Times are the phone's (captured_at, opened_at): a queue delivered all at once after a
day offline is judged by when each check was made, not when it arrived.
"""

import json
import math
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, insert, select

from app.extensions import db
from app.inspections.models import Inspection, InspectionFlag, InspectionPhoto
from app.photos.models import Photo
from app.photos.similarity import hamming
from app.points.models import RiskPoint

KINDS = ("rushed", "too_fast", "far_away", "photo_reused")
#: two points of different buildings cannot both be checked within this many seconds
RUSHED_SECONDS = 30
#: the person's latest inspections looked at for that
RUSHED_NEIGHBOURS = 10
#: positions further apart than this are different places
APART_METRES = 60
#: an all-pass checklist answered faster than this per item
FAST_SECONDS_PER_ITEM = 2
#: a phone further than this from the point, beyond what it says its accuracy is
FAR_METRES = 200
#: pictures whose difference hashes differ in at most this many of 64 bits are the same picture
SAME_PICTURE_BITS = 4
#: earlier photos of the school compared with: this many days back
PHOTO_DAYS = 90


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two positions."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, a)))


def _apart(a: dict, b) -> float | None:
    """Metres between two points, if both have positions."""
    if None in (a["latitude"], a["longitude"], b.latitude, b.longitude):
        return None
    return metres(a["latitude"], a["longitude"], b.latitude, b.longitude)


# built once: it runs on every submission
_LATEST_OF_INSPECTOR = (
    select(Inspection.id, func.coalesce(Inspection.captured_at, Inspection.submitted_at), Inspection.point_id,
           RiskPoint.name, RiskPoint.location, RiskPoint.latitude, RiskPoint.longitude)
    .join(RiskPoint, RiskPoint.id == Inspection.point_id)
    .where(Inspection.inspector_id == bindparam("inspector_id"), Inspection.id != bindparam("inspection_id"))
    .order_by(Inspection.submitted_at.desc())
    .limit(RUSHED_NEIGHBOURS)
)


def _rushed(inspector_id: int, inspection_id: int, point: dict, done_at: datetime) -> dict | None:
    # the person's last few inspections before this one: a patrol, or an offline queue, arrives in the
    # order it was made, so the checks made just before are among them. Bounded: the submit path never
    # reads a busy patroller's (or a script's) whole half-minute.
    others = db.session.connection().execute(
        _LATEST_OF_INSPECTOR, {"inspector_id": inspector_id, "inspection_id": inspection_id}).all()
    for other in others:
        gap = abs((other[1] - done_at).total_seconds())
        if other.point_id == point["id"] or gap >= RUSHED_SECONDS:
            continue
        distance = _apart(point, other)
        elsewhere = distance > APART_METRES if distance is not None else (
            bool(point["location"]) and bool(other.location) and point["location"] != other.location)
        if elsewhere:
            return {"other_inspection_id": other[0], "other_point": other.name, "seconds": round(gap, 1),
                    "metres": None if distance is None else round(distance)}
    return None


def _too_fast(row: dict, results: list[dict]) -> dict | None:
    if row["opened_at"] is None or row["captured_at"] is None or any(r["result"] != "pass" for r in results):
        return None
    seconds = (row["captured_at"] - row["opened_at"]).total_seconds()
    if 0 <= seconds < FAST_SECONDS_PER_ITEM * len(results):
        return {"seconds": round(seconds, 1), "checklist_items": len(results)}
    return None


def _far_away(row: dict, point: dict) -> dict | None:
    if None in (row["latitude"], row["longitude"], point["latitude"], point["longitude"]):
        return None
    distance = metres(row["latitude"], row["longitude"], point["latitude"], point["longitude"])
    if distance - (row["accuracy_m"] or 0) > FAR_METRES:
        return {"metres": round(distance), "accuracy": row["accuracy_m"]}
    return None


def _photo_reused(inspection_id: int, school_id: int, photo_ids: list[int], now: datetime) -> dict | None:
    if not photo_ids:
        return None
    mine = db.session.execute(select(Photo.id, Photo.sha256, Photo.dhash).where(Photo.id.in_(photo_ids))).all()
    earlier = db.session.execute(
        select(InspectionPhoto.inspection_id, Photo.id, Photo.sha256, Photo.dhash)
        .join(Photo, Photo.id == InspectionPhoto.photo_id)
        .join(Inspection, Inspection.id == InspectionPhoto.inspection_id)
        .join(RiskPoint, RiskPoint.id == Inspection.point_id)
        .where(RiskPoint.school_id == school_id, InspectionPhoto.inspection_id != inspection_id,
               Inspection.submitted_at >= now - timedelta(days=PHOTO_DAYS))
    ).all()
    for photo_id, sha, dhash in mine:
        for other_inspection, other_id, other_sha, other_dhash in earlier:
            if other_id == photo_id or other_sha == sha or (
                    dhash and other_dhash and hamming(dhash, other_dhash) <= SAME_PICTURE_BITS):
                return {"photo_id": photo_id, "other_inspection_id": other_inspection, "other_photo_id": other_id}
    return None


def flag_inspection(inspection_id: int, row: dict, point: dict, results: list[dict], photo_ids: list[int]) -> list[str]:
    """Look for signs of an inspection not done on the spot; store a flag for each. Returns their kinds."""
    done_at = row["captured_at"] or row["submitted_at"]
    found = {
        "rushed": _rushed(row["inspector_id"], inspection_id, point, done_at),
        "too_fast": _too_fast(row, results),
        "far_away": _far_away(row, point),
        "photo_reused": _photo_reused(inspection_id, point["school_id"], photo_ids, row["submitted_at"]),
    }
    flags = [{"inspection_id": inspection_id, "kind": kind, "detail": json.dumps(detail, ensure_ascii=False)}
             for kind, detail in found.items() if detail is not None]
    if flags:
        db.session.execute(insert(InspectionFlag), flags)
    return [f["kind"] for f in flags]
