"""Check, store and find photos."""

import hashlib
import io
import os
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.session_user import SessionUser
from app.accounts.scope import in_scope
from app.errors import abort
from app.extensions import db
from app.photos.models import Photo

#: Pillow format -> the content type we store and serve
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo; more is a decompression bomb


def _inspect_image(data: bytes) -> tuple[str, int, int]:
    """Return (content type, width, height) of an image, judged by its bytes."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt, (width, height) = img.format, img.size
            if width * height > MAX_PIXELS:
                abort(413, f"The image is too large ({width}x{height} pixels).", error="image_too_large")
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        abort(415, "The file is not a readable image (JPEG, PNG or WebP).", error="not_an_image")
    if fmt not in ALLOWED_FORMATS:
        abort(415, f"{fmt} images are not accepted: send JPEG, PNG or WebP.", error="not_an_image")
    return ALLOWED_FORMATS[fmt], width, height


def photo_path(photo: Photo) -> Path:
    """Return where a photo's bytes are kept."""
    return Path(current_app.config["PHOTO_DIR"]) / photo.filename


def _write_once(path: Path, data: bytes) -> None:
    """Write a file atomically; content-addressed, so an existing file is already right."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def store_photo(user: SessionUser, data: bytes) -> tuple[Photo, bool]:
    """Store an uploaded photo; return it and whether it is new.

    The same bytes sent again by the same person are the same photo, so a retried
    upload stores nothing new.
    """
    if not data:
        abort(400, "The file is empty.", error="empty_file")
    limit = current_app.config["PHOTO_MAX_BYTES"]
    if len(data) > limit:
        abort(413, f"The photo is larger than {limit // (1024 * 1024)} MB.", error="photo_too_large")
    content_type, width, height = _inspect_image(data)
    digest = hashlib.sha256(data).hexdigest()
    existing = _find_own(user, digest)
    if existing:
        return existing, False
    photo = Photo(
        uploader_id=user.id,
        org_unit_id=user.org_unit_id,
        sha256=digest,
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
    )
    _write_once(photo_path(photo), data)
    db.session.add(photo)
    try:
        db.session.commit()
    except IntegrityError:  # the same upload, sent twice at once
        db.session.rollback()
        return _find_own(user, digest), False
    return photo, True


def _find_own(user: SessionUser, digest: str) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.uploader_id == user.id, Photo.sha256 == digest))


def visible_photo(user: SessionUser, photo_id: int) -> Photo:
    """Return a photo the user may see, or abort with 404."""
    photo = db.session.get(Photo, photo_id)
    if photo is None or not (photo.uploader_id == user.id or in_scope(user, photo.org_unit.path)):
        abort(404, "No such photo.", error="unknown_photo")
    return photo
