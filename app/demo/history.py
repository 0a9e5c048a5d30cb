"""Months of made-up patrols and hazards in the demo county, so its reports have a past to show.

The demo seed makes its points and a few hazards today; with no past every report would
be empty. `flask demo seed` then calls this: it backdates the points and adds, day by day up to now, the
inspections each school's diligence gives (so the ranking ranks), a failed item now and
then, hazards reported, assigned, rectified and closed out along the way, each step taken by
a person of the school's staff (app/demo/staff.py) and written in the hazard's history (one
of them under the county's listed supervision), and an escalation that reached the township.
The report screens' browser test and the screenshots use it too.
"""

import json
import random
from datetime import datetime, time, timedelta, timezone

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.accounts.models import DEFAULT_PASSWORD_METHOD, Role, User
from app.checklists.models import ChecklistItem
from app.demo.seed import DEMO_PASSWORD
from app.demo.staff import Staff, school_staff
from app.escalation.models import Escalation, EscalationStep
from app.extensions import db
from app.hazards.models import Hazard, HazardEvent, Source, State
from app.inspections.models import Inspection, InspectionResult, ItemResult
from app.orgs.models import OrgKind, OrgUnit
from app.points.models import RiskPoint
from app.schedules.services import local_today, refresh_county, start_of
from app.timezones import school_zone

#: the share of its due inspections each school does, by the order the schools were made
DILIGENCE = (0.96, 0.84, 0.68, 0.5)
#: how often a point of each level is inspected on a day it could be (red daily, blue now and then)
PACE = {"red": 1.0, "orange": 0.45, "yellow": 0.22, "blue": 0.1}
#: what a patrol finds, and what the rectifier does about it
FIXES = {"灭火器压力不足": "更换灭火器并登记", "应急照明不亮": "更换应急照明灯电池", "护栏松动": "紧固护栏螺栓",
         "排水沟盖板破损": "更换排水沟盖板", "插座过载": "拆除多余插线板，改为专用线路", "地面湿滑无警示": "铺设防滑垫并设警示牌"}
PROBLEMS = tuple(FIXES)
VERDICTS = ("复查合格，准予销号", "现场复核已整改到位", "经查验整改到位，同意销号")


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=school_zone())


def add_history(days: int = 150, now: datetime | None = None, seed: int = 7) -> None:
    """Backdate the demo points by `days` and fill those days and today, until `now`, with patrols and hazards; commit."""
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    today = local_today(now)
    first = today - timedelta(days=days)
    county = db.session.scalar(select(OrgUnit).where(OrgUnit.kind == OrgKind.COUNTY).order_by(OrgUnit.id))
    schools = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.SCHOOL).order_by(OrgUnit.id)).all()
    someone = db.session.scalar(select(User.id).order_by(User.id))
    patrollers = {school.id: db.session.scalar(select(User.id).where(User.org_unit_id == school.id).order_by(User.id))
                  for school in schools}  # before any staff is made: who inspects stays as it was
    staff = school_staff(schools, generate_password_hash(
        DEMO_PASSWORD, method=current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_METHOD)))
    for number, school in enumerate(schools):
        diligence = DILIGENCE[number % len(DILIGENCE)]
        inspector = patrollers[school.id] or someone
        points = db.session.scalars(select(RiskPoint).where(RiskPoint.school_id == school.id, RiskPoint.active)).all()
        items = {p.template_id: db.session.scalars(select(ChecklistItem).where(
            ChecklistItem.template_id == p.template_id, ChecklistItem.active).order_by(ChecklistItem.position)).all()
            for p in points}
        for point in points:
            point.created_at = start_of(first)
        for n in range(days + 1):  # to today, as far as the clock has got
            day = first + timedelta(days=n)
            for point in points:
                at = _at(day, rng.randrange(7, 17), rng.randrange(60))
                if rng.random() > diligence * PACE.get(point.risk_level, 0.3) or at >= now:
                    continue
                _inspect(point, items[point.template_id], inspector, at, rng)
            if rng.random() < 0.11 + 0.05 * number and _at(day, 10) < now:
                _hazard(school, rng.choice(points), inspector, staff[school.id], _at(day, 10), now, rng)
    db.session.flush()
    _notices(now)
    _supervised_and_escalated(schools[-1], now)
    refresh_county(county.id, now)
    db.session.commit()


def _inspect(point, items, inspector_id, at, rng) -> None:
    failed = rng.randrange(len(items)) if items and rng.random() < 0.05 else None
    db.session.add(Inspection(
        point_id=point.id, inspector_id=inspector_id, template_id=point.template_id, token=point.token,
        submitted_at=at, captured_at=at, failed_count=int(failed is not None),
        results=[InspectionResult(item_id=item.id, position=item.position, item_text=item.text,
                                  result=ItemResult.FAIL if i == failed else ItemResult.PASS,
                                  note=rng.choice(PROBLEMS) if i == failed else "")
                 for i, item in enumerate(items)]))


