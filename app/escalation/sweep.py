"""One escalation sweep at a given moment: set-based statements, safe to run twice or at once.

1. resolve the escalations whose cause is gone (inspected, assigned, rectified, closed...);
2. climb: each open escalation whose time at its level is up, and which nobody holds,
   takes its next step, one level per sweep, so no level is skipped;
3. open an escalation for every new cause (a point overdue, a hazard past its deadline,
   a hazard nobody assigned, a rectification rejected twice, a 随手拍 report nobody
   triaged, a rectification nobody verified), directly at its first level, with that
   first step (after the climb, so a new one never climbs in its own sweep);
4. notify the people of each new step's level, and tell each school of its new 随手拍 reports;
5. queue the outbox, holding what can wait until people's working hours.

An overdue patrol climbs only through working hours (app/escalation/quiet.py): its wait is
judged against one literal per colour, the moment since which that much working time has
passed, so the climb stays one statement whatever the calendar.

Every statement is an INSERT ... SELECT or an UPDATE over the due and failing rows;
nothing loops over points in Python. The unique constraints on (cause), (escalation,
level) and (person, step) make a repeated or concurrent sweep add nothing twice.
"""

from datetime import datetime

from sqlalchemy import and_, case, exists, false, func, literal, null, or_, select, text, true, union_all, update
from sqlalchemy.dialects import postgresql

from app.accounts.models import Role, User
from app.database import insert_select_once
from app.escalation.models import Escalation, EscalationStep, Notification
from app.escalation.handoffs import tell_new_reports
from app.escalation.policy import OWN_PACE, SCHOOL_FIRST, TOP, Speeds, speed_groups
from app.escalation.quiet import working_since
from app.extensions import db
from app.hazards.models import OPEN_STATES, Hazard, HazardEvent, Source, State
from app.orgs.models import Grid, OrgUnit
from app.outbox.enqueue import enqueue, wait_for_working_hours
from app.points.models import RiskPoint
from app.schedules.calendar import SchoolCalendar
from app.snaps.models import PublicReport, ReportStatus
from app.timezones import school_zone

E, S = Escalation.__table__, EscalationStep.__table__
_CAUSE_COLUMNS = ["subject", "subject_id", "trigger", "began_at", "school_id", "grid_id", "risk_level", "level",
                  "last_step_at", "created_at"]
#: the note is written out: an INSERT ... SELECT inside a CTE would pass its Python default as NULL
_STEP_COLUMNS = ["escalation_id", "level", "at", "note"]


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _first_level(grid_id, at_once=None):
    """The level a new escalation starts at: the school (2) with no grid (a level that tells nobody
    would only waste a climb) or for a failed item of an at-once colour; the grid leader (1) otherwise."""
    school_first = grid_id.is_(None) if at_once is None else or_(grid_id.is_(None), at_once)
    return case((school_first, literal(2)), else_=literal(1))


def _new(subject: str, subject_id, trigger: str, began_at, school_id, grid_id, risk_level, level, now: datetime):
    moment = E.c.created_at.type
    return [literal(subject), subject_id, literal(trigger), began_at, school_id, grid_id, risk_level, level,
            literal(now, moment), literal(now, moment)]


def _not_open(subject: str, subject_id, trigger: str, began_at):
    """No open escalation of this cause. Among the open ones only (ix_escalations_open), so the
    check does not grow with the resolved history; a resolved one of the very same cause (a
    point switched off and on again, still overdue since the same moment) is the unique
    constraint's to skip, as a concurrent sweep's would be."""
    return ~exists().where(E.c.resolved_at.is_(None), E.c.trigger == trigger, E.c.subject == subject,
                           E.c.subject_id == subject_id, E.c.began_at == began_at)


def in_groups() -> list[tuple]:
    """Each group of counties with the same speeds and working days, as a filter on a school id column,
    its speeds and its calendar."""
    groups = speed_groups()
    own = sorted(c for ids, _, _ in groups if ids for c in ids)

    def schools_of(county_ids: list[int]):
        return select(OrgUnit.id).where(or_(*(OrgUnit.path.like(f"/{c}/%") for c in county_ids)))

    def make(ids: list[int] | None):
        if ids:
            return lambda column: column.in_(schools_of(ids))
        return (lambda column: ~column.in_(schools_of(own))) if own else (lambda column: literal(True))

    return [(make(ids), speeds, calendar) for ids, speeds, calendar in groups]


