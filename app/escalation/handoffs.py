"""Hand-offs: each move of a hazard tells the person who must act next, at once.

谁检查谁负责, 一级抓一级: the chain runs on people hearing their turn. A hand-off is made in
the transaction of the move itself, with its people's notices and its outbox rows, so it
exists exactly when the move does (no loss), and a retried request (Idempotency-Key) or a
second server makes no second one. Nobody is told of their own move.

Who hears what:
- reported (by staff or a failed checklist item) -> the school's managers, who assign it;
- assigned -> the rectifier, and `unassigned` -> the one replaced;
- rectified -> the people who may verify it (never the rectifier);
- rejected -> the rectifier;
- passed up -> the managers of the unit that now holds it;
- put under or taken off 挂牌督办 -> the school's managers and the township's;
- closed, voided, merged -> the member of staff who reported it (and a rectifier at work on it);
- new 随手拍 reports -> the school's managers, one digest per school per sweep.
"""

import json
from collections import Counter
from datetime import datetime

from sqlalchemy import insert, select, update

from app.accounts.models import Role, User
from app.escalation.models import Handoff, Notification
from app.escalation.policy import county_speeds
from app.escalation.quiet import next_start
from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit
from app.outbox.enqueue import enqueue_handoff
from app.schedules.services import county_of, county_rules
from app.snaps.models import PublicReport
from app.timezones import school_zone

KINDS = ("reported", "assigned", "unassigned", "rectified", "rejected", "passed_up", "supervised", "unsupervised",
         "closed", "voided", "merged", "reports_new")

#: the moves that ask someone to act (assign, rectify again, take it over): a red hazard's go at once
URGENT_MOVES = frozenset({"assign", "reject", "pass_up"})

#: the roles that manage each kind of unit: they assign, verify and triage for it
MANAGING = {
    OrgKind.SCHOOL: (Role.SAFETY_OFFICER, Role.PRINCIPAL),
    OrgKind.TOWNSHIP: (Role.TOWNSHIP_SUPERVISOR,),
    OrgKind.COUNTY: (Role.COUNTY_ADMIN,),
}


def managers_of(unit: OrgUnit) -> list[int]:
    """The active managers of one unit (not of the units above or below it)."""
    return list(db.session.scalars(select(User.id).where(User.org_unit_id == unit.id, User.active,
                                                         User.role.in_(MANAGING[unit.kind]))))


def tell(kind: str, subject: str, subject_id: int, school: OrgUnit, unit: OrgUnit, people, actor_id: int | None,
         now: datetime, urgent: bool = False, details: dict | None = None) -> Handoff | None:
    """Make one hand-off, its people's notices and its outbox rows; None if it tells nobody."""
    user_ids = sorted({p for p in people if p is not None} - {actor_id})
    if not user_ids:
        return None
    handoff = Handoff(kind=kind, subject=subject, subject_id=subject_id, school_id=school.id, unit_id=unit.id,
                      actor_id=actor_id, at=now, urgent=urgent,
                      details=json.dumps(details or {}, ensure_ascii=False, default=str))
    db.session.add(handoff)
    db.session.flush()
    db.session.execute(insert(Notification), [{"user_id": u, "handoff_id": handoff.id, "created_at": now}
                                              for u in user_ids])
    enqueue_handoff(handoff, user_ids, now if urgent else _working(school, now))
    return handoff


def _working(school: OrgUnit, now: datetime) -> datetime:
    """When the school's county's people are next at work: now, in working hours."""
    county_id = county_of(school.path)
    calendar, _ = county_rules(county_id)
    return next_start(now, county_speeds(county_id).working, calendar, school_zone())


def _unit(unit_id: int) -> OrgUnit:
    return db.session.get(OrgUnit, unit_id)


def _verifiers(hazard) -> list[int]:
    """Who may verify a rectification: the holder's managers (the county's, under 挂牌督办), and who assigned it."""
    holder = hazard.holder
    if hazard.supervised and holder.kind is not OrgKind.COUNTY:
        holder = _unit(county_of(hazard.school.path))
    return [*managers_of(holder), hazard.assigned_by_id]


def hazard_moved(hazard, action: str, actor_id: int, now: datetime, before: dict) -> None:
    """Tell whoever must act next after `action` on `hazard`; `before`: its rectifier and holder before the move."""
    school, holder = hazard.school, hazard.holder
    # a red hazard's call to act buzzes even at night; news of its end waits for the morning
    urgent = action in URGENT_MOVES and hazard.risk_level in county_speeds(county_of(school.path)).at_once

    def say(kind: str, people, unit: OrgUnit = holder, **details) -> None:
        tell(kind, "hazard", hazard.id, school, unit, people, actor_id, now, urgent, details)

    if action == "assign":
        say("assigned", [hazard.rectifier_id], deadline=hazard.deadline.isoformat())
        if before["rectifier_id"] not in (None, hazard.rectifier_id):
            say("unassigned", [before["rectifier_id"]])
    elif action == "rectify":
        say("rectified", [p for p in _verifiers(hazard) if p != hazard.rectifier_id])
    elif action == "reject":
        say("rejected", [hazard.rectifier_id], deadline=hazard.deadline and hazard.deadline.isoformat())
    elif action == "pass_up":
        say("passed_up", managers_of(holder), from_unit=before["holder_name"])
        if before["rectifier_id"] is not None:  # the new holder assigns it afresh
            say("unassigned", [before["rectifier_id"]])
    elif action in ("supervise", "unsupervise"):
        township = _unit(school.parent_id) if school.parent_id else None
        people = managers_of(school) + (managers_of(township) if township and township.kind is OrgKind.TOWNSHIP
                                        else [])
        say(f"{action}d", people, unit=school)
    elif action in ("verify", "void", "merge"):
        kind = {"verify": "closed", "void": "voided", "merge": "merged"}[action]
        say(kind, [hazard.reporter_id, before["rectifier_id"] if action != "verify" else None])


def hazard_reported(hazard, actor_id: int | None, now: datetime) -> None:
    """A new hazard waits for its school's managers to assign it."""
    urgent = hazard.risk_level in county_speeds(county_of(hazard.school.path)).at_once
    tell("reported", "hazard", hazard.id, hazard.school, hazard.school, managers_of(hazard.school), actor_id, now,
         urgent)


def tell_new_reports(now: datetime) -> None:
    """Tell each school's managers of the 随手拍 reports that came in since the last sweep: one digest each.

    The reports are claimed by one UPDATE (told_at); a concurrent sweep's UPDATE waits on the same
    rows and, rechecking them, finds them told, so no school hears of a report twice.
    """
    claimed = db.session.execute(update(PublicReport).where(PublicReport.told_at.is_(None))
                                 .values(told_at=now).returning(PublicReport.school_id)).scalars().all()
    for school_id, count in sorted(Counter(claimed).items()):
        school = _unit(school_id)
        tell("reports_new", "school", school_id, school, school, managers_of(school), None, now, details={"count": count})
