"""Stored photos."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.orgs.models import OrgUnit


class Photo(db.Model):
    """One image file, owned by the org unit whose people may see it.

    `uploader_id` is None for photos of public, account-less reports (students, parents):
    only the org unit's people see those. The stored file is a cleaned copy (upright, at
    most 2560 px, no metadata); `sha256` is of the bytes as uploaded, so a retry finds it.
    """

    __tablename__ = "photos"
    # The same bytes from the same person are one photo: a retried upload stores nothing new.
    # (NULLs are distinct: public uploads are never merged this way.)
    __table_args__ = (UniqueConstraint("uploader_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)  # of the stored copy
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # When the camera says it was taken (EXIF DateTimeOriginal), if it says so.
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 64-bit difference hash, 16 hex digits: near-identical pictures differ in few bits.
    dhash: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship()

    @property
    def filename(self) -> str:
        """Return the stored file's name, derived from the uploaded content's hash."""
        return f"{self.sha256[:2]}/{self.sha256}"

    @property
    def thumb_filename(self) -> str:
        """Return the thumbnail's file name, beside the image."""
        return f"{self.filename}.thumb.jpg"
