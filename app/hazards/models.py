"""Hazards and their append-only history."""

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, Numeric, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.orgs.models import OrgUnit
from app.photos.models import Photo
from app.points.levels import LevelAndCategoryNames
from app.points.models import RiskPoint
from app.timezones import school_zone


def _enum(cls) -> Enum:
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class State(enum.StrEnum):
    REPORTED = "reported"  # 待交办: waiting for someone to assign it
    ASSIGNED = "assigned"  # 整改中
    RECTIFIED = "rectified"  # 待验收
    CLOSED = "closed"  # 已销号
    VOIDED = "voided"  # 已作废: a duplicate or a false report


OPEN_STATES = frozenset({State.REPORTED, State.ASSIGNED, State.RECTIFIED})


class Source(enum.StrEnum):
    INSPECTION = "inspection"  # a failed checklist item
    STAFF = "staff"  # reported by a teacher or any member of staff
    PUBLIC = "public"  # a student's or parent's 随手拍, accepted by staff


class Hazard(LevelAndCategoryNames, db.Model):
    """One hazard of one school, from its report to its close-out."""

    __tablename__ = "hazards"
    __table_args__ = (
        Index("ix_hazards_school_state", "school_id", "state"),
        Index("ix_hazards_point_item_state", "point_id", "item_id", "state"),
        # reports: what was still open, closed out or due in a span, never the whole history
        Index("ix_hazards_closed_at", "closed_at"),
        Index("ix_hazards_deadline", "deadline"),
        # the escalation sweep: open hazards past their deadline, or rejected twice, found by state
        # first, so a county's closed-out history is never read on a sweep
        Index("ix_hazards_state_deadline", "state", "deadline"),
        Index("ix_hazards_state_rejections", "state", "rejections"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    # Who answers for it now: the school, or the township or county it was passed up to.
    holder_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    source: Mapped[Source] = mapped_column(_enum(Source))
    point_id: Mapped[int | None] = mapped_column(ForeignKey("risk_points.id"))
    place: Mapped[str] = mapped_column(String(200), default="")  # a building or place, when no point
    category: Mapped[str] = mapped_column(String(24))
    risk_level: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a public report
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    state: Mapped[State] = mapped_column(_enum(State), default=State.REPORTED)
    # set on assignment: 定人员、定责任、定时限, and the notice's measures and funds
    rectifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responsibility: Mapped[str] = mapped_column(String(200), default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    funds_yuan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejections: Mapped[int] = mapped_column(Integer, default=0)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("hazards.id"))
    # 挂牌督办: only the county puts it on and takes it off, and only the county closes it out
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Two people acting at once: the second's update finds a newer version and is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    school: Mapped[OrgUnit] = relationship(foreign_keys=[school_id])
    holder: Mapped[OrgUnit] = relationship(foreign_keys=[holder_id])
    point: Mapped[RiskPoint | None] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    rectifier: Mapped[User | None] = relationship(foreign_keys=[rectifier_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    events: Mapped[list["HazardEvent"]] = relationship(
        back_populates="hazard", order_by="HazardEvent.id", cascade="save-update, merge"
    )

    @property
    def number(self) -> str:
        """The hazard's number as printed on its notice and ledger, e.g. YH20261124-00042."""
        return f"YH{self.reported_at.astimezone(school_zone()):%Y%m%d}-{self.id:05d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def photo_ids(self, *actions: str) -> list[int]:
        """The photos of the events with these actions, oldest first."""
        return [link.photo_id for e in self.events if e.action in actions for link in e.photos]


class HazardEvent(db.Model):
    """One step of a hazard's history: who, when, what, the note and photos. Never changed."""

    __tablename__ = "hazard_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazards.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a public report
    action: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    # what the step set, as JSON: rectifier, deadline, passed to whom, merged from which report...
    details: Mapped[str] = mapped_column(Text, default="{}")

    hazard: Mapped[Hazard] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    photos: Mapped[list["HazardEventPhoto"]] = relationship(order_by="HazardEventPhoto.position",
                                                           passive_deletes="all")


class HazardEventPhoto(db.Model):
    """A photo taken for one step: the hazard as found, or after rectification."""

    __tablename__ = "hazard_event_photos"

    event_id: Mapped[int] = mapped_column(ForeignKey("hazard_events.id"), primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    photo: Mapped[Photo] = relationship()


@event.listens_for(HazardEvent, "before_update")
@event.listens_for(HazardEvent, "before_delete")
@event.listens_for(HazardEventPhoto, "before_update")
@event.listens_for(HazardEventPhoto, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError("a hazard's history is append-only: add an event, never change one")
