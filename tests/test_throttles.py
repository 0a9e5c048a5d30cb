"""Throttles count exactly what the README says, with two workers, and never lock an owner out.

Before: counts lived in each gunicorn worker's memory, so every limit was twice what it said;
an account throttled by a stranger refused its owner's right password from anywhere; and
behind nginx every client had nginx's address.
"""

import pytest
import redis
import requests
from flask import Flask, request

from app import create_app
from app.extensions import db, limiter
from app.web.proxies import init_proxies, trusted_proxies
from bench.live_server import demo_server
from tests.conftest import PASSWORD

GUESS = {"username": "safety", "password": "wrong-guess"}


def limit_of(app, name: str) -> int:
    return int(app.config[name].split()[0])


def attempt(app, body: dict, address: str, cookies: dict | None = None):
    client = app.test_client()
    for name, value in (cookies or {}).items():
        client.set_cookie(name, value)
    return client.post("/api/auth/login", json=body, environ_base={"REMOTE_ADDR": address})


def test_failures_for_one_account_from_one_address_are_throttled_and_the_owner_elsewhere_is_not(app, world):
    limit = limit_of(app, "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS")
    codes = [attempt(app, GUESS, "203.0.113.9").status_code for _ in range(limit + 1)]
    assert codes == [401] * limit + [429]
    assert attempt(app, GUESS, "203.0.113.9").json["message"].startswith("登录失败次数过多")
    right = attempt(app, {"username": "safety", "password": PASSWORD}, "198.51.100.4")
    assert right.status_code == 200


def test_failures_from_one_address_are_throttled_whatever_the_account(app, world):
    limit = limit_of(app, "LOGIN_FAILURES_PER_ADDRESS")
    codes = [attempt(app, {"username": f"guess{i}", "password": "x"}, "192.0.2.7").status_code
             for i in range(limit + 1)]
    assert codes == [401] * limit + [429]


def test_a_stranger_from_many_addresses_slows_the_account_but_never_locks_out_its_owners_phone(app, world):
    phone = app.test_client()  # the owner logged in on this phone before
    assert phone.post("/api/auth/login", json={"username": "safety", "password": PASSWORD}).status_code == 200
    cookie = phone.get_cookie("huxiao_device", path="/api/auth/login")  # sent to the login only
    device = {"huxiao_device": cookie.value}
    limit = limit_of(app, "LOGIN_FAILURES_PER_ACCOUNT")
    codes = [attempt(app, GUESS, f"10.9.{i // 250}.{i % 250 + 1}").status_code for i in range(limit + 1)]
    assert codes == [401] * limit + [429]  # an unknown device, whatever its address
    refused = attempt(app, GUESS, "10.99.0.1")
    assert refused.status_code == 429 and refused.json["message"].startswith("这个账号近期登录失败过多")
    assert attempt(app, {"username": "safety", "password": PASSWORD}, "10.99.0.2").status_code == 429
    # the owner's phone, from any address: a typo is a 401, the right password a session
    assert attempt(app, GUESS, "100.64.0.8", device).status_code == 401
    assert attempt(app, {"username": "safety", "password": PASSWORD}, "100.64.0.8", device).status_code == 200
    forged = {"huxiao_device": device["huxiao_device"][:-2] + "xx"}
    assert attempt(app, GUESS, "100.64.0.9", forged).status_code == 429


def test_successful_logins_are_not_counted(app, world):
    for _ in range(limit_of(app, "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS") + 2):
        assert attempt(app, {"username": "leader", "password": PASSWORD}, "192.0.2.8").status_code == 200


def test_counts_live_in_the_database_so_every_worker_sees_them(app, world):
    attempt(app, GUESS, "192.0.2.9")
    with app.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM rate_limit_counters")).scalar() >= 3
        limiter.reset()
        assert db.session.execute(db.text("SELECT count(*) FROM rate_limit_counters")).scalar() == 0


@pytest.mark.parametrize("storage", ["huxiao+db://", "redis://127.0.0.1:6379/15"])
def test_two_gunicorn_workers_count_failed_logins_exactly_as_documented(monkeypatch, storage):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", storage)
    if storage.startswith("redis"):
        redis.Redis.from_url(storage).flushdb()
    with demo_server(workers=2, app="wsgi:app", worker_class="gthread", threads=4) as (base, _instance):  # make run's
        codes = []
        for _ in range(6):  # a new connection each time: either worker may answer
            answer = requests.post(f"{base}/api/auth/login", json={"username": "county", "password": "wrong"},
                                   headers={"Connection": "close"}, timeout=10)
            codes.append(answer.status_code)
        assert codes == [401] * 5 + [429]
    if storage.startswith("redis"):
        assert redis.Redis.from_url(storage).dbsize() > 0  # the counts were there, not in the workers
        redis.Redis.from_url(storage).flushdb()


