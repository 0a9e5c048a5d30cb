"""Send what the outbox holds: claimed under a lease, one target's rows in order, targets side by side.

A group robot gets the rows of one pass as one digest (more where it would pass the robot's
length limit), a phone one notice: one request, whose outcome is every one of its rows'.

A target that is down (a webhook timing out, a push service refusing) fails only its own
rows: they wait with exponential backoff, while every other target's rows go out. After
MAX_ATTEMPTS a row is `dead`, kept with its last error, and can be sent again by hand
(`retry`): nothing is dropped unless its target itself is gone.
"""

import functools
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

import requests
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.escalation.models import EscalationStep, Handoff
from app.extensions import db
from app.outbox.handoff_messages import messages_for_handoffs
from app.outbox.messages import digest, messages_for, push_payload, robot_chunks
from app.outbox.models import Delivery, DeliveryState, PushSubscription, Webhook, WebhookKind
from app.outbox.push import Gone, send_push
from app.outbox.targets import TargetPolicy, safe_session
from app.outbox.webhooks import json_request, post, robot_request

#: a claimed row is left alone this long; a sender that died leaves it to be retried after
LEASE = timedelta(minutes=5)
#: backoff: 1 min, 2, 4 ... up to 6 h between attempts; about three days of trying in all
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
MAX_ATTEMPTS = 20
#: seconds to wait for a receiver; at most this many targets at once
TIMEOUT = 5.0
PARALLEL = 8
#: rows claimed by one pass; passes go on while a pass finds a full batch, for up to BUDGET seconds
BATCH = 500
BUDGET = 60.0


def backoff(attempts: int, delivery_id: int) -> timedelta:
    """The wait after the n-th failed attempt, spread by up to 20 % so retries of one outage do not bunch."""
    wait = min(FIRST_WAIT * 2 ** (attempts - 1), LONGEST_WAIT)
    return wait * (1 + (delivery_id * 7919 % 100) / 500)


ROBOTS = (WebhookKind.WECOM, WebhookKind.DINGTALK)


@dataclass
class Job:
    """One request ready to go, for one row or a robot's several: everything the sending thread needs,
    so threads never touch the session."""

    rows: list[tuple[int, int]]  # (delivery id, attempts so far), in order
    send: object  # a callable doing the HTTP request with a requests session, or None if the target is gone
    gone_reason: str = ""


