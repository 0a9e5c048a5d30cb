"""Who runs each demo school's hazards in its history: a safety officer, a principal, a teacher.

Only the first demo school has logins for every role; the others had nobody to assign, rectify
or verify a hazard, so their past read as hazards closed by no one. Whoever is missing is made
here (名单里没有的，补上), with the demo password (hashed once: a hash a person costs tens of
milliseconds, and the seed runs at every `make run`). No one is added to a grid: who is told of
an escalation stays as the seed made it.
"""

from typing import NamedTuple

from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.orgs.models import Grid, OrgUnit

#: the surnames of the people made for the n-th school (the first school has its own)
SURNAMES = ("陈", "刘", "杨", "黄", "郑", "冯", "褚", "卫", "蒋", "沈", "韩", "朱")
#: role -> (username prefix, how colleagues call them, the title), as the first school's 赵安全(分管安全副校长)
TITLES = {Role.SAFETY_OFFICER: ("safety", "安全", "分管安全副校长"), Role.PRINCIPAL: ("principal", "校长", "校长"),
          Role.TEACHER: ("teacher", "老师", "班主任")}


class Staff(NamedTuple):
    safety_id: int
    principal_id: int
    teacher_id: int
    leaders: dict[int, int]  # grid id -> its leader's id, for the grids that have one


def _first(school: OrgUnit, role: Role) -> int | None:
    return db.session.scalar(select(User.id).where(User.org_unit_id == school.id, User.role == role, User.active)
                             .order_by(User.id))


def school_staff(schools: list[OrgUnit], password_hash: str) -> dict[int, Staff]:
    """Each school's safety officer, principal, teacher and grid leaders, making whoever is missing; flush."""
    found = {}
    for number, school in enumerate(schools):
        ids = {}
        for offset, (role, (username, short, title)) in enumerate(TITLES.items()):
            ids[role] = _first(school, role)
            if ids[role] is None:
                surname = SURNAMES[(number * len(TITLES) + offset) % len(SURNAMES)]
                person = User(username=f"{username}{school.id}", display_name=f"{surname}{short}({title})",
                              role=role, org_unit_id=school.id, password_hash=password_hash)
                db.session.add(person)
                db.session.flush()
                ids[role] = person.id
        leaders = dict(db.session.execute(select(Grid.id, Grid.leader_id).where(
            Grid.school_id == school.id, Grid.leader_id.is_not(None))).all())
        found[school.id] = Staff(ids[Role.SAFETY_OFFICER], ids[Role.PRINCIPAL], ids[Role.TEACHER], leaders)
    return found
