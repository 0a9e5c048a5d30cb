"""What a hand-off says on a phone and in a group chat (Chinese), and as Huxiao's own JSON event."""

import json
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.escalation.describe import app_path
from app.escalation.models import Handoff
from app.extensions import db
from app.hazards.models import Hazard
from app.orgs.models import OrgUnit
from app.outbox.messages import Message
from app.points.levels import level
from app.timezones import school_zone

#: the notice's headline per kind: what happened, and so what the reader is to do
HEADLINES = {
    "reported": "新隐患待交办",
    "assigned": "隐患已交办整改",
    "unassigned": "隐患已改由他人整改",
    "rectified": "隐患已整改，待验收",
    "rejected": "整改未通过验收，请重新整改",
    "passed_up": "隐患已上报，待本级交办",
    "supervised": "隐患挂牌督办",
    "unsupervised": "隐患已摘牌",
    "closed": "隐患已验收销号",
    "voided": "隐患已作废",
    "merged": "隐患已合并到另一条隐患",
    "reports_new": "新的随手拍待处理",
}


def messages_for_handoffs(handoffs: list[Handoff]) -> dict[int, Message]:
    """Each hand-off's message, by id, reading its hazards and schools in two queries."""
    base = current_app.config["PUBLIC_BASE_URL"]
    hazards = {h.id: h for h in db.session.scalars(
        select(Hazard).where(Hazard.id.in_({h.subject_id for h in handoffs if h.subject == "hazard"}))
        .options(joinedload(Hazard.point)))}
    schools = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)
                                      .where(OrgUnit.id.in_({h.school_id for h in handoffs}))).all())
    zone = school_zone()
    found = {}
    for handoff in handoffs:
        details = json.loads(handoff.details or "{}")
        headline = HEADLINES[handoff.kind]
        url = base + app_path(handoff.subject, handoff.subject_id)
        hazard = hazards.get(handoff.subject_id) if handoff.subject == "hazard" else None
        if hazard is not None:
            risk = level(hazard.risk_level)
            place = hazard.point.name if hazard.point else hazard.place
            subject = f"{hazard.number} {place}{'（' + risk.name_zh + '）' if risk else ''}"
            what = f"{schools.get(handoff.school_id, '')} · {subject}"
            body = f"{what}\n{hazard.description[:80]}"
        else:
            subject = f"{details.get('count', 0)} 条随手拍"
            what = f"{schools.get(handoff.school_id, '')} · {subject}"
            body = what
        if details.get("deadline"):
            body += f"\n整改期限：{_local(details['deadline'], zone)}"
        title = f"【护校】{headline}"
        text = f"{title}\n{body}\n请及时处理：{url}"
        event = {"event": f"handoff.{handoff.kind}", "at": handoff.at.isoformat(), "url": url, "text": text,
                 "handoff": {"id": handoff.id, "kind": handoff.kind, "subject": handoff.subject,
                             "subject_id": handoff.subject_id, "school_id": handoff.school_id,
                             "school_name": schools.get(handoff.school_id, ""), "title": subject}}
        found[handoff.id] = Message(title, text, url, f"handoff-{handoff.subject}-{handoff.subject_id}", event,
                                    f"{what}：{headline}", noun="提醒")
    return found


def _local(moment: str, zone) -> str:
    return f"{datetime.fromisoformat(moment).astimezone(zone):%m月%d日 %H:%M}"
