"""The outbox: each step reaches its unit's webhooks and its people's phones, retried until it does.

Every receiver here is a real HTTP server on 127.0.0.1 (tests/receivers.py).
"""

import base64
import hashlib
import hmac
import json
import os
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import http_ece
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.escalation.models import Notification
from app.escalation.sweep import sweep
from app.extensions import db
from app.orgs.models import OrgUnit
from app.outbox import send
from app.outbox.messages import ROBOT_TEXT_BYTES, Message, digest, push_payload, robot_chunks
from app.outbox.models import Delivery, PushSubscription
from app.outbox.push import new_private_key, public_key
from app.outbox.send import MAX_ATTEMPTS, deliver
from app.points.models import RiskPoint
from app.points.services import create_point
from tests.receivers import Receiver

HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)


@pytest.fixture
def receivers():
    made = []

    def make(**kw) -> Receiver:
        made.append(Receiver(**kw))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture
def due(app, world):
    """When the red (daily, never inspected) water point of school A becomes overdue."""
    with app.app_context():
        return db.session.get(RiskPoint, world.water_a.id).due_at


def township_of(app, school_id: int) -> int:
    with app.app_context():
        return db.session.get(OrgUnit, school_id).parent_id


def add_hook(client, unit_id: int, url: str, kind: str = "json", secret: str = "", name: str = "群机器人"):
    response = client.post("/api/webhooks", json={"org_unit_id": unit_id, "name": name, "kind": kind, "url": url,
                                                  "secret": secret})
    assert response.status_code == 201, response.json
    return response.json


def step(app, now, deliver_too: bool = True) -> dict:
    with app.app_context():
        sweep(now)
        db.session.commit()
        return deliver(now) if deliver_too else {}


def rows(app) -> list[Delivery]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(Delivery).order_by(Delivery.id)))
        db.session.expunge_all()
        return found


def test_each_level_reaches_the_webhook_of_the_unit_that_answers_for_it(app, world, login, due, receivers):
    school, township, county = receivers(), receivers(), receivers()
    admin = login("county")
    add_hook(admin, world.school_a_id, school.url(), "json", secret="s3cret")
    add_hook(admin, township_of(app, world.school_a_id), township.url(), "wecom")
    add_hook(admin, world.county_id, county.url("/robot/send?access_token=t"), "dingtalk", secret="SEC123")

    step(app, due + MINUTE)
    [first] = school.received
    event = first.json()
    assert (event["level"], event["escalation"]["subject_id"], event["escalation"]["trigger"]) == (
        1, world.water_a.id, "point_overdue")
    assert event["escalation"]["title"] == "南侧河道" and event["escalation"]["school_name"] == "甲小学"
    assert event["url"] == f"https://huxiao.example.cn/app/points/{world.water_a.id}"
    signature = hmac.new(b"s3cret", first.body, hashlib.sha256).hexdigest()
    assert first.headers["X-Huxiao-Signature"] == f"sha256={signature}"
    assert first.headers["X-Huxiao-Delivery"] == str(event["delivery_id"])

    step(app, due + 2 * HOUR + MINUTE)  # red: two hours a level
    assert [r.json()["level"] for r in school.received] == [1, 2]
    step(app, due + 4 * HOUR + 2 * MINUTE)
    [robot] = township.received
    text = robot.json()["text"]["content"]
    assert robot.json()["msgtype"] == "text"
    assert "升级至乡镇（街道）：逾期未巡查" in text and "甲小学 · 南侧河道（重大风险）" in text
    step(app, due + 6 * HOUR + 3 * MINUTE)
    # the county's robot hears of every school's level 4 -- school B's red dormitory point climbed in the same
    # sweep -- in one message: a group robot gets one digest per pass, not a message per step
    [ding] = county.received
    query = parse_qs(urlsplit(ding.path).query)
    signature = hmac.new(b"SEC123", f"{query['timestamp'][0]}\nSEC123".encode(), hashlib.sha256).digest()
    assert query["sign"][0] == base64.b64encode(signature).decode() and query["access_token"] == ["t"]
    lines = ding.json()["text"]["content"].split("\n")
    assert lines[0] == "【护校】2 条升级提醒，请及时处理："
    items = [line.split(". ", 1) for line in lines[1::2]]
    assert [number for number, _ in items] == ["1", "2"]
    assert sorted(item.split("：")[0] for _, item in items) == [
        "乙中学 · 宿舍疏散通道（重大风险）", "甲小学 · 南侧河道（重大风险）"]
    assert all(item.endswith("升级至县教育局") for _, item in items)
    assert sorted(lines[2::2]) == sorted(f"https://huxiao.example.cn/app/points/{p.id}"
                                         for p in (world.water_a, world.dorm_b))
    assert (len(school.received), len(township.received)) == (2, 1)
    assert {r.state for r in rows(app)} == {"sent"}