def _address_app(setting: str) -> Flask:
    probe = Flask("probe")
    probe.config["TRUSTED_PROXIES"] = setting
    probe.add_url_rule("/", view_func=lambda: f"{request.remote_addr} {request.scheme}")
    init_proxies(probe)
    return probe


def _seen(setting: str, remote: str, forwarded: str) -> str:
    return _address_app(setting).test_client().get(
        "/", environ_base={"REMOTE_ADDR": remote},
        headers={"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"}).get_data(as_text=True)


def test_the_client_address_comes_from_trusted_proxies_only():
    assert _seen("", "10.0.0.2", "1.2.3.4") == "10.0.0.2 http"  # a header anyone can send is not believed
    assert _seen("1", "10.0.0.2", "6.6.6.6, 1.2.3.4") == "1.2.3.4 https"  # one proxy: one hop from the right
    assert _seen("2", "10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.3").startswith("1.2.3.4 ")
    networks = "127.0.0.1, 10.0.0.0/8"
    assert _seen(networks, "10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.3") == "1.2.3.4 https"
    assert _seen(networks, "192.0.2.1", "1.2.3.4") == "192.0.2.1 http"  # not from a proxy: not believed
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES"):
        trusted_proxies("nginx")


def test_behind_a_proxy_throttles_count_each_client_not_the_proxy(app, world, monkeypatch):
    limit = limit_of(app, "LOGIN_FAILURES_PER_ADDRESS")
    proxied = create_app({**app.config, "TRUSTED_PROXIES": "1"})
    codes = [proxied.test_client().post("/api/auth/login", json={"username": f"g{i}", "password": "x"},
                                        environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                        headers={"X-Forwarded-For": f"198.18.0.{i + 1}"}).status_code
             for i in range(limit + 1)]
    assert codes == [401] * (limit + 1)  # each client its own bucket, though all came through nginx


def test_a_stranger_on_the_owners_own_address_cannot_lock_the_owners_phone_out(app, world):
    """The school's Wi-Fi, or a carrier's shared address: one address for the stranger and the owner."""
    phone = app.test_client()
    phone.post("/api/auth/login", json={"username": "safety", "password": PASSWORD},
               environ_base={"REMOTE_ADDR": "198.51.100.20"})
    device = {"huxiao_device": phone.get_cookie("huxiao_device", path="/api/auth/login").value}
    for i in range(limit_of(app, "LOGIN_FAILURES_PER_ADDRESS") + 1):  # every limit of that address used up
        attempt(app, GUESS if i % 2 else {"username": f"g{i}", "password": "x"}, "198.51.100.20")
    assert attempt(app, {"username": "safety", "password": PASSWORD}, "198.51.100.20").status_code == 429
    assert attempt(app, {"username": "safety", "password": PASSWORD}, "198.51.100.20", device).status_code == 200
    # the phone's own typos are its own budget
    limit = limit_of(app, "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS")
    codes = [attempt(app, GUESS, "198.51.100.20", device).status_code for _ in range(limit + 1)]
    assert codes == [401] * limit + [429]


def test_behind_a_proxy_the_audit_trail_records_the_client_not_the_proxy(app, world):
    proxied = create_app({**app.config, "TRUSTED_PROXIES": "1"})
    client = proxied.test_client()
    through_nginx = {"environ_base": {"REMOTE_ADDR": "127.0.0.1"}, "headers": {"X-Forwarded-For": "198.18.7.7"}}
    csrf = client.post("/api/auth/login", json={"username": "safety", "password": PASSWORD}, **through_nginx).json
    made = client.post("/api/points", json={"school_id": world.school_a_id, "name": "图书馆灭火器", "category": "fire",
                                            "risk_level": "yellow"},
                       environ_base=through_nginx["environ_base"],
                       headers={**through_nginx["headers"], "X-CSRF-Token": csrf["csrf_token"]})
    assert made.status_code == 201, made.json
    [entry] = client.get(f"/api/points/{made.json['id']}/history", **through_nginx).json
    assert entry["address"] == "198.18.7.7"
