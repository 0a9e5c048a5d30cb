"""Check, store and find photos."""

import hashlib
import os
import uuid
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.scope import in_scope
from app.accounts.session_user import SessionUser
from app.errors import abort
from app.extensions import db
from app.photos.imaging import MAX_PIXELS, clean_image, thumbnail_of
from app.photos.models import Photo
from app.timezones import school_zone


def store_photo(user: SessionUser, data: bytes) -> tuple[Photo, bool]:
    """Store a person's uploaded photo; return it and whether it is new.

    The same bytes sent again by the same person are the same photo, so a retried upload
    stores nothing new. Flushed, not committed: this is the whole of the upload route's
    transaction, which the route's idempotent_write commits.
    """
    try:
        return store_image(data, user.id, user.org_unit_id)
    except IntegrityError:  # the same upload, sent twice at once: the other one is stored
        db.session.rollback()
        existing = _find_own(user.id, hashlib.sha256(data).hexdigest())
        if existing is None:
            raise
        return existing, False


def store_image(data: bytes, uploader_id: int | None, org_unit_id: int, public: bool = False) -> tuple[Photo, bool]:
    """Check, clean and store an uploaded image; return it and whether it is new.

    Flushed in the caller's transaction, never committed. With an uploader, the same
    bytes sent again are the photo already stored; without one (a public report) every
    upload is a photo of its own, though identical bytes share one file on disk. A `public`
    upload (the 随手拍 page: anyone) may be a PNG or WebP of PUBLIC_LOSSLESS_MAX_PIXELS at most.
    """
    if not data:
        abort(400, "The file is empty.", error="empty_file")
    limit = current_app.config["PHOTO_MAX_BYTES"]
    if len(data) > limit:
        abort(413, f"The photo is larger than {limit // (1024 * 1024)} MB.", error="photo_too_large")
    digest = hashlib.sha256(data).hexdigest()
    if uploader_id is not None and (existing := _find_own(uploader_id, digest)):
        return existing, False
    whole = current_app.config["PUBLIC_LOSSLESS_MAX_PIXELS"] if public else MAX_PIXELS
    image = clean_image(data, school_zone(), whole)
    photo = Photo(
        uploader_id=uploader_id,
        org_unit_id=org_unit_id,
        sha256=digest,
        content_type=image.content_type,
        size=len(image.data),
        width=image.width,
        height=image.height,
        captured_at=image.captured_at,
        dhash=image.dhash,
    )
    # Files first: a row never points at a missing file. A rolled-back row leaves a file
    # that the same upload, sent again, finds in place.
    _write_once(photo_path(photo), image.data)
    _write_once(_thumb_path(photo), image.thumb)
    db.session.add(photo)
    db.session.flush()
    return photo, True


def _find_own(uploader_id: int, digest: str) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.uploader_id == uploader_id, Photo.sha256 == digest))


def photo_path(photo: Photo) -> Path:
    """Return where a photo's stored image is kept (outside the web root)."""
    return Path(current_app.config["PHOTO_DIR"]) / photo.filename


def _thumb_path(photo: Photo) -> Path:
    return Path(current_app.config["PHOTO_DIR"]) / photo.thumb_filename


def photo_file(photo: Photo, size: str = "full") -> tuple[Path, str]:
    """Return the file to serve and its content type: the stored image, or its `thumb`nail."""
    if size != "thumb":
        return photo_path(photo), photo.content_type
    path = _thumb_path(photo)
    if not path.exists():  # a photo stored before there were thumbnails
        _write_once(path, thumbnail_of(photo_path(photo).read_bytes()))
    return path, "image/jpeg"


def _write_once(path: Path, data: bytes) -> None:
    """Write a file atomically; content-addressed, so an existing file is already right."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def visible_photo(user: SessionUser, photo_id: int) -> Photo:
    """Return a photo the user may see (their own, or of an org unit in their scope), or abort with 404."""
    photo = db.session.get(Photo, photo_id)
    own = photo is not None and photo.uploader_id is not None and photo.uploader_id == user.id
    if photo is None or not (own or in_scope(user, photo.org_unit.path)):
        abort(404, "No such photo.", error="unknown_photo")
    return photo
