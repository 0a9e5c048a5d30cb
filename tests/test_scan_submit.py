"""The patroller's path: scan a point, get its checklist, submit the result."""

import io

from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.inspections.models import Inspection, InspectionResult
from tests.conftest import answers


def jpeg_bytes(colour=(200, 30, 30), size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG")
    return buf.getvalue()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_scan_shows_point_and_checklist(world, login):
    client = login("patroller")
    response = client.get(f"/api/scan/{world.fire_a.token}")
    assert response.status_code == 200
    point, items = response.json["point"], response.json["items"]
    assert point["id"] == world.fire_a.id
    assert point["name"] == "教学楼灭火器"
    assert point["risk_level"] == "yellow" and point["risk_level_name"] == "一般风险"
    assert point["category"] == "fire"
    assert point["school"] == {"id": world.school_a_id, "name": "甲小学"}
    assert point["grid"]["name"] == "教学区网格"
    assert point["last_inspected_at"] is None and point["last_inspected_by"] is None
    assert len(items) >= 5 and all(item["id"] and item["text"] for item in items)
    assert [item["position"] for item in items] == sorted(item["position"] for item in items)


def test_submit_all_pass_then_scan_shows_last_inspection(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token, captured_at="2026-11-20T08:15:00+08:00",
                   location={"latitude": 32.1, "longitude": 108.5, "accuracy": 12})
    response = client.post("/api/inspections", json=body)
    assert response.status_code == 201, response.json
    assert response.json["id"] and response.json["failed_count"] == 0
    assert response.json["captured_at"].startswith("2026-11-20T00:15:00")
    stored = client.get(f"/api/inspections/{response.json['id']}").json
    assert stored["location"] == {"latitude": 32.1, "longitude": 108.5, "accuracy": 12.0}
    assert [r["item_id"] for r in stored["results"]] == [r["item_id"] for r in body["results"]]
    assert {r["result"] for r in stored["results"]} == {"pass"}
    assert stored["inspector"]["id"] == world.user_ids["patroller"]

    point = client.get(f"/api/scan/{world.fire_a.token}").json["point"]
    assert point["last_inspection"]["id"] == response.json["id"]
    assert point["last_inspected_by"] == {"id": world.user_ids["patroller"], "display_name": "patroller"}
    assert point["last_inspected_at"] == response.json["submitted_at"]
    assert count(app, Inspection) == 1


def test_failed_item_with_note_is_recorded(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token)
    body["results"][0].update(result="fail", note="压力指针在红区")
    body["results"][1]["result"] = "na"
    response = client.post("/api/inspections", json=body)
    assert response.status_code == 201, response.json
    assert response.json["failed_count"] == 1
    stored = client.get(f"/api/inspections/{response.json['id']}").json
    assert stored["results"][0]["result"] == "fail"
    assert stored["results"][0]["note"] == "压力指针在红区"
    assert stored["results"][0]["text"]
    assert stored["results"][1]["result"] == "na"


def test_failed_item_with_its_photo_is_recorded_and_school_sees_photo(world, login):
    client = login("county")
    photo_id = client.post("/api/photos", data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")}).json["id"]
    body = answers(client, world.fire_a.token)
    body["results"][0].update(result="fail", photo_ids=[photo_id])
    response = client.post("/api/inspections", json=body)
    assert response.status_code == 201, response.json
    assert response.json["photo_ids"] == [photo_id]
    # the county's evidence of school A's point is visible to school A now
    assert login("safety").get(f"/api/photos/{photo_id}").status_code == 200


def test_failed_item_without_note_or_photo_is_refused(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token)
    body["results"][2]["result"] = "fail"
    response = client.post("/api/inspections", json=body)
    assert response.status_code == 422
    assert response.json["error"] == "failure_unexplained"
    assert response.json["errors"]["unexplained_item_ids"] == [body["results"][2]["item_id"]]
    assert count(app, Inspection) == 0


def test_bad_inputs_get_clear_4xx_and_store_nothing(app, world, login):
    client = login("patroller")
    good = answers(client, world.fire_a.token)
    other_items = answers(client, world.water_a.token)["results"]

    def with_results(results):
        return {**good, "results": results}

    cases = {
        "malformed json": dict(data="{not json", content_type="application/json"),
        "results not a list": dict(json={**good, "results": "all pass"}),
        "item id a string": dict(json=with_results([{**r, "item_id": str(r["item_id"])} for r in good["results"]])),
        "unknown result": dict(json=with_results([{**r, "result": "ok"} for r in good["results"]])),
        "item of another checklist": dict(json=with_results(good["results"][:-1] + other_items[:1])),
        "missing item": dict(json=with_results(good["results"][:-1])),
        "duplicated item": dict(json=with_results(good["results"] + good["results"][:1])),
        "empty results": dict(json=with_results([])),
        "no token": dict(json={"results": good["results"]}),
        "unknown field": dict(json={**good, "inspector": "someone else"}),
        "naive capture time": dict(json={**good, "captured_at": "2026-11-20T08:15:00"}),
        "latitude out of range": dict(json={**good, "location": {"latitude": 95, "longitude": 1}}),
        "unknown photo": dict(json={**good, "photo_ids": [999999]}),
    }
    for name, kwargs in cases.items():
        response = client.post("/api/inspections", **kwargs)
        assert 400 <= response.status_code < 500, (name, response.status_code)
        assert response.json["message"], name
        assert response.json["code"] == response.status_code, name
    assert count(app, Inspection) == 0
    assert count(app, InspectionResult) == 0


def test_mismatch_names_the_offending_items(world, login):
    client = login("patroller")
    good = answers(client, world.fire_a.token)
    results = good["results"][1:] + [{"item_id": 987654, "result": "pass"}]
    response = client.post("/api/inspections", json={**good, "results": results})
    assert response.status_code == 422
    assert response.json["errors"] == {
        "unknown_item_ids": [987654],
        "missing_item_ids": [good["results"][0]["item_id"]],
    }


def test_oversize_body_is_refused(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token, note="x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    response = client.post("/api/inspections", json=body)
    assert response.status_code == 413
    assert response.json["message"]


def test_unknown_token_is_404(world, login):
    client = login("patroller")
    assert client.get("/api/scan/not-a-real-token").status_code == 404
    body = answers(client, world.fire_a.token)
    response = client.post("/api/inspections", json={**body, "token": "not-a-real-token"})
    assert response.status_code == 404 and response.json["error"] == "unknown_token"


def test_own_recent_inspections_are_listed(world, login):
    client = login("patroller")
    first = client.post("/api/inspections", json=answers(client, world.fire_a.token)).json["id"]
    second = client.post("/api/inspections", json=answers(client, world.water_a.token)).json["id"]
    listed = client.get("/api/inspections").json
    assert [i["id"] for i in listed] == [second, first]
    assert login("leader").get("/api/inspections").json == []


def test_inspection_detail_is_scoped(world, login):
    client = login("patroller_b")
    inspection_id = client.post("/api/inspections", json=answers(client, world.dorm_b.token)).json["id"]
    assert login("county").get(f"/api/inspections/{inspection_id}").status_code == 200
    assert login("township").get(f"/api/inspections/{inspection_id}").status_code == 404
    assert login("patroller").get(f"/api/inspections/{inspection_id}").status_code == 404


def test_point_list_shows_each_points_last_inspection(world, login):
    client = login("patroller")
    client.post("/api/inspections", json=answers(client, world.fire_a.token))
    listed = {p["id"]: p for p in client.get("/api/points").json}
    assert listed[world.water_a.id]["last_inspection"] is None
    last = listed[world.fire_a.id]["last_inspection"]
    assert last["by"] == {"id": world.user_ids["patroller"], "display_name": "patroller"} and last["failed_count"] == 0


def test_my_grids_lists_the_points_of_the_grids_i_patrol_or_lead(app, world, login):
    from app.orgs.models import Grid
    from app.orgs.services import add_grid
    from app.points.models import RiskPoint

    with app.app_context():  # a second grid of school A that the patroller does not walk
        other = add_grid(db.session.get(RiskPoint, world.water_a.id).school, "生活区网格")
        db.session.get(RiskPoint, world.water_a.id).grid_id = other.id
        db.session.commit()
        assert db.session.get(Grid, other.id).patrollers == []
    for username in ("patroller", "leader"):
        mine = login(username).get("/api/points?my_grids=true").json
        assert [p["id"] for p in mine] == [world.fire_a.id], username
    assert login("safety").get("/api/points?my_grids=true").json == []
