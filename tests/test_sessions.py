"""Sessions that can be ended: logout, a password change or reset, or the owner from another device.

Each was a cookie that kept working: after logout `/api/me` and `POST /api/photos` still
answered, and a changed password left the other phones logged in for 30 days.
"""

import io
from datetime import datetime, timedelta, timezone

import time_machine

from tests.conftest import PASSWORD, ApiClient
from tests.hazard_helpers import picture

COOKIE = "huxiao_session"
NEW_PASSWORD = "lantern-river-42"
WECHAT_ON_ANDROID = ("Mozilla/5.0 (Linux; Android 12; V2134A) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 MicroMessenger/8.0.28")


def log_in(app, username: str, user_agent: str = "pytest", address: str = "127.0.0.1") -> ApiClient:
    client = app.test_client()
    answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD},
                         headers={"User-Agent": user_agent}, environ_base={"REMOTE_ADDR": address})
    assert answer.status_code == 200, answer.json
    return ApiClient(client, answer.json["csrf_token"])


def copy_of(app, client: ApiClient) -> ApiClient:
    """Another client holding the same cookie, as a thief with a copy would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.client.get_cookie(COOKIE).value)
    return ApiClient(thief, client.csrf_token)


def upload(client: ApiClient):
    buf = io.BytesIO()
    picture(1).save(buf, "JPEG")
    return client.post("/api/photos", data={"file": (io.BytesIO(buf.getvalue()), "a.jpg")})


def test_after_logout_a_copy_of_the_cookie_no_longer_works(app, world):
    patroller = log_in(app, "patroller")
    copy = copy_of(app, patroller)
    assert copy.get("/api/me").status_code == 200
    assert patroller.post("/api/auth/logout").status_code == 200
    assert copy.get("/api/me").status_code == 401
    assert upload(copy).status_code == 401


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, world):
    phone, office = log_in(app, "safety"), log_in(app, "safety")
    changed = phone.post("/api/me/password", json={"old_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.json
    assert phone.get("/api/me").status_code == 200
    assert office.get("/api/me").status_code == 401


def test_a_password_reset_by_an_admin_ends_every_session_of_the_person(app, world, login):
    phone, office = log_in(app, "patroller"), log_in(app, "patroller")
    reset = login("principal").post(f"/api/users/{world.user_ids['patroller']}/password",
                                    json={"password": NEW_PASSWORD})
    assert reset.status_code == 200, reset.json
    assert phone.get("/api/me").status_code == 401 and office.get("/api/me").status_code == 401


def test_my_sessions_name_the_device_and_address_and_the_others_can_be_ended(app, world):
    phone = log_in(app, "patroller", WECHAT_ON_ANDROID, "10.1.2.3")
    office = log_in(app, "patroller", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36")
    listed = office.get("/api/me/sessions").json
    assert [s["current"] for s in listed] == [True, False]
    assert listed[0]["device"] == "Windows · Chrome"
    assert listed[1]["device"] == "Android · 微信 WeChat" and listed[1]["address"] == "10.1.2.3"
    assert listed[1]["last_seen_at"] and listed[1]["expires_at"] > listed[1]["last_seen_at"]

    ended = office.post("/api/me/sessions/end-others")
    assert ended.status_code == 200 and ended.json == {"ended": 1}
    assert phone.get("/api/me").status_code == 401
    assert [s["current"] for s in office.get("/api/me/sessions").json] == [True]


def test_one_session_can_be_ended_but_only_by_its_owner(app, world):
    phone, office = log_in(app, "patroller"), log_in(app, "patroller")
    other = log_in(app, "teacher")
    phone_id = next(s["id"] for s in phone.get("/api/me/sessions").json if s["current"])
    refused = other.delete(f"/api/me/sessions/{phone_id}")
    assert refused.status_code == 404 and refused.json["error"] == "unknown_session"
    assert phone.get("/api/me").status_code == 200
    assert office.delete(f"/api/me/sessions/{phone_id}").status_code == 204
    assert phone.get("/api/me").status_code == 401 and office.get("/api/me").status_code == 200


def test_a_session_unused_for_the_idle_lifetime_ends_and_one_used_daily_lasts(app, world):
    start = datetime(2026, 3, 2, 8, tzinfo=timezone.utc)
    idle = app.config["SESSION_IDLE_DAYS"]
    with time_machine.travel(start, tick=False) as clock:
        daily, drawer = log_in(app, "patroller"), log_in(app, "patroller")
        for _ in range(idle + 5):  # a patroller opens the app every morning
            clock.shift(timedelta(days=1))
            assert daily.get("/api/me").status_code == 200
        assert drawer.get("/api/me").status_code == 401  # left in a drawer past the idle lifetime


def test_no_session_outlives_the_absolute_lifetime_however_often_it_is_used(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_MAX_DAYS", 10)
    with time_machine.travel(datetime(2026, 3, 2, 8, tzinfo=timezone.utc), tick=False) as clock:
        phone = log_in(app, "patroller")
        for _ in range(9):
            clock.shift(timedelta(days=1))
            assert phone.get("/api/me").status_code == 200
        clock.shift(timedelta(days=1, seconds=1))
        assert phone.get("/api/me").status_code == 401


def test_last_use_is_written_at_most_every_few_minutes(app, world):
    with time_machine.travel(datetime(2026, 3, 2, 8, tzinfo=timezone.utc), tick=False) as clock:
        phone = log_in(app, "patroller")
        first = phone.get("/api/me/sessions").json[0]["last_seen_at"]
        clock.shift(timedelta(minutes=4))
        assert phone.get("/api/me/sessions").json[0]["last_seen_at"] == first
        clock.shift(timedelta(minutes=2))
        assert phone.get("/api/me/sessions").json[0]["last_seen_at"] > first


def test_a_deactivated_person_stays_logged_out_when_reactivated(app, world, login):
    phone = log_in(app, "teacher")
    principal = login("principal")
    person = f"/api/users/{world.user_ids['teacher']}"
    patch = lambda body: principal.client.patch(person, json=body,  # noqa: E731
                                                headers={"X-CSRF-Token": principal.csrf_token})
    assert patch({"active": False}).status_code == 200
    assert phone.get("/api/me").status_code == 401
    assert patch({"active": True}).status_code == 200
    assert phone.get("/api/me").status_code == 401  # the old session ended; a new login is needed


def test_logging_in_again_on_a_browser_ends_its_previous_login(app, world):
    shared = log_in(app, "patroller")
    copy = copy_of(app, shared)
    again = shared.client.post("/api/auth/login", json={"username": "teacher", "password": PASSWORD})
    assert again.status_code == 200
    assert copy.get("/api/me").status_code == 401  # the patroller's cookie no longer stands for anyone
    assert shared.get("/api/me").json["user"]["username"] == "teacher"
