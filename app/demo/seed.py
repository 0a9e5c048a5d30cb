"""Create the demo county, idempotently."""

from typing import NamedTuple

from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.services import create_user
from app.checklists.services import ensure_default_templates
from app.demo.data import COUNTY, TOWNSHIPS
from app.demo.hazards import seed_hazards
from app.schedules.services import refresh_county
from app.extensions import db
from app.orgs.models import Grid, OrgKind, OrgUnit
from app.orgs.services import add_grid, add_org_unit
from app.points.models import RiskPoint
from app.points.services import create_point

DEMO_PASSWORD = "demo12345"


class DemoAccount(NamedTuple):
    username: str
    display_name: str
    role: Role
    township: int  # index of the township
    school: int | None  # index of the school in the township; None for township and county roles


ACCOUNTS = (
    DemoAccount("patroller", "张网格(网格员)", Role.PATROLLER, 0, 0),
    DemoAccount("leader", "李网长(网格长)", Role.GRID_LEADER, 0, 0),
    DemoAccount("teacher", "王老师(班主任)", Role.TEACHER, 0, 0),
    DemoAccount("safety", "赵安全(分管安全副校长)", Role.SAFETY_OFFICER, 0, 0),
    DemoAccount("principal", "钱校长(校长)", Role.PRINCIPAL, 0, 0),
    DemoAccount("township", "孙督导(乡镇督导)", Role.TOWNSHIP_SUPERVISOR, 0, None),
    DemoAccount("county", "周股长(县教体局安全股)", Role.COUNTY_ADMIN, 0, None),
    DemoAccount("patroller2", "吴网格(网格员)", Role.PATROLLER, 1, 0),
)


def _unit(kind: OrgKind, name: str, parent: OrgUnit | None) -> OrgUnit:
    parent_id = parent.id if parent else None
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.name == name, OrgUnit.parent_id == parent_id))
    return unit or add_org_unit(kind, name, parent)


def _grid(school: OrgUnit, name: str) -> Grid:
    grid = db.session.scalar(select(Grid).where(Grid.school_id == school.id, Grid.name == name))
    return grid or add_grid(school, name)


def seed_demo() -> list[DemoAccount]:
    """Create what is missing of the demo county and its accounts; commit."""
    templates = ensure_default_templates()
    county = _unit(OrgKind.COUNTY, COUNTY, None)
    township_units, school_units, first_grids = [], [], []
    for township_name, schools in TOWNSHIPS.items():
        township = _unit(OrgKind.TOWNSHIP, township_name, county)
        township_units.append(township)
        school_units.append([])
        first_grids.append([])
        for demo_school in schools:
            school = _unit(OrgKind.SCHOOL, demo_school.name, township)
            grids = [_grid(school, name) for name in demo_school.grids]
            school_units[-1].append(school)
            first_grids[-1].append(grids[0])
            existing = set(db.session.scalars(select(RiskPoint.name).where(RiskPoint.school_id == school.id)))
            for p in demo_school.points:
                if p.name not in existing:
                    create_point(school, p.name, p.category, p.level, templates[p.category],
                                 grid=grids[p.grid], location=p.location, responsible=p.responsible)
    people = {}
    for account in ACCOUNTS:
        if found := db.session.scalar(select(User).where(User.username == account.username)):
            people[account.username] = found
            continue
        if account.role is Role.COUNTY_ADMIN:
            unit = county
        elif account.school is None:
            unit = township_units[account.township]
        else:
            unit = school_units[account.township][account.school]
        user = create_user(account.username, account.display_name, account.role, unit, DEMO_PASSWORD)
        people[account.username] = user
        grid = first_grids[account.township][account.school] if account.school is not None else None
        if account.role is Role.PATROLLER:
            grid.patrollers.append(user)
        elif account.role is Role.GRID_LEADER:
            grid.leader = user
    db.session.flush()
    seed_hazards(people)
    refresh_county(county.id)  # when each point is due
    db.session.commit()
    return list(ACCOUNTS)
