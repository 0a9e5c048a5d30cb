"""Every role sees and inspects only its own subtree; nobody gets in without a session."""

import io

import pytest

from tests.conftest import answers
from tests.test_scan_submit import jpeg_bytes

SCHOOL_A_ROLES = ["patroller", "leader", "teacher", "safety", "principal"]
ALL_ROLES = SCHOOL_A_ROLES + ["township", "county", "patroller_b"]

#: which of the world's points each account may see
VISIBLE = {
    **{role: {"fire_a", "water_a"} for role in SCHOOL_A_ROLES},
    "township": {"fire_a", "water_a"},
    "county": {"fire_a", "water_a", "dorm_b"},
    "patroller_b": {"dorm_b"},
}


@pytest.mark.parametrize("username", ALL_ROLES)
def test_point_list_is_the_callers_subtree(world, login, username):
    listed = login(username).get("/api/points").json
    expected = {getattr(world, name).id for name in VISIBLE[username]}
    assert {p["id"] for p in listed} == expected
    for point in listed:
        assert {"id", "name", "token", "risk_level", "category", "school"} <= point.keys()
        assert point["risk_level"] in {"red", "orange", "yellow", "blue"}


@pytest.mark.parametrize("username", ALL_ROLES)
@pytest.mark.parametrize("point_name", ["fire_a", "dorm_b"])
def test_scan_and_inspect_only_inside_scope(world, login, username, point_name):
    client = login(username)
    token = getattr(world, point_name).token
    allowed = point_name in VISIBLE[username]
    scan = client.get(f"/api/scan/{token}")
    assert scan.status_code == (200 if allowed else 404)
    if allowed:
        response = client.post("/api/inspections", json=answers(client, token))
        assert response.status_code == 201
    else:
        # build a well-formed body with someone who may see the point, then try it
        body = answers(login("county"), token)
        response = client.post("/api/inspections", json=body)
        assert response.status_code == 404
        assert "dorm_b" not in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ALL_ROLES)
def test_photos_of_other_schools_are_hidden(world, login, username):
    owner = login("patroller_b")
    photo_id = owner.post("/api/photos", data={"file": (io.BytesIO(jpeg_bytes()), "b.jpg")}).json["id"]
    owner.post("/api/inspections", json={**answers(owner, world.dorm_b.token), "photo_ids": [photo_id]})
    visible = username in ("county", "patroller_b")
    assert login(username).get(f"/api/photos/{photo_id}").status_code == (200 if visible else 404)


@pytest.mark.parametrize("method,url", [
    ("get", "/api/points"),
    ("get", "/api/scan/anything"),
    ("get", "/api/me"),
    ("get", "/api/inspections"),
    ("post", "/api/inspections"),
    ("post", "/api/photos"),
    ("get", "/api/photos/1"),
    ("post", "/api/auth/logout"),
])
def test_no_session_is_401(app, method, url):
    response = getattr(app.test_client(), method)(url, json={})
    assert response.status_code == 401
    assert response.json["error"] == "login_required"
