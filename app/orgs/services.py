"""Create org units and grids with their paths kept right."""

from app.extensions import db
from app.orgs.models import CHILD_KIND, Grid, OrgKind, OrgUnit


class OrgError(ValueError):
    """An org unit that cannot be placed where it was asked."""


def add_org_unit(kind: OrgKind, name: str, parent: OrgUnit | None = None) -> OrgUnit:
    """Add a county, township or school under its parent and set its path."""
    if parent is None and kind is not OrgKind.COUNTY:
        raise OrgError(f"a {kind} needs a parent")
    if parent is not None and CHILD_KIND.get(parent.kind) is not kind:
        raise OrgError(f"a {kind} cannot be placed under a {parent.kind}")
    unit = OrgUnit(kind=kind, name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def add_grid(school: OrgUnit, name: str) -> Grid:
    """Add a grid to a school."""
    if school.kind is not OrgKind.SCHOOL:
        raise OrgError("grids belong to schools")
    grid = Grid(school=school, name=name)
    db.session.add(grid)
    db.session.flush()
    return grid
