"""Stored photos."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.orgs.models import OrgUnit


class Photo(db.Model):
    """One image file, owned by the org unit whose people may see it."""

    __tablename__ = "photos"
    # The same bytes from the same person are one photo: a retried upload stores nothing new.
    __table_args__ = (UniqueConstraint("uploader_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship()

    @property
    def filename(self) -> str:
        """Return the stored file's name, derived from its content hash."""
        return f"{self.sha256[:2]}/{self.sha256}"
