"""Login, logout, CSRF on writes, and throttling of failed logins."""

from datetime import datetime, timezone

import time_machine

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, answers


def test_login_answers_user_and_csrf_token(app, world):
    # the clock stands still: a CSRF token carries the second it was signed in
    with time_machine.travel(datetime.now(timezone.utc), tick=False):
        client = app.test_client()
        response = client.post("/api/auth/login", json={"username": "safety", "password": PASSWORD})
        assert response.status_code == 200
        assert response.json["csrf_token"]
        assert response.json["user"]["role"] == "safety_officer"
        assert response.json["user"]["org_unit"]["name"] == "甲小学"
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        me = client.get("/api/me")
        assert me.status_code == 200 and me.json["user"]["username"] == "safety"
        assert me.json["csrf_token"] == response.json["csrf_token"]


def test_wrong_credentials_are_401_with_message(app, world):
    client = app.test_client()
    for body in ({"username": "safety", "password": "wrong-password"},
                 {"username": "nobody", "password": PASSWORD}):
        response = client.post("/api/auth/login", json=body)
        assert response.status_code == 401
        assert response.json["message"] == "Wrong username or password."
    assert client.get("/api/me").status_code == 401


def test_login_body_is_validated(app, world):
    response = app.test_client().post("/api/auth/login", json={"username": "safety"})
    assert response.status_code == 422
    assert "password" in response.json["errors"]


def test_writes_without_or_with_a_wrong_csrf_token_are_refused(world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token)
    for headers in ({"X-CSRF-Token": ""}, {"X-CSRF-Token": "forged"}):
        response = client.client.post("/api/inspections", json=body, headers=headers)
        assert response.status_code in (400, 403)
        assert response.json["error"] == "csrf_failed"
    # the token of another session does not pass either
    other = login("patroller")
    response = client.client.post("/api/inspections", json=body, headers={"X-CSRF-Token": other.csrf_token})
    assert response.status_code in (400, 403)
    assert client.post("/api/inspections", json=body).status_code == 201


def test_logout_ends_the_session(world, login):
    client = login("patroller")
    assert client.post("/api/auth/logout").status_code == 200
    assert client.get("/api/points").status_code == 401


def test_failed_logins_for_one_account_are_throttled(app, world):
    limit = int(app.config["LOGIN_FAILURES_PER_ACCOUNT"].split()[0])
    codes = []
    for i in range(limit + 1):
        # a different address each time: the account's own limit must still hold
        client = app.test_client()
        response = client.post("/api/auth/login", json={"username": "safety", "password": "bad"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"})
        codes.append(response.status_code)
    assert codes == [401] * limit + [429]
    assert response.json["message"].startswith("Too many failed logins")
    # even the right password waits now: the throttle is per account
    right = app.test_client().post("/api/auth/login", json={"username": "safety", "password": PASSWORD},
                                   environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert right.status_code == 429
    # another account is not affected
    other = app.test_client().post("/api/auth/login", json={"username": "leader", "password": PASSWORD})
    assert other.status_code == 200


def test_failed_logins_from_one_address_are_throttled(app, world):
    limit = int(app.config["LOGIN_FAILURES_PER_ADDRESS"].split()[0])
    client = app.test_client()
    codes = [
        client.post("/api/auth/login", json={"username": f"guess{i}", "password": "bad"},
                    environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code
        for i in range(limit + 1)
    ]
    assert codes == [401] * limit + [429]


def test_successful_logins_are_not_throttled(app, world):
    limit = int(app.config["LOGIN_FAILURES_PER_ACCOUNT"].split()[0])
    for _ in range(limit + 2):
        response = app.test_client().post("/api/auth/login", json={"username": "leader", "password": PASSWORD})
        assert response.status_code == 200


def test_deactivated_person_is_logged_out_and_cannot_log_in(app, world, login):
    client = login("teacher")
    with app.app_context():
        db.session.get(User, world.user_ids["teacher"]).active = False
        db.session.commit()
    assert client.get("/api/points").status_code == 401
    response = app.test_client().post("/api/auth/login", json={"username": "teacher", "password": PASSWORD})
    assert response.status_code == 401


def test_passwords_are_stored_hashed(app, world):
    with app.app_context():
        user = db.session.get(User, world.user_ids["county"])
        assert PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD) and not user.check_password("other")