def test_a_repeated_sweep_queues_nothing_twice(app, world, login, due, receivers):
    hook = receivers()
    add_hook(login("safety"), world.school_a_id, hook.url())
    step(app, due + MINUTE, deliver_too=False)
    step(app, due + MINUTE, deliver_too=False)
    step(app, due + 2 * MINUTE)
    assert len(rows(app)) == 1 and len(hook.received) == 1


def test_a_receiver_that_is_down_delays_only_its_own_deliveries(app, world, login, due, receivers):
    down, up = receivers(refuse=3), receivers()
    safety = login("safety")
    add_hook(safety, world.school_a_id, down.url(), name="坏的")
    add_hook(safety, world.school_a_id, up.url(), name="好的")
    now = due + MINUTE
    counts = step(app, now)
    assert counts == {"sent": 1, "failed": 1, "dropped": 0, "later": 0}
    assert len(up.received) == 1 and down.received == []
    failed = next(r for r in rows(app) if r.state == "pending")
    assert failed.attempts == 1 and failed.last_error == "answered 503"
    assert MINUTE <= failed.next_attempt_at - now <= 1.2 * MINUTE  # the first wait, spread by up to 20 %

    with app.app_context():
        assert deliver(now + 30 * timedelta(seconds=1))["failed"] == 0  # not due yet: not even tried
        waits = []
        while not down.received:
            row = db.session.get(Delivery, failed.id)
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
            deliver(now)
            db.session.expire_all()
    assert len(down.received) == 1 and down.refused == 3
    assert [round(w / MINUTE) for w in waits] == [1, 2, 4]  # backoff doubles
    assert len(up.received) == 1  # the good one was never sent again


def test_a_hanging_receiver_does_not_hold_up_the_others(app, world, login, due, receivers, monkeypatch):
    monkeypatch.setattr(send, "TIMEOUT", 0.5)
    hanging, up = receivers(hang=3), receivers()
    safety = login("safety")
    add_hook(safety, world.school_a_id, hanging.url(), name="慢的")
    add_hook(safety, world.school_a_id, up.url(), name="好的")
    with app.app_context():
        sweep(due + MINUTE)
        db.session.commit()
        started = time.monotonic()
        counts = deliver(due + MINUTE)
        took = time.monotonic() - started
    assert counts["sent"] == 1 and counts["failed"] == 1 and len(up.received) == 1
    assert took < 2.5  # the timeout, not the receiver's three seconds
    assert "Timeout" in next(r for r in rows(app) if r.state == "pending").last_error


def test_a_robot_that_answers_with_an_error_code_is_retried(app, world, login, due, receivers):
    robot = receivers(reply={"errcode": 45009, "errmsg": "api freq out of limit"})
    add_hook(login("safety"), world.school_a_id, robot.url(), "wecom")
    assert step(app, due + MINUTE)["failed"] == 1
    [row] = rows(app)
    assert row.state == "pending" and row.last_error == "robot refused: 45009 api freq out of limit"


def test_after_its_last_attempt_a_delivery_is_kept_and_can_be_sent_again(app, world, login, due, receivers):
    hook = receivers(refuse=10_000)
    safety = login("safety")
    add_hook(safety, world.school_a_id, hook.url())
    now = due + MINUTE
    step(app, now)
    with app.app_context():
        for _ in range(MAX_ATTEMPTS):
            row = db.session.scalar(sa.select(Delivery))
            if row.state == "dead":
                break
            now = row.next_attempt_at
            deliver(now)
            db.session.expire_all()
    [row] = rows(app)
    assert (row.state, row.attempts, row.last_error) == ("dead", MAX_ATTEMPTS, "answered 503")
    assert now - due > 2 * 24 * HOUR  # it kept trying for days

    dead = safety.get("/api/outbox?state=dead").json
    assert [(d["id"], d["last_error"]) for d in dead] == [(row.id, "answered 503")]
    assert login("patroller").get("/api/outbox").status_code == 403
    hook.refuse = 0
    assert safety.post("/api/outbox/retry", json={}).json == {"requeued": 1}
    with app.app_context():
        assert deliver(now + MINUTE)["sent"] == 1
    assert len(hook.received) == 1


