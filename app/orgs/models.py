"""Org units (county, township, school) and the grids of a school."""

import enum
from typing import TYPE_CHECKING

from sqlalchemy import Column, Enum, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User


class OrgKind(enum.StrEnum):
    COUNTY = "county"
    TOWNSHIP = "township"
    SCHOOL = "school"


#: which kind of unit may hold which kind of child
CHILD_KIND = {OrgKind.COUNTY: OrgKind.TOWNSHIP, OrgKind.TOWNSHIP: OrgKind.SCHOOL}


class OrgUnit(db.Model):
    """A county, township or school; `path` is the materialised path of ids."""

    __tablename__ = "org_units"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        # varchar_pattern_ops: PostgreSQL uses the index for `path LIKE '/1/4/%'` in any collation.
        Index("ix_org_units_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(
        Enum(OrgKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    # "/1/4/9/": every descendant's path starts with its ancestor's, so a subtree is
    # one indexed prefix match.
    path: Mapped[str] = mapped_column(String(255), default="")

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id])

    def contains(self, other: "OrgUnit") -> bool:
        """Tell whether `other` is this unit or below it."""
        return other.path.startswith(self.path)


grid_members = Table(
    "grid_members",
    db.metadata,
    Column("grid_id", ForeignKey("grids.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Grid(db.Model):
    """A grid of a school: one leader and the patrollers who walk it."""

    __tablename__ = "grids"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    school: Mapped[OrgUnit] = relationship()
    leader: Mapped["User | None"] = relationship(foreign_keys=[leader_id])
    patrollers: Mapped[list["User"]] = relationship(secondary=grid_members)
