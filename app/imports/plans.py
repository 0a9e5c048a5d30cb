"""What every import shares: one plan per sheet row, and the lookups a plan starts from."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.scope import units_in_scope
from app.accounts.session_user import SessionUser
from app.extensions import db
from app.imports.sheets import Column
from app.orgs.models import OrgKind, OrgUnit


@dataclass
class RowPlan:
    """What importing one row would do: create, update, leave unchanged, or refuse (with reasons in Chinese)."""

    row: int
    name: str = ""
    action: str = "create"
    reasons: list[str] = field(default_factory=list)
    target_id: int | None = None  # the thing already there that the row updates
    parent_id: int | None = None  # the unit a created thing goes in
    values: dict = field(default_factory=dict, repr=False)  # for apply; may hold a first password

    def settle(self) -> "RowPlan":
        """A row with any reason is refused, whatever else was found."""
        if self.reasons:
            self.action = "refuse"
        return self


def missing_cells(cells: dict[str, str], columns: tuple[Column, ...]) -> list[str]:
    """A reason for each required cell left empty."""
    return [f"缺少{c.header}" for c in columns if c.required and not cells.get(c.key)]


def units_by_name(user: SessionUser, kind: OrgKind | None = None) -> dict[str, list[OrgUnit]]:
    """The units in the user's area by name (a list: two townships may each have a 中心小学)."""
    stmt = select(OrgUnit).where(units_in_scope(user))
    if kind is not None:
        stmt = stmt.where(OrgUnit.kind == kind)
    by_name: dict[str, list[OrgUnit]] = {}
    for unit in db.session.scalars(stmt):
        by_name.setdefault(unit.name, []).append(unit)
    return by_name