def test_removing_a_webhook_drops_what_it_had_waiting(app, world, login, due, receivers):
    hook = receivers(refuse=1)
    safety = login("safety")
    made = add_hook(safety, world.school_a_id, hook.url())
    step(app, due + MINUTE)
    assert safety.delete(f"/api/webhooks/{made['id']}").status_code == 204
    with app.app_context():
        assert deliver(due + HOUR)["dropped"] == 1
    [row] = rows(app)
    assert (row.state, row.last_error) == ("dropped", "webhook removed")
    assert safety.get("/api/webhooks").json == []


def test_webhooks_are_checked_and_kept_to_the_callers_area(app, world, login):
    safety = login("safety")
    bad = safety.post("/api/webhooks", json={"org_unit_id": world.school_a_id, "name": "x", "kind": "json",
                                             "url": "ftp://example.org/hook"})
    assert bad.status_code == 422 and "url" in bad.json["errors"]
    wrong_kind = safety.post("/api/webhooks", json={"org_unit_id": world.school_a_id, "name": "x", "kind": "qq",
                                                    "url": "https://example.org/hook"})
    assert wrong_kind.status_code == 422
    elsewhere = safety.post("/api/webhooks", json={"org_unit_id": world.school_b_id, "name": "x", "kind": "json",
                                                   "url": "https://example.org/hook"})
    assert elsewhere.status_code == 404
    assert login("patroller").post("/api/webhooks", json={"org_unit_id": world.school_a_id, "name": "x",
                                                          "kind": "json", "url": "https://e.org/"}).status_code == 403
    made = add_hook(safety, world.school_a_id, "https://8.8.8.8/hook", "json", secret="not shown")
    assert made["has_secret"] is True and "secret" not in made
    assert [h["id"] for h in login("county").get("/api/webhooks").json] == [made["id"]]
    assert login("patroller_b").get("/api/webhooks").status_code == 403
    changed = safety.client.patch(f"/api/webhooks/{made['id']}", json={"url": "nonsense"},
                                  headers={"X-CSRF-Token": safety.csrf_token})
    assert changed.status_code == 422


# --- Web Push ---------------------------------------------------------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def vapid(app, monkeypatch):
    key = new_private_key()
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", key)
    monkeypatch.setitem(app.config, "VAPID_SUBJECT", "mailto:anquan@example.cn")
    return key


class Browser:
    """What a browser keeps for its push subscription: the keys that decrypt what the push service brings."""

    def __init__(self):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscription(self, endpoint: str) -> dict:
        point = self.private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": _b64url(point),
                                                                       "auth": _b64url(self.auth)}}

    def read(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private, auth_secret=self.auth,
                                           version="aes128gcm"))


def test_push_key_is_there_only_when_configured(app, login, world, monkeypatch):
    leader = login("leader")
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    assert leader.get("/api/push/key").json["error"] == "push_not_configured"
    key = new_private_key()
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", key)
    answer = leader.get("/api/push/key").json["public_key"]
    assert answer == public_key(key) and len(_unb64url(answer)) == 65  # an uncompressed P-256 point