def _climbed_since(column, speeds: Speeds, now: datetime, at_once_now: bool = False, since=None):
    """The moment before which a row of each colour has waited its level's time, as one CASE on its colour.

    With `at_once_now`, the colours whose failures go to the school at once need no wait at all.
    Colours the county does not name wait the slowest. `since(wait)` turns a wait into that
    moment (by default `now - wait`, the wall clock).
    """
    moment = E.c.last_step_at.type
    since = since or (lambda wait: now - wait)
    whens = [(column == key, literal(now if at_once_now and key in speeds.at_once else since(speeds.climb_after(key)),
                                     moment)) for key in speeds.climb_hours]
    return case(*whens, else_=literal(since(speeds.climb_after("")), moment))


def _level_time_up(speeds: Speeds, calendar: SchoolCalendar, now: datetime):
    """The moment before which an open escalation's last step has waited its level's time: an overdue
    patrol's in working time, a cause with a pace of its own at that pace, the rest by colour."""
    zone, moment = school_zone(), E.c.last_step_at.type
    worked = _climbed_since(E.c.risk_level, speeds, now,
                            since=lambda wait: working_since(now, wait, speeds.working, calendar, zone))
    own = [(E.c.trigger == trigger, literal(now - speeds.own_pace(trigger), moment)) for trigger in OWN_PACE]
    return case((E.c.trigger == "point_overdue", worked), *own, else_=_climbed_since(E.c.risk_level, speeds, now))


def open_causes(now: datetime, groups: list[tuple]) -> None:
    """Start an escalation for every cause that has none yet, at its first level, with that step.

    On PostgreSQL each INSERT hands what it opened to the steps' INSERT in the same statement;
    on SQLite one INSERT afterwards takes the first step of every escalation opened now.
    Opened at its level, a new escalation is never updated in its own sweep.
    """
    pg = _postgresql()
    before = None if pg else db.session.scalar(select(func.coalesce(func.max(E.c.id), 0)))

    def _open(query) -> None:
        if not pg:
            insert_select_once(E, _CAUSE_COLUMNS, query)
            return
        opened = (postgresql.insert(E).from_select(_CAUSE_COLUMNS, query).on_conflict_do_nothing()
                  .returning(E.c.id, E.c.level, E.c.last_step_at).cte("opened"))
        db.session.execute(postgresql.insert(S).from_select(
            _STEP_COLUMNS, select(opened.c.id, opened.c.level, opened.c.last_step_at, literal(""))))

    def _open_hazards(trigger: str, began_at, *where, at_once=None) -> None:
        """The hazards' new causes, each with its point's grid looked up once (a MATERIALIZED CTE on
        PostgreSQL: the grid gives both the grid and the first level)."""
        found = (select(Hazard.id, began_at.label("began_at"), Hazard.school_id, grid.label("grid_id"),
                        Hazard.risk_level).where(*where)
                 .cte(f"new_{trigger}").prefix_with("MATERIALIZED", dialect="postgresql"))
        first = literal(2) if trigger in SCHOOL_FIRST else \
            _first_level(found.c.grid_id, found.c.risk_level.in_(sorted(at_once)) if at_once else None)
        _open(select(*_new("hazard", found.c.id, trigger, found.c.began_at, found.c.school_id, found.c.grid_id,
                           found.c.risk_level, first, now)).where(true()))

    _open(select(*_new("point", RiskPoint.id, "point_overdue", RiskPoint.due_at, RiskPoint.school_id,
                       RiskPoint.grid_id, RiskPoint.risk_level, _first_level(RiskPoint.grid_id), now))
          .where(RiskPoint.active, RiskPoint.due_at <= now,
                 _not_open("point", RiskPoint.id, "point_overdue", RiskPoint.due_at)))
    grid = select(RiskPoint.grid_id).where(RiskPoint.id == Hazard.point_id).scalar_subquery()
    _open_hazards("hazard_overdue", Hazard.deadline, Hazard.state == State.ASSIGNED, Hazard.deadline <= now,
                  _not_open("hazard", Hazard.id, "hazard_overdue", Hazard.deadline))
    # unassigned since its report; an accepted 随手拍 since staff accepted it, not since it was sent
    accepted = (select(PublicReport.triaged_at).where(PublicReport.hazard_id == Hazard.id,
                                                      PublicReport.status == ReportStatus.ACCEPTED)
                .correlate(Hazard).scalar_subquery())
    since = case((Hazard.source == Source.PUBLIC, func.coalesce(accepted, Hazard.reported_at)),
                 else_=Hazard.reported_at)
    for schools, speeds, _ in groups:
        # a hazard from any source (an inspection, staff, an accepted 随手拍) unassigned for its colour's
        # time; at-once colours at once
        _open_hazards("hazard_unassigned", since, Hazard.state == State.REPORTED,
                      schools(Hazard.school_id),
                      since <= _climbed_since(Hazard.risk_level, speeds, now, at_once_now=True),
                      _not_open("hazard", Hazard.id, "hazard_unassigned", since), at_once=speeds.at_once)
        # a rectification nobody verified within the county's verification time
        _open_hazards("hazard_unverified", Hazard.rectified_at, Hazard.state == State.RECTIFIED,
                      schools(Hazard.school_id), Hazard.rectified_at <= now - speeds.own_pace("hazard_unverified"),
                      _not_open("hazard", Hazard.id, "hazard_unverified", Hazard.rectified_at))
        # a 随手拍 report left in the triage queue past the county's triage time: the school's at once
        _open(select(*_new("report", PublicReport.id, "report_untriaged", PublicReport.created_at,
                           PublicReport.school_id, null(), literal(""), literal(2), now))
              .where(PublicReport.status == ReportStatus.NEW, schools(PublicReport.school_id),
                     PublicReport.created_at <= now - speeds.own_pace("report_untriaged"),
                     _not_open("report", PublicReport.id, "report_untriaged", PublicReport.created_at)))
    second_rejection = (select(func.max(HazardEvent.at)).where(HazardEvent.hazard_id == Hazard.id,
                                                              HazardEvent.action == "reject").scalar_subquery())
    _open_hazards("rejected_twice", second_rejection, Hazard.state.in_(OPEN_STATES), Hazard.rejections >= 2,
                  ~exists().where(E.c.subject == "hazard", E.c.subject_id == Hazard.id,
                                  E.c.trigger == "rejected_twice"))
    if not pg:  # the first step of each escalation opened by this sweep (ids above those there before)
        insert_select_once(S, _STEP_COLUMNS, select(E.c.id, E.c.level, E.c.last_step_at, literal("")).where(
            E.c.id > before, E.c.created_at == literal(now, E.c.created_at.type)))


