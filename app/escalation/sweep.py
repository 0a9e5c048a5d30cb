"""One escalation sweep at a given moment: set-based statements, safe to run twice or at once.

1. open an escalation for every new cause (a point overdue, a hazard past its deadline,
   a failed item nobody assigned, a rectification rejected twice);
2. resolve those whose cause is gone (inspected, assigned, rectified, closed...);
3. climb: each open escalation whose time at its level is up, and which nobody holds,
   takes its next step, one level per sweep, so no level is skipped;
4. notify the people of each new step's level.

Every statement is an INSERT ... SELECT or an UPDATE over the due and failing rows;
nothing loops over points in Python. The unique constraints on (cause), (escalation,
level) and (person, step) make a repeated or concurrent sweep add nothing twice.
"""

from datetime import datetime

from sqlalchemy import and_, case, exists, func, literal, or_, select, update

from app.accounts.models import Role, User
from app.database import insert_select_once
from app.escalation.models import Escalation, EscalationStep, Notification
from app.escalation.policy import TOP, Speeds, speed_groups
from app.extensions import db
from app.hazards.models import OPEN_STATES, Hazard, HazardEvent, Source, State
from app.orgs.models import Grid, OrgUnit
from app.outbox.enqueue import enqueue
from app.points.models import RiskPoint

E, S = Escalation.__table__, EscalationStep.__table__
_CAUSE_COLUMNS = ["subject", "subject_id", "trigger", "began_at", "school_id", "grid_id", "risk_level", "level",
                  "created_at"]


def _open(query, now: datetime) -> None:
    insert_select_once(E, _CAUSE_COLUMNS, query)


def _new(subject: str, subject_id, trigger: str, began_at, school_id, grid_id, risk_level, now: datetime):
    return [literal(subject), subject_id, literal(trigger), began_at, school_id, grid_id, risk_level, literal(0),
            literal(now, E.c.created_at.type)]


def _not_open(subject: str, subject_id, trigger: str, began_at):
    return ~exists().where(E.c.subject == subject, E.c.subject_id == subject_id, E.c.trigger == trigger,
                           E.c.began_at == began_at)


def in_groups() -> list[tuple]:
    """Each group of counties with the same speeds, as a filter on a school id column, and its speeds."""
    groups = speed_groups()
    own = sorted(c for ids, _ in groups if ids for c in ids)

    def schools_of(county_ids: list[int]):
        return select(OrgUnit.id).where(or_(*(OrgUnit.path.like(f"/{c}/%") for c in county_ids)))

    def make(ids: list[int] | None):
        if ids:
            return lambda column: column.in_(schools_of(ids))
        return (lambda column: ~column.in_(schools_of(own))) if own else (lambda column: literal(True))

    return [(make(ids), speeds) for ids, speeds in groups]


def _climbed_since(column, speeds: Speeds, now: datetime, at_once_now: bool = False):
    """The moment before which a row of each colour has waited its level's time, as one CASE on its colour.

    With `at_once_now`, the colours whose failures go to the school at once need no wait at all.
    Colours the county does not name wait the slowest.
    """
    moment = E.c.last_step_at.type
    whens = [(column == key, literal(now if at_once_now and key in speeds.at_once else now - speeds.climb_after(key),
                                     moment)) for key in speeds.climb_hours]
    return case(*whens, else_=literal(now - speeds.climb_after(""), moment))


def open_causes(now: datetime, groups: list[tuple]) -> None:
    """Start an escalation for every cause that has none yet."""
    _open(select(*_new("point", RiskPoint.id, "point_overdue", RiskPoint.due_at, RiskPoint.school_id,
                       RiskPoint.grid_id, RiskPoint.risk_level, now))
          .where(RiskPoint.active, RiskPoint.due_at <= now,
                 _not_open("point", RiskPoint.id, "point_overdue", RiskPoint.due_at)), now)
    grid = select(RiskPoint.grid_id).where(RiskPoint.id == Hazard.point_id).scalar_subquery()
    _open(select(*_new("hazard", Hazard.id, "hazard_overdue", Hazard.deadline, Hazard.school_id, grid,
                       Hazard.risk_level, now))
          .where(Hazard.state == State.ASSIGNED, Hazard.deadline <= now,
                 _not_open("hazard", Hazard.id, "hazard_overdue", Hazard.deadline)), now)
    for schools, speeds in groups:  # a failed item unassigned for its colour's time; at-once colours at once
        _open(select(*_new("hazard", Hazard.id, "hazard_unassigned", Hazard.reported_at, Hazard.school_id, grid,
                           Hazard.risk_level, now))
              .where(Hazard.state == State.REPORTED, Hazard.source == Source.INSPECTION, schools(Hazard.school_id),
                     Hazard.reported_at <= _climbed_since(Hazard.risk_level, speeds, now, at_once_now=True),
                     _not_open("hazard", Hazard.id, "hazard_unassigned", Hazard.reported_at)), now)
    second_rejection = (select(func.max(HazardEvent.at)).where(HazardEvent.hazard_id == Hazard.id,
                                                              HazardEvent.action == "reject").scalar_subquery())
    _open(select(*_new("hazard", Hazard.id, "rejected_twice", second_rejection, Hazard.school_id, grid,
                       Hazard.risk_level, now))
          .where(Hazard.state.in_(OPEN_STATES), Hazard.rejections >= 2,
                 ~exists().where(E.c.subject == "hazard", E.c.subject_id == Hazard.id,
                                 E.c.trigger == "rejected_twice")), now)