def test_each_step_is_pushed_encrypted_to_the_phones_of_those_it_tells(app, world, login, due, receivers, vapid):
    service = receivers(status=201)
    leader_phone, other = Browser(), Browser()
    leader = login("leader")
    assert leader.post("/api/push/subscriptions", json=leader_phone.subscription(service.url("/push/leader"))
                       ).status_code == 201
    assert leader.post("/api/push/subscriptions", json=leader_phone.subscription(service.url("/push/leader"))
                       ).status_code == 200  # the same browser again
    assert login("patroller_b").post("/api/push/subscriptions", json=other.subscription(service.url("/push/b"))
                                     ).status_code == 201

    step(app, due + MINUTE)
    [push] = service.received  # the leader is told at level 1; school B's patroller is not
    assert push.path == "/push/leader"
    assert push.headers["Content-Encoding"] == "aes128gcm" and int(push.headers["TTL"]) > 0
    scheme, _, params = push.headers["Authorization"].partition(" ")
    fields = dict(p.strip().split("=", 1) for p in params.split(","))
    assert scheme == "vapid" and fields["k"] == public_key(vapid)
    claims = json.loads(_unb64url(fields["t"].split(".")[1]))
    assert claims["aud"] == service.url("").rstrip("/") and claims["sub"] == "mailto:anquan@example.cn"
    message = leader_phone.read(push.body)
    assert "升级至网格长" in message["title"] and "南侧河道" in message["body"]
    assert message["url"].endswith(f"/app/points/{world.water_a.id}") and message["tag"].startswith("escalation-")


def test_a_phone_gets_one_notice_for_the_steps_of_one_pass(app, world, login, due, receivers, vapid):
    service = receivers(status=201)
    phone = Browser()
    login("leader").post("/api/push/subscriptions", json=phone.subscription(service.url("/push/leader")))
    a_second_red_point(app, world)

    assert step(app, due + MINUTE)["sent"] == 2  # both steps' rows, in one request
    [push] = service.received
    message = phone.read(push.body)
    assert message["title"] == "【护校】2 条升级提醒" and "tag" not in message  # each pass's notice stays
    assert sorted(line.split("：")[0] for line in message["body"].split("\n")) == [
        "甲小学 · 北侧围墙（重大风险）", "甲小学 · 南侧河道（重大风险）"]
    assert message["url"] == "https://huxiao.example.cn/app/inbox"


def test_a_subscription_the_push_service_has_forgotten_is_dropped(app, world, login, due, receivers, vapid):
    service = receivers(status=410)
    leader = login("leader")
    leader.post("/api/push/subscriptions", json=Browser().subscription(service.url("/push/old")))
    counts = step(app, due + MINUTE)
    assert counts["dropped"] == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PushSubscription)) == 0
    assert rows(app)[0].state == "dropped"


def test_unsubscribing_stops_the_pushes(app, world, login, due, receivers, vapid):
    service = receivers(status=201)
    leader = login("leader")
    sub = Browser().subscription(service.url("/push/leader"))
    leader.post("/api/push/subscriptions", json=sub)
    assert login("safety").delete("/api/push/subscriptions", json={"endpoint": sub["endpoint"]}).status_code == 404
    assert leader.delete("/api/push/subscriptions", json={"endpoint": sub["endpoint"]}).status_code == 204
    step(app, due + MINUTE)
    assert service.received == []


def test_the_escalate_command_sweeps_then_sends(app, world, login, due, receivers, runner):
    hook = receivers(refuse=1)
    add_hook(login("safety"), world.school_a_id, hook.url())
    first = runner.invoke(args=["escalate", "--now", (due + MINUTE).isoformat()])
    assert first.exit_code == 0 and "deliveries: 0 sent, 1 failed" in first.output
    assert runner.invoke(args=["escalate", "--now", (due + MINUTE).isoformat(), "--no-deliver"]).exit_code == 0
    later = runner.invoke(args=["outbox", "deliver", "--now", (due + 10 * MINUTE).isoformat()])
    assert later.exit_code == 0 and "1 sent" in later.output
    assert len(hook.received) == 1


def test_push_keys_makes_a_key_the_server_accepts(runner):
    printed = runner.invoke(args=["push", "keys"]).output
    private = printed.split("VAPID_PRIVATE_KEY=")[1].split()[0]
    assert public_key(private) in printed


def test_every_runs_at_the_real_time_only(runner):
    for command in (["escalate"], ["outbox", "deliver"]):
        refused = runner.invoke(args=[*command, "--every", "60", "--now", "2026-11-25T08:00:00+08:00"])
        assert refused.exit_code != 0 and "cannot be combined with --now" in refused.output


def a_second_red_point(app, world) -> int:
    """Another red point of school A's grid, overdue at the same moment as the water point."""
    with app.app_context():
        water = db.session.get(RiskPoint, world.water_a.id)
        point = create_point(water.school, "北侧围墙", "fence", "red", water.template, grid=water.grid)
        point.due_at = water.due_at
        db.session.commit()
        return point.id


