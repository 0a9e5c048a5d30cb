"""Login, logout and CSRF on writes (throttling: tests/test_throttles.py)."""

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
