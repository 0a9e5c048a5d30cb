"""Managing risk points over the API: who may, what is checked, and what is kept on record."""

import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.labels.batches import Selection, create_batch
from app.labels.runner import run_batch
from app.labels.content import label_data
from app.orgs.models import Grid, OrgUnit
from app.points.models import RiskPoint


def new_point(world, **overrides):
    return {"school_id": world.school_a_id, "name": "图书馆灭火器", "category": "fire", "risk_level": "yellow",
            "location": "图书馆1层", "responsible": "李明", **overrides}


def test_a_safety_officer_adds_a_point_to_their_school(world, login):
    safety = login("safety")
    response = safety.post("/api/points", json=new_point(world, latitude=32.1, longitude=108.2))
    assert response.status_code == 201, response.json
    point = response.json
    assert len(point["token"]) == 22 and point["short_code"] and point["school"]["id"] == world.school_a_id
    assert (point["latitude"], point["longitude"]) == (32.1, 108.2)
    scan = login("patroller").get(f"/api/scan/{point['token']}")
    assert scan.status_code == 200 and len(scan.json["items"]) >= 5  # the shipped fire checklist
    history = safety.get(f"/api/points/{point['id']}/history").json
    assert [h["action"] for h in history] == ["create"] and history[0]["after"]["name"] == "图书馆灭火器"


@pytest.mark.parametrize("username,school,status", [
    ("patroller", "a", 403), ("leader", "a", 403), ("teacher", "a", 403),
    ("safety", "b", 404), ("principal", "b", 404), ("township", "b", 404),
    ("principal", "a", 201), ("township", "a", 201), ("county", "b", 201),
])
def test_who_may_add_points_where(world, login, username, school, status):
    school_id = world.school_a_id if school == "a" else world.school_b_id
    response = login(username).post("/api/points", json=new_point(world, school_id=school_id))
    assert response.status_code == status, response.json


@pytest.mark.parametrize("change,field", [
    ({"category": "rocket"}, "category"),
    ({"risk_level": "purple"}, "risk_level"),
    ({"template_id": 987654}, "template_id"),
    ({"latitude": 200}, "latitude"),
    ({"frequency": "hourly"}, "frequency"),
    ({"name": ""}, "name"),
])
def test_bad_point_data_is_refused_field_by_field(world, login, change, field):
    response = login("safety").post("/api/points", json=new_point(world, **change))
    assert response.status_code == 422
    assert field in (response.json["errors"].get("json") or response.json["errors"])


def test_a_grid_of_another_school_and_a_duplicate_name_are_refused(app, world, login):
    with app.app_context():
        grid_b = db.session.scalar(select(Grid.id).where(Grid.school_id == world.school_b_id))
    safety = login("safety")
    assert safety.post("/api/points", json=new_point(world, grid_id=grid_b)).json["errors"] == {
        "grid_id": ["no such grid at this school"]}
    duplicate = safety.post("/api/points", json=new_point(world, name="教学楼灭火器"))
    assert duplicate.status_code == 409 and duplicate.json["error"] == "duplicate_point"


def test_a_retried_create_makes_one_point(app, world, login):
    safety = login("safety")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = safety.post("/api/points", json=new_point(world), headers=key)
    again = safety.post("/api/points", json=new_point(world), headers=key)
    assert first.status_code == again.status_code == 201 and first.json["id"] == again.json["id"]
    with app.app_context():
        assert len(db.session.scalars(select(RiskPoint).where(RiskPoint.name == "图书馆灭火器")).all()) == 1


def test_a_change_of_level_needs_a_reason_and_is_kept_with_it(world, login):
    safety = login("safety")
    url = f"/api/points/{world.fire_a.id}"
    refused = safety.client.patch(url, json={"risk_level": "red"}, headers={"X-CSRF-Token": safety.csrf_token})
    assert refused.status_code == 422 and refused.json["error"] == "reason_required"
    changed = safety.client.patch(url, json={"risk_level": "red", "reason": "灭火器附近新增配电柜"},
                                  headers={"X-CSRF-Token": safety.csrf_token})
    assert changed.status_code == 200 and changed.json["risk_level"] == "red"
    assert changed.json["label_version"] == 2
    entry = safety.get(f"{url}/history").json[-1]
    assert entry["action"] == "update" and entry["reason"] == "灭火器附近新增配电柜"
    assert entry["before"] == {"risk_level": "yellow"} and entry["after"] == {"risk_level": "red"}