def claim(now: datetime, limit: int) -> tuple[str, list[Delivery]]:
    """Take up to `limit` due rows under a lease; another sender at the same time takes other rows."""
    token = uuid.uuid4().hex
    due = (select(Delivery.id).where(Delivery.state == DeliveryState.PENDING, Delivery.next_attempt_at <= now)
           .order_by(Delivery.next_attempt_at, Delivery.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(due))
    db.session.execute(update(Delivery).where(Delivery.id.in_(ids), Delivery.state == DeliveryState.PENDING,
                                              Delivery.next_attempt_at <= now)
                       .values(claim=token, next_attempt_at=now + LEASE))
    db.session.commit()
    rows = list(db.session.scalars(select(Delivery).where(Delivery.claim == token)
                                   .order_by(Delivery.channel, Delivery.target_id, Delivery.id)))
    return token, rows


def _jobs(rows: list[Delivery]) -> list[Job]:
    """The requests for the claimed rows: a robot's and a phone's rows of this pass together, a JSON
    webhook's one by one."""
    steps = list(db.session.scalars(select(EscalationStep).where(EscalationStep.id.in_(
        {r.step_id for r in rows if r.step_id})).options(joinedload(EscalationStep.escalation))))
    handoffs = list(db.session.scalars(select(Handoff).where(Handoff.id.in_({r.handoff_id for r in rows
                                                                             if r.handoff_id}))))
    messages = {("step", i): m for i, m in messages_for(steps).items()}
    messages.update({("handoff", i): m for i, m in messages_for_handoffs(handoffs).items()})
    hooks = {h.id: h for h in db.session.scalars(select(Webhook).where(
        Webhook.id.in_({r.target_id for r in rows if r.channel == "webhook"})))}
    subs = {s.id: s for s in db.session.scalars(select(PushSubscription).where(
        PushSubscription.id.in_({r.target_id for r in rows if r.channel == "push"})))}
    jobs = []
    for (channel, target_id), found in groupby(rows, key=lambda r: (r.channel, r.target_id)):
        found = list(found)
        said = [messages[("step", r.step_id) if r.step_id else ("handoff", r.handoff_id)] for r in found]
        if channel == "push":
            jobs.append(_push_job(found, said, subs.get(target_id)))
            continue
        hook = hooks.get(target_id)
        if hook is None or not hook.active:
            jobs.extend(Job([(r.id, r.attempts)], None, "webhook removed") for r in found)
        elif hook.kind in ROBOTS:
            for chunk in robot_chunks(said):
                url, body, headers = robot_request(hook.kind, hook.url, hook.secret, digest([said[i] for i in chunk]))
                jobs.append(Job([(found[i].id, found[i].attempts) for i in chunk], _poster(hook.kind, url, body,
                                                                                            headers)))
        else:  # Huxiao's own event, one per step
            jobs.extend(Job([(r.id, r.attempts)], _poster(hook.kind, *json_request(hook.url, hook.secret, m, r.id)))
                        for r, m in zip(found, said, strict=True))
    return jobs


def _poster(kind: WebhookKind, url: str, body: bytes, headers: dict):
    return lambda session: post(session, kind, url, body, headers, TIMEOUT)


def _push_job(found: list[Delivery], said: list, sub: PushSubscription | None) -> Job:
    rows = [(r.id, r.attempts) for r in found]
    config = current_app.config
    key = config.get("VAPID_PRIVATE_KEY")
    if sub is None:
        return Job(rows, None, "push subscription removed")
    if not key:
        return Job(rows, None, "Web Push is not configured (VAPID_PRIVATE_KEY)")
    payload = push_payload(said)
    return Job(rows, lambda session: send_push(session, sub, payload, key, config["VAPID_SUBJECT"], TIMEOUT))


def _run_target(policy: TargetPolicy, jobs: list[Job]) -> list[tuple[Job, str, str]]:
    """Send one target's rows in order; after its first failure the rest wait (outcome "later").

    The session connects only where the policy allows, checked as it connects (app/outbox/targets.py).
    """
    with safe_session(policy) as session:
        return _in_order(jobs, session)


def _in_order(jobs: list[Job], session: requests.Session) -> list[tuple[Job, str, str]]:
    outcomes = []
    failed = False
    for job in jobs:
        if job.send is None:
            outcomes.append((job, "gone", job.gone_reason))
        elif failed:
            outcomes.append((job, "later", ""))
        else:
            try:
                job.send(session)
                outcomes.append((job, "sent", ""))
            except Gone as exc:
                outcomes.append((job, "expired", str(exc)))
            except Exception as exc:  # whatever the receiver did, it is this row's error, not the sender's
                outcomes.append((job, "failed", str(exc)[:500] or type(exc).__name__))
                failed = True
    return outcomes


def _record(token: str, outcomes: list[tuple[Job, str, str]], now: datetime, targets: dict[int, tuple]) -> None:
    """Write each row's outcome; the rows of one digest share its request's, and its wait: the wait of
    its most-tried row, so none of them spends its attempts at a newer row's short waits."""
    retry_at: dict[tuple, datetime] = {}
    for job, outcome, error in outcomes:
        first_id = job.rows[0][0]
        if outcome == "failed":
            retry_at[targets[first_id]] = now + backoff(max(a for _, a in job.rows) + 1, first_id)
        for delivery_id, attempts in job.rows:
            row = update(Delivery).where(Delivery.id == delivery_id, Delivery.claim == token)
            if outcome == "sent":
                db.session.execute(row.values(state=DeliveryState.SENT, sent_at=now, attempts=attempts + 1,
                                              claim=None, last_error=""))
            elif outcome in ("gone", "expired"):
                db.session.execute(row.values(state=DeliveryState.DROPPED, claim=None, last_error=error))
            elif outcome == "failed":
                dead = attempts + 1 >= MAX_ATTEMPTS
                db.session.execute(row.values(state=DeliveryState.DEAD if dead else DeliveryState.PENDING,
                                              attempts=attempts + 1, next_attempt_at=retry_at[targets[first_id]],
                                              claim=None, last_error=error))
            else:  # not tried: waits as long as the failed request before it, without counting an attempt
                db.session.execute(row.values(next_attempt_at=retry_at[targets[first_id]], claim=None))
    db.session.commit()


def _forget_gone_subscriptions(outcomes) -> None:
    gone = [delivery_id for job, outcome, _ in outcomes if outcome == "expired" for delivery_id, _ in job.rows]
    if gone:
        ids = select(Delivery.target_id).where(Delivery.id.in_(gone), Delivery.channel == "push")
        expired = list(db.session.scalars(ids))
        db.session.execute(update(Delivery).where(Delivery.channel == "push", Delivery.target_id.in_(expired),
                                                  Delivery.state == DeliveryState.PENDING)
                           .values(state=DeliveryState.DROPPED, last_error="push subscription expired"))
        db.session.query(PushSubscription).filter(PushSubscription.id.in_(expired)).delete()
        db.session.commit()


def deliver_due(now: datetime) -> dict[str, int]:
    """Pass after pass until what is due at `now` is sent or waiting (or BUDGET seconds are up): a sweep
    that queued thousands, say a county's first or a midnight, is sent now, not BATCH rows per run."""
    started = time.monotonic()
    counts = {"sent": 0, "failed": 0, "dropped": 0, "later": 0}
    while True:
        found = deliver(now)
        counts = {what: n + found[what] for what, n in counts.items()}
        if sum(found.values()) < BATCH or time.monotonic() - started > BUDGET:
            return counts


def deliver(now: datetime, limit: int | None = None) -> dict[str, int]:
    """One pass over the due rows at `now`; returns how many were sent, failed, dropped and left waiting."""
    token, rows = claim(now, limit or BATCH)
    if not rows:
        return {"sent": 0, "failed": 0, "dropped": 0, "later": 0}
    targets = {r.id: (r.channel, r.target_id) for r in rows}
    jobs = _jobs(rows)
    groups = [list(group) for _, group in groupby(jobs, key=lambda j: targets[j.rows[0][0]])]
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(groups))) as pool:
        run = functools.partial(_run_target, TargetPolicy.from_config(current_app.config))
        outcomes = [o for found in pool.map(run, groups) for o in found]
    _record(token, outcomes, now, targets)
    _forget_gone_subscriptions(outcomes)
    counts = {"sent": 0, "failed": 0, "dropped": 0, "later": 0}
    for job, outcome, _ in outcomes:  # rows, not requests
        counts["dropped" if outcome in ("gone", "expired") else outcome] += len(job.rows)
    return counts


def retry(delivery_ids: list[int], now: datetime) -> int:
    """Send these dead rows again at once; returns how many were requeued."""
    stmt = update(Delivery).where(Delivery.state == DeliveryState.DEAD, Delivery.id.in_(delivery_ids))
    return db.session.execute(stmt.values(state=DeliveryState.PENDING, attempts=0, next_attempt_at=now,
                                          last_error="")).rowcount
