"""Townships, schools and grids: the county adds units, schools make their grids."""

import pytest


def patch(client, url, body):
    return client.client.patch(url, json=body, headers={"X-CSRF-Token": client.csrf_token})


def test_the_county_adds_a_township_and_a_school(world, login):
    county = login("county")
    township = county.post("/api/org-units", json={"kind": "township", "name": "东山镇", "parent_id": world.county_id})
    assert township.status_code == 201 and township.json["parent_id"] == world.county_id
    school = county.post("/api/org-units", json={"kind": "school", "name": "东山小学", "parent_id": township.json["id"]})
    assert school.status_code == 201
    assert {u["name"] for u in county.get("/api/org-units").json} >= {"东山镇", "东山小学", "甲小学"}
    again = county.post("/api/org-units", json={"kind": "school", "name": "东山小学", "parent_id": township.json["id"]})
    assert again.status_code == 409
    misplaced = county.post("/api/org-units", json={"kind": "school", "name": "西山小学", "parent_id": world.county_id})
    assert misplaced.status_code == 422


@pytest.mark.parametrize("username", ["township", "principal", "safety", "patroller"])
def test_only_the_county_adds_units(world, login, username):
    response = login(username).post("/api/org-units", json={"kind": "school", "name": "新学校", "parent_id": 2})
    assert response.status_code == 403


def test_a_school_makes_a_grid_with_its_leader_and_patrollers(world, login):
    safety = login("safety")
    grid = safety.post("/api/grids", json={"school_id": world.school_a_id, "name": "操场网格",
                                           "leader_id": world.user_ids["leader"],
                                           "patroller_ids": [world.user_ids["patroller"]]})
    assert grid.status_code == 201, grid.json
    assert grid.json["leader"]["id"] == world.user_ids["leader"]
    assert [p["id"] for p in grid.json["patrollers"]] == [world.user_ids["patroller"]]
    renamed = patch(safety, f"/api/grids/{grid.json['id']}", {"name": "运动区网格", "patroller_ids": []})
    assert renamed.status_code == 200 and renamed.json["name"] == "运动区网格" and renamed.json["patrollers"] == []
    assert any(g["name"] == "运动区网格" for g in safety.get(f"/api/grids?school_id={world.school_a_id}").json)


def test_grid_people_must_be_of_the_school_and_fit_the_job(world, login):
    safety = login("safety")
    wrong = safety.post("/api/grids", json={"school_id": world.school_a_id, "name": "后勤网格",
                                            "leader_id": world.user_ids["teacher"],
                                            "patroller_ids": [world.user_ids["patroller_b"]]})
    assert wrong.status_code == 422 and set(wrong.json["errors"]) == {"leader_id", "patroller_ids"}
    assert safety.post("/api/grids", json={"school_id": world.school_b_id, "name": "x"}).status_code == 404
    assert login("patroller").post("/api/grids", json={"school_id": world.school_a_id, "name": "x"}).status_code == 403
    assert safety.post("/api/grids", json={"school_id": world.school_a_id, "name": "教学区网格"}).status_code == 409
