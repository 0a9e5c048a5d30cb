"""What a step says, in Chinese for the group chats and phones, and as Huxiao's own JSON event.

A group robot (WeCom, DingTalk) takes at most 20 messages a minute and its group reads every
one, so the steps of one pass to one robot go as one digest, split only where a message
would pass the robot's length limit. A phone, likewise, gets one notice per pass.
"""

from dataclasses import dataclass

from flask import current_app

from app.escalation.describe import app_path, describe
from app.escalation.models import EscalationStep
from app.points.levels import level
from app.timezones import school_zone

LEVEL_NAMES = {1: "网格长", 2: "学校", 3: "乡镇（街道）", 4: "县教育局"}
TRIGGER_TEXTS = {
    "point_overdue": "逾期未巡查",
    "hazard_unassigned": "隐患未交办",
    "hazard_overdue": "隐患逾期未整改",
    "rejected_twice": "整改两次未通过验收",
    "report_untriaged": "随手拍未处理",
    "hazard_unverified": "整改后未验收",
}


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    url: str
    tag: str  # one per escalation: a phone shows its latest step, not a pile
    event: dict
    line: str = ""  # the step in one line, for a digest
    noun: str = "升级提醒"  # what a digest of such messages counts: 升级提醒, or 提醒 for hand-offs


def _noun(messages: list[Message]) -> str:
    nouns = {m.noun for m in messages}
    return nouns.pop() if len(nouns) == 1 else "提醒"


#: the steps a phone's digest notice names before "共 N 条"
PUSH_LINES = 3
#: a WeCom robot's text is at most 2048 bytes of UTF-8 (DingTalk's limit is larger); a digest stays under
ROBOT_TEXT_BYTES = 2000


def digest(messages: list[Message]) -> str:
    """One group-chat text for several steps, numbered, each with its link; a single step's text as it is."""
    if len(messages) == 1:
        return messages[0].text
    items = "\n".join(f"{i}. {m.line}\n{m.url}" for i, m in enumerate(messages, 1))
    return f"【护校】{len(messages)} 条{_noun(messages)}，请及时处理：\n{items}"


def push_payload(messages: list[Message]) -> dict:
    """What the service worker shows: one step's notice (tagged, so its next step replaces it), or for
    several, one notice that names the first few and opens the inbox (untagged: each pass's stays)."""
    if len(messages) == 1:
        m = messages[0]
        return {"title": m.title, "body": m.text.split("\n", 1)[1], "url": m.url, "tag": m.tag}
    shown = [m.line for m in messages[:PUSH_LINES]]
    if len(messages) > PUSH_LINES:
        shown.append(f"……共 {len(messages)} 条")
    return {"title": f"【护校】{len(messages)} 条{_noun(messages)}", "body": "\n".join(shown),
            "url": f"{current_app.config['PUBLIC_BASE_URL']}/app/inbox"}


def robot_chunks(messages: list[Message], limit: int = ROBOT_TEXT_BYTES) -> list[list[int]]:
    """The messages' positions, in order, cut into runs whose digest fits in `limit` bytes (one each at least)."""
    chunks: list[list[int]] = []
    for i in range(len(messages)):
        if chunks and len(digest([messages[j] for j in chunks[-1] + [i]]).encode()) <= limit:
            chunks[-1].append(i)
        else:
            chunks.append([i])
    return chunks


def _url(subject: str, subject_id: int) -> str:
    return current_app.config['PUBLIC_BASE_URL'] + app_path(subject, subject_id)


def messages_for(steps: list[EscalationStep]) -> dict[int, Message]:
    """Each step's message, by step id, reading what it needs in a few queries."""
    describe(list({s.escalation.id: s.escalation for s in steps}.values()), with_steps=False)
    zone = school_zone()
    found = {}
    for step in steps:
        esc = step.escalation
        risk = level(esc.risk_level)
        since = esc.began_at.astimezone(zone)
        title = f"【护校】升级至{LEVEL_NAMES[step.level]}：{TRIGGER_TEXTS[esc.trigger]}"
        url = _url(esc.subject, esc.subject_id)
        what = f"{esc.school_name} · {esc.title}{'（' + risk.name_zh + '）' if risk else ''}"
        text = f"{title}\n{what}\n自 {since:%m月%d日 %H:%M} 起，第 {step.level} 级。请及时处理：{url}"
        line = f"{what}：{TRIGGER_TEXTS[esc.trigger]}，自 {since:%m月%d日 %H:%M} 起，升级至{LEVEL_NAMES[step.level]}"
        event = {
            "event": "escalation.step",
            "level": step.level,
            "at": step.at.isoformat(),
            "url": url,
            "text": text,
            "escalation": {
                "id": esc.id, "subject": esc.subject, "subject_id": esc.subject_id, "title": esc.title,
                "trigger": esc.trigger, "risk_level": esc.risk_level, "school_id": esc.school_id,
                "school_name": esc.school_name, "began_at": esc.began_at.isoformat(),
            },
        }
        found[step.id] = Message(title, text, url, f"escalation-{esc.id}", event, line)
    return found
