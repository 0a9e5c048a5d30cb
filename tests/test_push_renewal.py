"""A rotated push subscription is renewed by the service worker, with no session, on the old one's secret.

The push service may replace a browser's subscription at any time; the worker hears of it
(`pushsubscriptionchange`) and has no CSRF token to send. The old subscription's `auth`
secret, which only that browser and this server know, is what lets it move its row.
"""

import json
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.outbox.models import PushSubscription
from tests.test_outbox import Browser, due, receivers, step, vapid  # noqa: F401 (fixtures)

RENEW = "/api/push/subscriptions/renew"
MINUTE = timedelta(minutes=1)


def rows(app) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(sa.select(
            PushSubscription.id, PushSubscription.user_id, PushSubscription.endpoint, PushSubscription.auth))]


def renewal(old: dict, new: dict, **changes) -> dict:
    return {"old_endpoint": old["endpoint"], "old_auth": old["keys"]["auth"], "subscription": new, **changes}


def subscribed(login, username: str, endpoint: str) -> dict:
    sub = Browser().subscription(endpoint)
    assert login(username).post("/api/push/subscriptions", json=sub).status_code == 201
    return sub


def test_the_worker_moves_its_subscription_to_the_new_endpoint_and_the_pushes_follow(app, world, login, due,
                                                                                      receivers, vapid):
    service = receivers(status=201)
    old = subscribed(login, "leader", service.url("/push/old"))
    phone = Browser()
    new = phone.subscription(service.url("/push/new"))
    [(row_id, _, _, _)] = rows(app)
    stranger = app.test_client()  # no session, no CSRF token: what a service worker has
    answer = stranger.post(RENEW, json=renewal(old, new))
    assert answer.status_code == 200, answer.json
    assert answer.json["id"] == row_id and answer.json["endpoint"] == new["endpoint"]
    again = stranger.post(RENEW, json=renewal(old, new))  # a retry after a lost answer
    assert again.status_code == 200 and again.json["id"] == row_id
    assert rows(app) == [(row_id, world.user_ids["leader"], new["endpoint"], new["keys"]["auth"])]

    step(app, due + MINUTE)
    [push] = service.received  # the leader's step reaches the new endpoint, readable with the new keys
    assert push.path == "/push/new" and "升级至网格长" in phone.read(push.body)["title"]


def test_a_wrong_secret_is_refused_and_changes_nothing(app, world, login, vapid):
    old = subscribed(login, "leader", "http://127.0.0.1:9/push/old")
    before = rows(app)
    answer = app.test_client().post(RENEW, json=renewal(old, Browser().subscription("http://127.0.0.1:9/push/x"),
                                                        old_auth="Z3Vlc3NlZA"))
    assert answer.status_code == 403 and answer.json["error"] == "subscription_mismatch"
    assert "密钥不符" in answer.json["message"] and "does not match" in answer.json["message"]
    assert rows(app) == before


def test_an_unknown_old_subscription_is_not_found(app, world, vapid):
    ghost = Browser().subscription("http://127.0.0.1:9/push/ghost")
    answer = app.test_client().post(RENEW, json=renewal(ghost, Browser().subscription("http://127.0.0.1:9/push/n")))
    assert answer.status_code == 404 and answer.json["error"] == "unknown_subscription"
    assert "重新开启消息推送" in answer.json["message"] and "turn push on again" in answer.json["message"]
    assert rows(app) == []


def test_when_the_page_claimed_the_new_subscription_first_the_old_row_goes(app, world, login, vapid):
    old = subscribed(login, "leader", "http://127.0.0.1:9/push/old")
    new = subscribed(login, "leader", "http://127.0.0.1:9/push/new")  # the app's start-up claim
    answer = app.test_client().post(RENEW, json=renewal(old, new))
    assert answer.status_code == 200
    assert [r[2] for r in rows(app)] == [new["endpoint"]]


def test_the_new_endpoint_of_someone_else_is_not_taken_over(app, world, login, vapid):
    old = subscribed(login, "leader", "http://127.0.0.1:9/push/old")
    theirs = subscribed(login, "safety", "http://127.0.0.1:9/push/theirs")
    before = rows(app)
    taking = {**Browser().subscription(theirs["endpoint"])}  # their endpoint with keys of my own
    answer = app.test_client().post(RENEW, json=renewal(old, taking))
    assert answer.status_code == 409 and answer.json["error"] == "endpoint_taken"
    assert rows(app) == before


def test_hostile_or_disallowed_renewals_are_refused_naming_the_field(app, world, login, vapid):
    old = subscribed(login, "leader", "http://127.0.0.1:9/push/old")
    new = Browser().subscription("http://127.0.0.1:9/push/new")
    client = app.test_client()
    cases = [
        (renewal(old, new, old_endpoint=old["endpoint"] + "\u0000"), "old_endpoint"),
        (renewal(old, new, old_auth="a" * 101), "old_auth"),
        (renewal(old, {**new, "endpoint": "http://127.0.0.1:9/" + "x" * 1000}), "subscription"),
        (renewal(old, {**new, "keys": {"p256dh": "\ud800", "auth": "x"}}), "subscription"),
        (renewal(old, {**new, "expirationTime": 10**20}), "subscription"),
        ({"old_endpoint": old["endpoint"], "old_auth": old["keys"]["auth"]}, "subscription"),
        (renewal(old, {**new, "endpoint": "https://10.1.2.3/push"}), "endpoint"),  # not a target Huxiao sends to
    ]
    for body, field in cases:
        answer = client.post(RENEW, data=json.dumps(body), content_type="application/json")  # "\\ud800" as sent
        assert answer.status_code == 422, (field, answer.json)
        assert field in answer.json["errors"], (field, answer.json)
    assert client.post(RENEW, data="", content_type="application/json").status_code == 422
    assert [r[2] for r in rows(app)] == [old["endpoint"]]


def test_renewing_needs_web_push_configured(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    sub = Browser().subscription("http://127.0.0.1:9/push/a")
    answer = app.test_client().post(RENEW, json=renewal(sub, sub))
    assert answer.status_code == 404 and answer.json["error"] == "push_not_configured"


def test_refused_renewals_are_throttled_per_address_and_good_ones_are_not_counted(app, world, login, vapid,
                                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "PUSH_RENEWAL_REFUSALS_PER_ADDRESS", "3 per hour")
    old = subscribed(login, "leader", "http://127.0.0.1:9/push/old")
    new = Browser().subscription("http://127.0.0.1:9/push/new")
    client = app.test_client()
    for _ in range(4):  # answered, so never counted
        assert client.post(RENEW, json=renewal(old, new), environ_base={"REMOTE_ADDR": "203.0.113.5"}
                           ).status_code == 200
    guesses = [client.post(RENEW, json=renewal(new, old, old_auth=f"guess{i}"),
                           environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code for i in range(4)]
    assert guesses == [403, 403, 403, 429]
    elsewhere = client.post(RENEW, json=renewal(new, old), environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert elsewhere.status_code == 200  # another address is not held