def resolve_gone(now: datetime) -> None:
    """Stop every escalation whose cause is gone."""
    unresolved = E.c.resolved_at.is_(None)
    # a point still overdue is due by now: the due_at index keeps this to the overdue points
    point_still = exists().where(RiskPoint.id == E.c.subject_id, RiskPoint.active, RiskPoint.due_at == E.c.began_at,
                                 RiskPoint.due_at <= now)
    causes = {
        "point_overdue": point_still,
        "hazard_overdue": exists().where(Hazard.id == E.c.subject_id, Hazard.state == State.ASSIGNED,
                                         Hazard.deadline == E.c.began_at),
        "hazard_unassigned": exists().where(Hazard.id == E.c.subject_id, Hazard.state == State.REPORTED),
        "rejected_twice": exists().where(Hazard.id == E.c.subject_id, Hazard.state.in_(OPEN_STATES)),
    }
    for trigger, still in causes.items():
        began = [E.c.began_at <= now] if trigger == "point_overdue" else []
        db.session.execute(update(E).where(unresolved, E.c.trigger == trigger, ~still, *began).values(resolved_at=now))


def climb(now: datetime, groups: list[tuple]) -> None:
    """Take the next step of every open escalation whose time is up: one level per sweep."""
    free = and_(E.c.resolved_at.is_(None), or_(E.c.held_until.is_(None), E.c.held_until <= now))
    for level in range(TOP, 0, -1):  # from the top down, so nothing climbs twice in one sweep
        for schools, speeds in groups:
            time_up = E.c.last_step_at <= _climbed_since(E.c.risk_level, speeds, now)
            ready = select(E.c.id, literal(level), literal(now, S.c.at.type)).where(
                free, schools(E.c.school_id),
                or_(and_(E.c.level == level - 1, E.c.level > 0, time_up),
                    and_(E.c.level == 0, _starts_at(level, speeds))))
            insert_select_once(S, ["escalation_id", "level", "at"], ready)
        taken = select(S.c.escalation_id).where(S.c.level == level, S.c.at == now)
        db.session.execute(update(E).where(E.c.id.in_(taken), E.c.level < level)
                           .values(level=level, last_step_at=now))


def _starts_at(level: int, speeds: Speeds):
    """Which new escalations take `level` as their first step.

    Level 1 for most; the school (2) at once for a failed item of an at-once colour, and for
    anything with no grid (a hazard reported at a place, a point outside every grid): a
    level that tells nobody would only waste a climb.
    """
    at_once = and_(E.c.trigger == "hazard_unassigned", E.c.risk_level.in_(sorted(speeds.at_once)))
    if level == 1:
        return and_(~at_once, E.c.grid_id.is_not(None))
    if level == 2:
        return or_(at_once, E.c.grid_id.is_(None))
    return literal(False)


def notify(now: datetime) -> None:
    """Tell the people of each step taken in this sweep, once each.

    Each level starts from the few steps taken now (a MATERIALIZED CTE on PostgreSQL, whose
    planner otherwise misjudges the people side and walks every escalation of every school).
    """
    school, county = OrgUnit.__table__.alias("school"), OrgUnit.__table__.alias("county")
    grids = Grid.__table__
    for level in range(1, TOP + 1):
        taken = (select(S.c.id.label("step_id"), E.c.school_id, E.c.grid_id, school.c.parent_id.label("township_id"),
                        school.c.path)
                 .select_from(S.join(E, E.c.id == S.c.escalation_id).join(school, school.c.id == E.c.school_id))
                 .where(S.c.level == level, S.c.at == now)
                 .cte(f"taken_{level}").prefix_with("MATERIALIZED", dialect="postgresql"))
        if level == 1:
            source = taken.join(grids, grids.c.id == taken.c.grid_id).join(User, User.id == grids.c.leader_id)
            who = literal(True)
        elif level == 2:
            source = taken.join(User, User.org_unit_id == taken.c.school_id)
            who = User.role.in_([Role.SAFETY_OFFICER, Role.PRINCIPAL])
        elif level == 3:
            source = taken.join(User, User.org_unit_id == taken.c.township_id)
            who = User.role == Role.TOWNSHIP_SUPERVISOR
        else:  # the few county admins, then whether the school is in their county
            source = taken.join(User, User.role == Role.COUNTY_ADMIN).join(county, county.c.id == User.org_unit_id)
            who = taken.c.path.startswith(county.c.path)
        people = (select(User.id, taken.c.step_id, literal(now, Notification.__table__.c.created_at.type))
                  .select_from(source).where(User.active, who).distinct())
        insert_select_once(Notification.__table__, ["user_id", "step_id", "created_at"], people)


def sweep(now: datetime) -> None:
    """One sweep at `now`; the caller commits (the steps, notifications and outbox rows together)."""
    groups = in_groups()
    open_causes(now, groups)
    resolve_gone(now)
    climb(now, groups)
    notify(now)
    enqueue(now)