def resolve_gone(now: datetime) -> None:
    """Stop every escalation whose cause is gone.

    A point's escalation is gone unless its point is still overdue since the same moment. Which
    are gone is found first (a MATERIALIZED CTE on PostgreSQL: in a plain SELECT the overdue
    points are read from the due_at index alone, where a table joined into an UPDATE would be
    read row by row from the heap), then those few are updated.
    """
    unresolved = E.c.resolved_at.is_(None)
    point_still = exists().where(RiskPoint.id == E.c.subject_id, RiskPoint.active, RiskPoint.due_at == E.c.began_at,
                                 RiskPoint.due_at <= now)
    gone = (select(E.c.id).where(unresolved, E.c.trigger == "point_overdue", E.c.began_at <= now, ~point_still)
            .cte("gone").prefix_with("MATERIALIZED", dialect="postgresql"))
    db.session.execute(update(E).where(E.c.id.in_(select(gone.c.id)), unresolved).values(resolved_at=now))
    # the hazards' three causes in one statement: each needs its hazard still open, and in its state.
    # A scalar subquery, not NOT EXISTS: PostgreSQL turns NOT EXISTS into a hash anti-join that
    # reads every hazard ever reported on every sweep; this looks up each open escalation's hazard
    # by its key, so the work follows what is open, not the county's history.
    hazard_still = (select(and_(Hazard.state.in_(OPEN_STATES), or_(
        and_(E.c.trigger == "hazard_overdue", Hazard.state == State.ASSIGNED, Hazard.deadline == E.c.began_at),
        and_(E.c.trigger == "hazard_unassigned", Hazard.state == State.REPORTED),
        and_(E.c.trigger == "hazard_unverified", Hazard.state == State.RECTIFIED,
             Hazard.rectified_at == E.c.began_at),
        E.c.trigger == "rejected_twice"))).where(Hazard.id == E.c.subject_id).correlate(E).scalar_subquery())
    db.session.execute(update(E).where(unresolved, E.c.trigger.in_(["hazard_overdue", "hazard_unassigned",
                                                                     "hazard_unverified", "rejected_twice"]),
                                       ~func.coalesce(hazard_still, false()))
                       .values(resolved_at=now))
    # a report's cause ends when anyone triages it (accepts, merges or dismisses it)
    report_still = (select(PublicReport.status == ReportStatus.NEW).where(PublicReport.id == E.c.subject_id)
                    .correlate(E).scalar_subquery())
    db.session.execute(update(E).where(unresolved, E.c.trigger == "report_untriaged",
                                       ~func.coalesce(report_still, false())).values(resolved_at=now))


