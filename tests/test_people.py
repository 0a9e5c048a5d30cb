"""Managing people: each level manages the levels below it, in its own area; first passwords are changed."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from tests.conftest import PASSWORD

FIRST = "Ledger-Amber-26"


def person(world, **overrides):
    return {"username": "13800138000", "display_name": "新网格员", "role": "patroller",
            "org_unit_id": world.school_a_id, "password": FIRST, **overrides}


def patch(client, url, body):
    return client.client.patch(url, json=body, headers={"X-CSRF-Token": client.csrf_token})


def test_a_new_person_must_choose_their_own_password_first(app, world, login):
    created = login("safety").post("/api/users", json=person(world))
    assert created.status_code == 201 and created.json["must_change_password"] is True
    newcomer = login("13800138000", FIRST)  # a phone number is a fine username
    assert newcomer.get("/api/me").json["user"]["must_change_password"] is True
    blocked = newcomer.get("/api/points")
    assert blocked.status_code == 403 and blocked.json["error"] == "password_change_required"
    wrong = newcomer.post("/api/me/password", json={"old_password": "nope", "new_password": "Another-2026"})
    assert wrong.status_code == 403
    weak = newcomer.post("/api/me/password", json={"old_password": FIRST, "new_password": "short"})
    assert weak.status_code == 422 and weak.json["error"] == "weak_password"
    done = newcomer.post("/api/me/password", json={"old_password": FIRST, "new_password": "Another-2026"})
    assert done.status_code == 200
    assert newcomer.get("/api/points").status_code == 200
    assert app.test_client().post("/api/auth/login", json={"username": "13800138000", "password": FIRST}).status_code == 401
    login("13800138000", "Another-2026")


@pytest.mark.parametrize("manager,role,where,status", [
    ("safety", "teacher", "school_a", 201),
    ("safety", "grid_leader", "school_a", 201),
    ("principal", "safety_officer", "school_a", 403),  # the same level, not below
    ("safety", "principal", "school_a", 403),
    ("safety", "patroller", "school_b", 404),  # another school
    ("township", "principal", "school_a", 201),
    ("township", "principal", "school_b", 404),  # another township
    ("township", "county_admin", "county", 403),  # above
    ("township", "township_supervisor", "county", 403),
    ("county", "township_supervisor", "school_a", 422),  # a township supervisor belongs to a township
    ("county", "principal", "school_b", 201),
    ("patroller", "patroller", "school_a", 403),
    ("leader", "patroller", "school_a", 403),
])
def test_who_may_create_whom_where(world, login, manager, role, where, status):
    unit = {"school_a": world.school_a_id, "school_b": world.school_b_id, "county": world.county_id}[where]
    response = login(manager).post("/api/users", json=person(world, role=role, org_unit_id=unit))
    assert response.status_code == status, response.json


def test_bad_or_taken_usernames_and_weak_passwords_are_refused(world, login):
    safety = login("safety")
    assert safety.post("/api/users", json=person(world, username="a b")).json["error"] == "bad_username"
    assert safety.post("/api/users", json=person(world, username="patroller")).status_code == 409
    assert safety.post("/api/users", json=person(world, password="1234567")).json["error"] == "weak_password"
    assert safety.post("/api/users", json=person(world, role="janitor")).status_code == 422


def test_nobody_raises_their_own_role_or_touches_their_peers(world, login):
    for username in ("safety", "county", "township"):
        client = login(username)
        own = patch(client, f"/api/users/{world.user_ids[username]}", {"role": "county_admin"})
        assert own.status_code == 403, username
    safety = login("safety")
    assert patch(safety, f"/api/users/{world.user_ids['principal']}", {"display_name": "x"}).status_code == 403
    assert patch(safety, f"/api/users/{world.user_ids['patroller']}", {"role": "principal"}).status_code == 403
    assert patch(safety, f"/api/users/{world.user_ids['patroller_b']}", {"active": False}).status_code == 404


def test_deactivating_keeps_history_and_ends_access(app, world, login):
    teacher = login("teacher")
    safety = login("safety")
    response = patch(safety, f"/api/users/{world.user_ids['teacher']}", {"active": False})
    assert response.status_code == 200 and response.json["active"] is False
    assert teacher.get("/api/points").status_code == 401
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "user",
                                                            AuditEntry.entity_id == world.user_ids["teacher"]))
        assert entry.actor_id == world.user_ids["safety"]
        assert '"active": true' in entry.before and '"active": false' in entry.after
    assert {p["username"] for p in safety.get("/api/users").json} >= {"teacher", "patroller", "principal"}


def test_a_reset_password_must_be_changed_at_next_login(world, login):
    safety = login("safety")
    response = safety.post(f"/api/users/{world.user_ids['patroller']}/password", json={"password": "Reset-Me-2026"})
    assert response.status_code == 200 and response.json["must_change_password"] is True
    patroller = login("patroller", "Reset-Me-2026")
    assert patroller.get("/api/points").json["error"] == "password_change_required"
    assert login("township").post(f"/api/users/{world.user_ids['safety']}/password",
                                  json={"password": PASSWORD}).status_code == 200