def test_a_robot_gets_the_steps_of_one_pass_as_one_message_and_one_outcome(app, world, login, due, receivers):
    robot, machine = receivers(refuse=1), receivers()
    safety = login("safety")
    add_hook(safety, world.school_a_id, robot.url(), "wecom", name="学校群")
    add_hook(safety, world.school_a_id, machine.url(), "json", name="平台")
    fence = a_second_red_point(app, world)

    counts = step(app, due + MINUTE)  # the robot refuses its first request: both its rows wait, together
    assert counts == {"sent": 2, "failed": 2, "dropped": 0, "later": 0}
    assert sorted(r.json()["escalation"]["subject_id"] for r in machine.received) == sorted([world.water_a.id, fence])
    waiting = [r for r in rows(app) if r.state == "pending"]
    assert len(waiting) == 2 and {(r.attempts, r.next_attempt_at, r.last_error) for r in waiting} == {
        (1, waiting[0].next_attempt_at, "answered 503")}

    with app.app_context():
        assert deliver(waiting[0].next_attempt_at) == {"sent": 2, "failed": 0, "dropped": 0, "later": 0}
    [message] = robot.received
    text = message.json()["text"]["content"]
    assert text.startswith("【护校】2 条升级提醒，请及时处理：\n1. 甲小学 · ")
    assert "南侧河道（重大风险）：逾期未巡查" in text and "北侧围墙（重大风险）：逾期未巡查" in text
    assert f"/app/points/{fence}" in text and f"/app/points/{world.water_a.id}" in text
    assert {(r.state, r.attempts) for r in rows(app) if r.target_id == waiting[0].target_id} == {("sent", 2)}


def test_a_digest_is_cut_where_it_would_pass_the_robots_limit():
    said = [Message(f"t{i}", "", f"https://huxiao.example.cn/app/points/{i}", f"e{i}", {},
                    f"第{i}中学 · 教学楼三楼东侧配电箱（较大风险）：逾期未巡查，自 03月11日 00:00 起，升级至学校")
            for i in range(40)]
    chunks = robot_chunks(said)
    assert [i for chunk in chunks for i in chunk] == list(range(40))  # every step, once, in order
    texts = [digest([said[i] for i in chunk]) for chunk in chunks]
    assert all(len(t.encode()) <= ROBOT_TEXT_BYTES for t in texts)
    assert 1 < len(chunks) <= 40 // 8  # several to a message, not one each
    assert all(f"https://huxiao.example.cn/app/points/{i}" in texts[n] for n, chunk in enumerate(chunks) for i in chunk)


def test_a_phones_notice_names_the_first_steps_and_counts_the_rest(app):
    said = [Message(f"t{i}", "", f"u{i}", f"e{i}", {}, f"第{i}小学 · 配电箱：逾期未巡查") for i in range(5)]
    with app.app_context():
        payload = push_payload(said)
    assert payload["title"] == "【护校】5 条升级提醒"
    assert payload["body"].split("\n") == ["第0小学 · 配电箱：逾期未巡查", "第1小学 · 配电箱：逾期未巡查",
                                           "第2小学 · 配电箱：逾期未巡查", "……共 5 条"]


def test_only_done_deliveries_are_forgotten_and_only_after_the_kept_days(app, world, login, due, receivers,
                                                                        runner):
    up, down, tired, gone = receivers(), receivers(refuse=10_000), receivers(refuse=10_000), receivers(refuse=10_000)
    safety = login("safety")
    for n, hook in enumerate((up, down, tired, gone)):
        add_hook(safety, world.school_a_id, hook.url(), name=f"平台{n}")
    assert runner.invoke(args=["escalate", "--now", (due + MINUTE).isoformat()]).exit_code == 0
    sent, trying, dead, dropped = (r.id for r in rows(app))  # in the order of the hooks
    with app.app_context():  # one gave up, one's target went: as MAX_ATTEMPTS or a removed webhook leave them
        db.session.execute(sa.update(Delivery).where(Delivery.id == dead).values(state="dead"))
        db.session.execute(sa.update(Delivery).where(Delivery.id == dropped).values(state="dropped"))
        db.session.commit()

    soon = runner.invoke(args=["outbox", "prune", "--now", (due + 89 * 24 * HOUR).isoformat()])
    assert soon.exit_code == 0 and len(rows(app)) == 4  # not yet 90 days
    later = runner.invoke(args=["outbox", "prune", "--now", (due + 91 * 24 * HOUR).isoformat()])
    assert later.exit_code == 0 and "outbox: forgot 2 sent or dropped deliveries" in later.output
    assert {r.id: r.state for r in rows(app)} == {trying: "pending", dead: "dead"}  # as old, but not done
    with app.app_context():  # who was told stays
        told = db.session.scalars(sa.select(Notification.created_at).order_by(Notification.id)).first()
        assert told == due + MINUTE