def climb(now: datetime, groups: list[tuple]) -> None:
    """Take the next step of every open escalation whose time is up: one level per sweep.

    On PostgreSQL, one UPDATE per group of counties moves every escalation whose time is up
    to the level above its own and hands them to the steps' INSERT, in one statement: the
    UPDATE reads the open escalations only, where an UPDATE joined to the steps just taken
    was planned as a walk of the whole table, history and all. A concurrent sweep's UPDATE
    waits on the same rows and, rechecking them, finds their time not up. On SQLite, one
    INSERT of the steps per group, then one UPDATE of the escalations that took one.
    """
    pg = _postgresql()
    free = and_(E.c.resolved_at.is_(None), or_(E.c.held_until.is_(None), E.c.held_until <= now))
    for schools, speeds, calendar in groups:
        time_up = E.c.last_step_at <= _level_time_up(speeds, calendar, now)
        # an escalation opened before its first step (none are, since they open at their level) starts there
        at_once = and_(E.c.trigger == "hazard_unassigned", E.c.risk_level.in_(sorted(speeds.at_once))) \
            if speeds.at_once else None
        level = case((E.c.level == 0, _first_level(E.c.grid_id, at_once)), else_=E.c.level + 1)
        due = (free, schools(E.c.school_id), E.c.level < TOP, or_(E.c.level == 0, time_up))
        if pg:
            climbed = (update(E).where(*due).values(level=level, last_step_at=now)
                       .returning(E.c.id, E.c.level, E.c.last_step_at).cte("climbed"))
            insert_select_once(S, _STEP_COLUMNS, select(climbed.c.id, climbed.c.level, climbed.c.last_step_at,
                                                        literal("")))
        else:
            insert_select_once(S, _STEP_COLUMNS, select(E.c.id, level, literal(now, S.c.at.type), literal(""))
                               .where(*due))
    if not pg:
        db.session.execute(update(E).where(E.c.id == S.c.escalation_id, S.c.at == now, E.c.level < S.c.level)
                           .values(level=S.c.level, last_step_at=now))


def notify(now: datetime) -> None:
    """Tell the people of each step taken in this sweep, once each: one INSERT for the four levels.

    It starts from the few steps taken now (a MATERIALIZED CTE on PostgreSQL, whose planner
    otherwise misjudges the people side and walks every escalation of every school).
    """
    school, county = OrgUnit.__table__.alias("school"), OrgUnit.__table__.alias("county")
    grids = Grid.__table__
    taken = (select(S.c.id.label("step_id"), S.c.level, E.c.school_id, E.c.grid_id,
                    school.c.parent_id.label("township_id"), school.c.path)
             .select_from(S.join(E, E.c.id == S.c.escalation_id).join(school, school.c.id == E.c.school_id))
             .where(S.c.at == now)
             .cte("taken").prefix_with("MATERIALIZED", dialect="postgresql"))
    moment = literal(now, Notification.__table__.c.created_at.type)
    branches = []
    for level in range(1, TOP + 1):
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
        # no DISTINCT: a step is in one branch (its level) and a person has one unit and one role,
        # so each branch gives a person once per step (a sort of every row for nothing, before)
        branches.append(select(User.id, taken.c.step_id, moment).select_from(source)
                        .where(taken.c.level == level, User.active, who))
    insert_select_once(Notification.__table__, ["user_id", "step_id", "created_at"], union_all(*branches))


def sweep(now: datetime) -> None:
    """One sweep at `now`; the caller commits (the steps, notifications and outbox rows together)."""
    if _postgresql():
        # No JIT: a statement whose estimate runs high (new hazards past deadline, judged against
        # a long resolved history) spent 20 ms compiling itself for a 40 ms run, on every sweep
        db.session.execute(text("SET LOCAL jit = off"))
    groups = in_groups()
    steps_before = db.session.scalar(select(func.coalesce(func.max(S.c.id), 0)))
    resolve_gone(now)
    climb(now, groups)
    open_causes(now, groups)
    notify(now)
    tell_new_reports(now)
    enqueue(now, steps_before)
    wait_for_working_hours(now, steps_before, groups)
