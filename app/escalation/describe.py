"""What a person reads about an escalation or a hand-off: its subject's name, its school, who each step told.

Loaded in a handful of queries for a whole page of escalations (never one per row).
"""

import json

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.escalation.models import Escalation, EscalationStep, Notification
from app.extensions import db
from app.hazards.models import Hazard
from app.orgs.models import OrgUnit
from app.points.models import RiskPoint
from app.snaps.models import PublicReport

#: how much of a 随手拍 report's words name it in a list
REPORT_WORDS = 30


def _titles(escalations: list[Escalation]) -> dict[tuple[str, int], str]:
    point_ids = {e.subject_id for e in escalations if e.subject == "point"}
    hazard_ids = {e.subject_id for e in escalations if e.subject == "hazard"}
    titles = {("point", i): name for i, name in
              db.session.execute(select(RiskPoint.id, RiskPoint.name).where(RiskPoint.id.in_(point_ids)))}
    for hazard in db.session.scalars(select(Hazard).where(Hazard.id.in_(hazard_ids))
                                     .options(joinedload(Hazard.point))):
        place = hazard.point.name if hazard.point else hazard.place
        titles[("hazard", hazard.id)] = " ".join(part for part in (hazard.number, place) if part)
    report_ids = {e.subject_id for e in escalations if e.subject == "report"}
    for report_id, words in db.session.execute(select(PublicReport.id, PublicReport.description)
                                               .where(PublicReport.id.in_(report_ids))):
        titles[("report", report_id)] = f"随手拍 {words[:REPORT_WORDS]}{'…' if len(words) > REPORT_WORDS else ''}"
    return titles


def steps_of(escalation_ids: list[int]) -> dict[int, list[EscalationStep]]:
    """Each escalation's steps in level order, each with `told` (who it notified) and who acknowledged it."""
    steps = list(db.session.scalars(select(EscalationStep).where(EscalationStep.escalation_id.in_(escalation_ids))
                                    .order_by(EscalationStep.level)))
    told: dict[int, list[dict]] = {}
    for step_id, user_id, name, role in db.session.execute(
            select(Notification.step_id, User.id, User.display_name, User.role)
            .join(User, User.id == Notification.user_id)
            .where(Notification.step_id.in_([s.id for s in steps])).order_by(User.display_name)):
        told.setdefault(step_id, []).append({"id": user_id, "name": name, "role": role.value})
    ackers = {s.acknowledged_by_id for s in steps if s.acknowledged_by_id}
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ackers))).all())
    found: dict[int, list[EscalationStep]] = {}
    for step in steps:
        step.told = told.get(step.id, [])
        step.acknowledged_by_name = names.get(step.acknowledged_by_id)
        found.setdefault(step.escalation_id, []).append(step)
    return found


def describe(escalations: list[Escalation], with_steps: bool = True) -> list[Escalation]:
    """Attach `title`, `school_name` (and `steps`) to each escalation, for the API's answer."""
    titles = _titles(escalations)
    schools = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)
                                      .where(OrgUnit.id.in_({e.school_id for e in escalations}))).all())
    steps = steps_of([e.id for e in escalations]) if with_steps else {}
    for escalation in escalations:
        escalation.title = titles.get((escalation.subject, escalation.subject_id), "")
        escalation.school_name = schools.get(escalation.school_id, "")
        if with_steps:
            escalation.steps = steps.get(escalation.id, [])
    return escalations


#: where in the app each kind of subject opens: a point, a hazard, a 随手拍 report, a school's triage queue
PATHS = {"point": "/app/points/{}", "hazard": "/app/hazards/{}", "report": "/app/hazards/triage/{}",
         "school": "/app/hazards/triage"}


def app_path(subject: str, subject_id: int) -> str:
    """The app's page of a notice's subject, the same in the inbox, on a phone's push and in a group chat."""
    return PATHS[subject].format(subject_id)


def describe_notices(notices: list[Notification]) -> list[Notification]:
    """Attach what the inbox shows of each notice, whether an escalation step or a hand-off: `kind`
    ("escalation" or the hand-off's), `subject`, `subject_id`, `title`, `school_name`, `risk_level`,
    `path` in the app, and for a hand-off `details` (its deadline, the number of reports...) and `actor_name`."""
    describe([n.step.escalation for n in notices if n.step], with_steps=False)
    handoffs = [n.handoff for n in notices if n.handoff]
    hazards = {h.id: h for h in db.session.scalars(
        select(Hazard).where(Hazard.id.in_({h.subject_id for h in handoffs if h.subject == "hazard"}))
        .options(joinedload(Hazard.point)))}
    names = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)
                                    .where(OrgUnit.id.in_({h.school_id for h in handoffs}))).all())
    actors = dict(db.session.execute(select(User.id, User.display_name)
                                     .where(User.id.in_({h.actor_id for h in handoffs if h.actor_id}))).all())
    for notice in notices:
        if notice.step:
            escalation = notice.step.escalation
            notice.kind, notice.subject, notice.subject_id = "escalation", escalation.subject, escalation.subject_id
            notice.title, notice.school_name = escalation.title, escalation.school_name
            notice.risk_level, notice.details, notice.actor_name = escalation.risk_level, {}, None
        else:
            handoff = notice.handoff
            hazard = hazards.get(handoff.subject_id) if handoff.subject == "hazard" else None
            notice.kind, notice.subject, notice.subject_id = handoff.kind, handoff.subject, handoff.subject_id
            notice.school_name, notice.actor_name = names.get(handoff.school_id, ""), actors.get(handoff.actor_id)
            notice.details = json.loads(handoff.details or "{}")
            if hazard is not None:
                place = hazard.point.name if hazard.point else hazard.place
                notice.title = " ".join(part for part in (hazard.number, place) if part)
                notice.risk_level = hazard.risk_level
            else:
                notice.title, notice.risk_level = "", ""
        notice.path = app_path(notice.subject, notice.subject_id)
    return notices