def test_the_escalate_loop_prunes_after_it_delivers(app, world, login, due, receivers, runner):
    add_hook(login("safety"), world.school_a_id, receivers().url())
    first = runner.invoke(args=["escalate", "--now", (due + MINUTE).isoformat()])
    assert first.exit_code == 0 and "forgot" not in first.output
    [sent] = [r.id for r in rows(app)]
    later = runner.invoke(args=["escalate", "--now", (due + 91 * 24 * HOUR).isoformat()])
    assert later.exit_code == 0 and "outbox: forgot 1 sent or dropped deliveries" in later.output
    assert sent not in {r.id for r in rows(app)} and rows(app)  # with what this sweep queued


def test_a_sweep_replayed_at_an_old_moment_does_not_send_again_what_was_pruned(app, world, login, due, receivers,
                                                                               runner):
    hook = receivers()
    add_hook(login("safety"), world.school_a_id, hook.url())
    assert runner.invoke(args=["escalate", "--now", (due + MINUTE).isoformat()]).exit_code == 0
    pruned = runner.invoke(args=["outbox", "prune", "--now", (due + 91 * 24 * HOUR).isoformat()])
    assert "forgot 1" in pruned.output and rows(app) == []
    replay = runner.invoke(args=["escalate", "--now", (due + MINUTE).isoformat()])
    assert replay.exit_code == 0 and rows(app) == [] and len(hook.received) == 1


def test_a_failed_digest_waits_as_long_as_its_most_tried_row(app, world, login, due, receivers):
    add_hook(login("safety"), world.school_a_id, receivers(refuse=10_000).url(), "wecom")
    a_second_red_point(app, world)
    now = due + MINUTE
    step(app, now, deliver_too=False)
    first, second = (r.id for r in rows(app))
    with app.app_context():  # the older row was sent again by hand; the newer has failed ten times
        db.session.execute(sa.update(Delivery).where(Delivery.id == second).values(attempts=10))
        db.session.commit()
        assert deliver(now)["failed"] == 2
    waits = {r.id: (r.attempts, r.next_attempt_at - now) for r in rows(app)}
    assert waits[first][0] == 1 and waits[second][0] == 11
    assert waits[first][1] == waits[second][1] >= 6 * HOUR  # the longest wait, for both


def test_prune_refuses_a_bad_number_of_days(runner):
    answer = runner.invoke(args=["outbox", "prune", "--days", "0"])
    assert answer.exit_code == 2 and "--days" in answer.output


def test_the_escalate_command_sends_everything_due_not_one_batch(app, world, login, due, receivers, runner,
                                                                  monkeypatch):
    monkeypatch.setattr(send, "BATCH", 2)  # a pass claims two rows: five rows need three passes
    hooks = [receivers() for _ in range(5)]
    safety = login("safety")
    for n, hook in enumerate(hooks):
        add_hook(safety, world.school_a_id, hook.url(), name=f"平台{n}")
    answer = runner.invoke(args=["escalate", "--now", (due + MINUTE).isoformat()])
    assert answer.exit_code == 0 and "deliveries: 5 sent, 0 failed" in answer.output
    assert [len(h.received) for h in hooks] == [1] * 5


def test_a_delivery_whose_address_is_no_longer_allowed_fails_with_the_reason_and_sends_nothing(
        app, world, login, due, receivers, monkeypatch):
    hook = receivers()
    add_hook(login("county"), world.school_a_id, hook.url(), "json")  # allowed when saved (the tests' allowance)
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_NETWORKS", "")  # now 127.0.0.1 is just an internal address
    assert step(app, due + MINUTE)["failed"] == 1
    [row] = rows(app)
    assert row.state.value == "pending" and "not a public address" in row.last_error
    assert hook.received == []