def test_a_changed_label_is_printed_again_with_the_new_batch(app, world, login):
    with app.app_context():
        county = db.session.get(OrgUnit, world.county_id)
        run_batch(create_batch(county, Selection()).id)
        with pytest.raises(Exception, match="no active point matches"):
            create_batch(county, Selection(unprinted=True))
    safety = login("safety")
    moved = safety.client.patch(f"/api/points/{world.water_a.id}", json={"grid_id": None},
                                headers={"X-CSRF-Token": safety.csrf_token})
    assert moved.json["label_version"] == 1  # the grid is not on the label
    renamed = safety.client.patch(f"/api/points/{world.water_a.id}", json={"name": "南侧河道护栏"},
                                  headers={"X-CSRF-Token": safety.csrf_token})
    assert renamed.json["label_version"] == 2
    with app.app_context():
        batch = create_batch(db.session.get(OrgUnit, world.county_id), Selection(unprinted=True))
        assert [i.point_id for i in batch.items] == [world.water_a.id]


def test_a_point_can_be_inspected_more_often_than_its_level_says(app, world, login):
    safety = login("safety")
    created = safety.post("/api/points", json=new_point(world, name="游泳池", frequency="daily")).json
    assert (created["risk_level"], created["frequency"], created["frequency_name"]) == ("yellow", "daily", "每日巡检")
    url = f"/api/points/{world.fire_a.id}"
    assert safety.get(url).json["frequency_name"] == "每周巡检一次"  # yellow's default, no override
    changed = safety.client.patch(url, json={"frequency": "twice_weekly"}, headers={"X-CSRF-Token": safety.csrf_token})
    assert changed.json["frequency_name"] == "每周巡检两次"
    assert changed.json["label_version"] == 2  # the cadence is printed on the label
    with app.app_context():
        point = db.session.get(RiskPoint, world.fire_a.id)
        assert label_data(point, "https://hx.example").frequency == "每周巡检两次"
    back = safety.client.patch(url, json={"frequency": None}, headers={"X-CSRF-Token": safety.csrf_token})
    assert (back.json["frequency"], back.json["frequency_name"]) == (None, "每周巡检一次")
    entry = safety.get(f"{url}/history").json[-1]
    assert entry["before"] == {"frequency": "twice_weekly"} and entry["after"] == {"frequency": None}


def test_retiring_a_point_stops_its_code_and_keeps_its_history(world, login):
    safety = login("safety")
    response = safety.post(f"/api/points/{world.water_a.id}/retire", json={"reason": "河道已填埋"})
    assert response.status_code == 200 and response.json["active"] is False
    assert login("patroller").get(f"/api/scan/{world.water_a.token}").status_code == 410
    assert [h["action"] for h in safety.get(f"/api/points/{world.water_a.id}/history").json] == ["retire"]
    assert safety.post(f"/api/points/{world.water_a.id}/retire", json={"reason": "again"}).status_code == 409
    assert safety.post(f"/api/points/{world.fire_a.id}/retire", json={}).status_code == 422


def test_only_managers_in_scope_change_or_retire(world, login):
    patroller = login("patroller")
    assert patroller.client.patch(f"/api/points/{world.fire_a.id}", json={"name": "x"},
                                  headers={"X-CSRF-Token": patroller.csrf_token}).status_code == 403
    assert patroller.post(f"/api/points/{world.fire_a.id}/retire", json={"reason": "x"}).status_code == 403
    township = login("township")
    assert township.post(f"/api/points/{world.dorm_b.id}/retire", json={"reason": "x"}).status_code == 404
    assert township.get(f"/api/points/{world.dorm_b.id}").status_code == 404
    assert township.get(f"/api/points/{world.fire_a.id}").json["name"] == "教学楼灭火器"