def _hazard(school, point, reporter_id, staff: Staff, at, now, rng) -> None:
    """A hazard as far along as the time since its report allows, each step taken by whom the rules say.

    Reported by the inspector; assigned the next day by the safety officer to the grid leader of
    the point's grid (or a teacher); most rectified in time; verified a day later by the principal
    or the safety officer, never by the rectifier. Each step is a HazardEvent at its time, so the
    hazard's history and the ledger's 验收人 read as if the chain had run.
    """
    assigned = at + timedelta(days=1)
    deadline = assigned + timedelta(days=rng.choice((3, 5, 7)))
    rectified = (deadline - timedelta(days=rng.randrange(0, 3))) if rng.random() < 0.75 else deadline + timedelta(days=3)
    closed = rectified + timedelta(days=1)
    problem, rectifier = rng.choice(PROBLEMS), staff.leaders.get(point.grid_id, staff.teacher_id)
    # chosen by the day, not drawn: the draws stay those of the patrols, whose rates the reports rank
    turn = at.toordinal()
    verifier = (staff.principal_id, staff.safety_id)[turn % 2]
    hazard = Hazard(school_id=school.id, holder_id=school.id, source=Source.STAFF, point_id=point.id,
                    place=point.location, category=point.category, risk_level=point.risk_level,
                    description=f"{point.name}:{problem}", reporter_id=reporter_id, reported_at=at,
                    state=State.REPORTED, updated_at=at)
    db.session.add(hazard)
    _pending.append((hazard, staff))
    _event(hazard, reporter_id, "report", None, at, hazard.description)
    if assigned >= now:
        return
    hazard.state, hazard.assigned_at, hazard.deadline = State.ASSIGNED, assigned, deadline
    hazard.rectifier_id, hazard.assigned_by_id, hazard.measures = rectifier, staff.safety_id, FIXES[problem]
    _event(hazard, staff.safety_id, "assign", State.REPORTED, assigned, "", {
        "rectifier_id": rectifier, "deadline": deadline.isoformat(), "risk_level": hazard.risk_level,
        "responsibility": "", "measures": hazard.measures, "funds_yuan": None})
    if rectified >= now:
        return
    hazard.state, hazard.rectified_at = State.RECTIFIED, rectified
    _event(hazard, rectifier, "rectify", State.ASSIGNED, rectified, f"已{FIXES[problem]}")
    if closed >= now:
        return
    hazard.state, hazard.closed_at, hazard.verified_by_id = State.CLOSED, closed, verifier
    _event(hazard, verifier, "verify", State.RECTIFIED, closed, VERDICTS[turn % len(VERDICTS)])


#: each step of the history, and who its hand-off told: (kind, people), by the hazard's staff
_TOLD = {"report": lambda h, s: ("reported", [s.safety_id, s.principal_id]),
         "assign": lambda h, s: ("assigned", [h.rectifier_id]),
         "rectify": lambda h, s: ("rectified", [s.safety_id, s.principal_id]),
         "verify": lambda h, s: ("closed", [h.reporter_id])}
#: notices older than this were read an hour after they came; newer ones wait in the inbox
READ_AFTER = timedelta(days=2)
_pending: list[tuple[Hazard, Staff]] = []


def _notices(now: datetime) -> None:
    """Each history hazard's hand-offs, at their steps' times, in the inboxes of the people they told,
    the way app/escalation/handoffs.py makes them (nobody is told of their own move)."""
    from app.escalation.handoffs import tell
    from app.escalation.models import Notification

    for hazard, staff in _pending:
        for event in hazard.events:
            kind, people = _TOLD[event.action](hazard, staff)
            handoff = tell(kind, "hazard", hazard.id, hazard.school, hazard.school, people, event.actor_id, event.at)
            if handoff is not None and event.at < now - READ_AFTER:
                for notice in db.session.scalars(select(Notification).where(Notification.handoff_id == handoff.id)):
                    notice.read_at = event.at + timedelta(hours=1)
    _pending.clear()


def _event(hazard: Hazard, actor_id: int, action: str, before: State | None, at: datetime, note: str,
           details: dict | None = None) -> None:
    """One step of the hazard's history, as app/hazards/services.py writes it (to_state: where the step left it)."""
    hazard.events.append(HazardEvent(actor_id=actor_id, action=action, at=at, from_state=before and before.value,
                                     to_state=hazard.state.value, note=note,
                                     details=json.dumps(details or {}, ensure_ascii=False)))
    hazard.updated_at = at


def _supervised_and_escalated(school, now) -> None:
    """The last school's oldest open hazard under the county's supervision; a point of it escalated to the township."""
    open_hazard = db.session.scalar(select(Hazard).where(Hazard.school_id == school.id, Hazard.closed_at.is_(None))
                                    .order_by(Hazard.reported_at))
    if open_hazard is not None:
        open_hazard.supervised = True
        county_admin = db.session.scalar(select(User.id).where(User.role == Role.COUNTY_ADMIN).order_by(User.id))
        _event(open_hazard, county_admin, "supervise", open_hazard.state,
               min(open_hazard.updated_at + timedelta(hours=2), now - timedelta(minutes=1)), "逾期未整改，县局挂牌督办")
    point = db.session.scalar(select(RiskPoint).where(RiskPoint.school_id == school.id, RiskPoint.risk_level == "red")
                              .order_by(RiskPoint.id))
    if point is None:
        return
    month_began = start_of(local_today(now).replace(day=1))
    reached = min(max(now - timedelta(days=2), month_began + timedelta(hours=1)), now - timedelta(minutes=1))
    escalation = Escalation(subject="point", subject_id=point.id, trigger="point_overdue", began_at=reached - timedelta(days=2),
                            school_id=school.id, risk_level=point.risk_level, level=3, last_step_at=reached)
    db.session.add(escalation)
    db.session.flush()
    db.session.add(EscalationStep(escalation_id=escalation.id, level=3, at=reached))
