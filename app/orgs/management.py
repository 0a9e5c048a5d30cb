"""Managing townships, schools and grids within the caller's area, on record."""

from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import in_scope, visible_school
from app.accounts.session_user import SessionUser
from app.audit.services import record
from app.errors import abort
from app.extensions import db
from app.orgs.models import CHILD_KIND, Grid, OrgKind, OrgUnit
from app.orgs.services import add_grid, add_org_unit

COUNTY_ONLY = frozenset({Role.COUNTY_ADMIN})


def add_unit(user: SessionUser, kind: OrgKind, name: str, parent_id: int) -> OrgUnit:
    """A county admin adds a township to the county, or a school to a township."""
    require(user, COUNTY_ONLY, "add townships or schools")
    parent = db.session.get(OrgUnit, parent_id)
    if parent is None or not in_scope(user, parent.path):
        abort(404, "No such parent unit in your area.", error="unknown_org_unit")
    if CHILD_KIND.get(parent.kind) is not kind:
        abort(422, f"A {kind.value} cannot be placed under a {parent.kind.value}.", error="wrong_org_kind")
    if db.session.scalar(select(OrgUnit.id).where(OrgUnit.parent_id == parent.id, OrgUnit.name == name)):
        abort(409, f"{parent.name} already has a unit named {name!r}.", error="duplicate_org_unit")
    unit = add_org_unit(kind, name, parent)
    record(user.id, "create", "org_unit", unit.id, None, {"kind": kind.value, "name": name, "parent_id": parent.id})
    return unit


def _members(school: OrgUnit, leader_id, patroller_ids) -> tuple[User | None, list[User]]:
    errors = {}
    leader = None
    if leader_id is not None:
        leader = db.session.get(User, leader_id)
        if leader is None or leader.org_unit_id != school.id or leader.role is not Role.GRID_LEADER or not leader.active:
            errors["leader_id"] = ["must be an active grid leader of this school"]
    patrollers = [db.session.get(User, pid) for pid in dict.fromkeys(patroller_ids or [])]
    bad = [pid for pid, p in zip(dict.fromkeys(patroller_ids or []), patrollers)
           if p is None or p.org_unit_id != school.id or p.role is not Role.PATROLLER or not p.active]
    if bad:
        errors["patroller_ids"] = [f"not active patrollers of this school: {bad}"]
    if errors:
        abort(422, "The grid's people are not valid: see `errors`.", error="invalid_grid", errors=errors)
    return leader, patrollers


def _grid_snapshot(grid: Grid) -> dict:
    return {"name": grid.name, "leader_id": grid.leader_id, "patroller_ids": sorted(p.id for p in grid.patrollers)}


def create_grid(user: SessionUser, data: dict) -> Grid:
    """A school's safety officer or principal (or above) adds a grid with its leader and patrollers."""
    require(user, MANAGERS, "manage grids")
    school = visible_school(user, data["school_id"])
    if db.session.scalar(select(Grid.id).where(Grid.school_id == school.id, Grid.name == data["name"])):
        abort(409, f"{school.name} already has a grid named {data['name']!r}.", error="duplicate_grid")
    leader, patrollers = _members(school, data.get("leader_id"), data.get("patroller_ids"))
    grid = add_grid(school, data["name"])
    grid.leader, grid.patrollers = leader, patrollers
    db.session.flush()
    record(user.id, "create", "grid", grid.id, None, _grid_snapshot(grid))
    return grid


def change_grid(user: SessionUser, grid_id: int, data: dict) -> Grid:
    """Rename a grid, or change its leader or patrollers."""
    require(user, MANAGERS, "manage grids")
    grid = db.session.get(Grid, grid_id)
    if grid is None or not in_scope(user, grid.school.path):
        abort(404, "No such grid in your area.", error="unknown_grid")
    before = _grid_snapshot(grid)
    if "name" in data and data["name"] != grid.name:
        if db.session.scalar(select(Grid.id).where(Grid.school_id == grid.school_id, Grid.name == data["name"])):
            abort(409, f"This school already has a grid named {data['name']!r}.", error="duplicate_grid")
        grid.name = data["name"]
    if "leader_id" in data or "patroller_ids" in data:
        leader, patrollers = _members(grid.school, data.get("leader_id", grid.leader_id),
                                      data.get("patroller_ids", [p.id for p in grid.patrollers]))
        grid.leader, grid.patrollers = leader, patrollers
    db.session.flush()
    record(user.id, "update", "grid", grid.id, before, _grid_snapshot(grid))
    return grid
