"""随手拍: a school's public code, reports without an account, throttling, and the school's triage."""

import io
import uuid

from tests.hazard_helpers import photo, picture, report


def jpeg(seed: int, size=(64, 48)) -> io.BytesIO:
    buf = io.BytesIO()
    picture(seed, size).save(buf, "JPEG")
    buf.seek(0)
    return buf


def snap_token(login, world) -> str:
    response = login("safety").get(f"/api/schools/{world.school_a_id}/snap-code")
    assert response.status_code == 200, response.json
    assert response.json["url"] == f"https://huxiao.example.cn/s/{response.json['token']}"
    return response.json["token"]


def send(client, token: str, seed: int = 1, device: str = "phone-1", **form):
    data = {"description": "厕所门口地面有积水，很滑", "device_id": device, "photos": [(jpeg(seed), "snap.jpg")]}
    data.update(form)
    return client.post(f"/api/public/snap/{token}", data=data, headers={"X-Device-Id": device})


def test_anyone_can_send_a_report_without_an_account(app, world, login):
    token = snap_token(login, world)
    public = app.test_client()  # no session, no CSRF token
    assert public.get(f"/api/public/snap/{token}").json == {"school": "甲小学"}
    response = send(public, token, phone="13800138000", client_key=str(uuid.uuid4()))
    assert response.status_code == 201, response.json
    queue = login("safety").get("/api/public-reports?status=new").json
    assert len(queue) == 1
    item = queue[0]
    assert (item["description"], item["phone"], item["status"]) == ("厕所门口地面有积水，很滑", "13800138000", "new")
    assert len(item["photo_ids"]) == 1
    # the photo is the school's: its staff see it, another school does not
    assert login("safety").get(f"/api/photos/{item['photo_ids'][0]}").status_code == 200
    assert login("patroller_b").get(f"/api/photos/{item['photo_ids'][0]}").status_code == 404
    # a public report is not a hazard until staff accept it
    assert login("safety").get("/api/hazards").json == []


def test_a_retried_send_is_the_same_report(app, world, login):
    token, key = snap_token(login, world), str(uuid.uuid4())
    public = app.test_client()
    first, again = send(public, token, client_key=key), send(public, token, client_key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]
    assert len(login("safety").get("/api/public-reports").json) == 1


def test_bad_reports_and_codes_are_refused_clearly(app, world, login):
    token = snap_token(login, world)
    public = app.test_client()
    assert public.get("/api/public/snap/nope").status_code == 404
    empty = send(public, token, description=" ")
    assert empty.status_code == 422 and "description" in empty.json["errors"]
    no_photo = public.post(f"/api/public/snap/{token}", data={"description": "x"})
    assert no_photo.status_code == 422 and "photos" in no_photo.json["errors"]
    too_many = send(public, token, photos=[(jpeg(i), f"{i}.jpg") for i in range(4)])
    assert too_many.status_code == 422
    phone = send(public, token, phone="call me")
    assert phone.status_code == 422 and "phone" in phone.json["errors"]
    not_image = send(public, token, photos=[(io.BytesIO(b"not a picture"), "x.jpg")])
    assert not_image.status_code == 415
    assert login("safety").get("/api/public-reports").json == []


def test_a_replaced_code_stops_working(app, world, login):
    old = snap_token(login, world)
    new = login("safety").post(f"/api/schools/{world.school_a_id}/snap-code").json["token"]
    assert new != old
    public = app.test_client()
    assert send(public, old).status_code == 410
    assert send(public, new).status_code == 201
    assert login("teacher").get(f"/api/schools/{world.school_a_id}/snap-code").status_code == 403
    assert login("patroller_b").get(f"/api/schools/{world.school_a_id}/snap-code").status_code in (403, 404)


def test_reports_are_throttled_per_device(app, world, login):
    token = snap_token(login, world)
    public = app.test_client()
    key = str(uuid.uuid4())
    codes = [send(public, token, seed=i, device="spammer", client_key=key if i == 0 else str(uuid.uuid4())).status_code
             for i in range(5)]
    assert send(public, token, device="spammer", client_key=key).status_code == 200  # a retry is not charged
    refused = send(public, token, seed=5, device="spammer")
    assert codes + [refused.status_code] == [201] * 5 + [429]
    assert refused.json["error"] == "rate_limited" and refused.json["message"].startswith("这部手机或这个网络提交得太多了")
    # another phone at the same address may still send
    assert send(public, token, seed=99, device="another").status_code == 201


def test_reports_are_throttled_per_address(app, world, login):
    app.config["SNAP_REPORTS_PER_ADDRESS"] = "3 per hour"
    try:
        token = snap_token(login, world)
        public = app.test_client()
        codes = [send(public, token, seed=i, device=f"phone-{i}").status_code for i in range(4)]
        assert codes == [201, 201, 201, 429]
    finally:
        app.config["SNAP_REPORTS_PER_ADDRESS"] = "30 per hour"


def _one_report(app, login, world, seed=1) -> int:
    assert send(app.test_client(), snap_token(login, world), seed=seed).status_code == 201
    return login("safety").get("/api/public-reports?status=new").json[0]["id"]


def test_staff_accept_a_report_as_a_hazard(app, world, login):
    report_id = _one_report(app, login, world)
    safety = login("safety")
    response = safety.post(f"/api/public-reports/{report_id}/accept", json={
        "place": "一楼厕所", "category": "building", "urgency": "soon", "note": "核实属实"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "accepted"
    hazard = safety.get(f"/api/hazards/{response.json['hazard_id']}").json
    assert (hazard["source"], hazard["reporter"], hazard["place"]) == ("public", None, "一楼厕所")
    assert hazard["description"] == "厕所门口地面有积水，很滑"
    assert [(e["action"], e["actor"] and e["actor"]["id"]) for e in hazard["events"]] == [
        ("report", None), ("accept", world.user_ids["safety"])]
    assert hazard["events"][0]["details"] == {"public_report_id": report_id}
    assert len(hazard["photo_ids"]) == 1
    again = safety.post(f"/api/public-reports/{report_id}/dismiss", json={"note": "重复"})
    assert again.status_code == 409


def test_a_report_like_an_open_hazard_is_shown_and_can_be_merged(app, world, login):
    teacher, safety = login("teacher"), login("safety")
    hazard = report(teacher, place="一楼厕所", photo_ids=[photo(teacher, seed=42, size=(80, 60))])["id"]
    report_id = _one_report(app, login, world, seed=42)
    detail = safety.get(f"/api/public-reports/{report_id}").json
    assert [(d["id"], d["reasons"]) for d in detail["possible_duplicates"]] == [(hazard, ["similar_photo"])]
    merged = safety.post(f"/api/public-reports/{report_id}/merge", json={"hazard_id": hazard, "note": "同一处"})
    assert merged.status_code == 200 and merged.json["status"] == "merged"
    timeline = safety.get(f"/api/hazards/{hazard}").json
    assert timeline["events"][-1]["action"] == "merged"
    assert set(detail["photo_ids"]) <= set(timeline["photo_ids"])


def test_dismissing_needs_a_reason_and_only_staff_triage(app, world, login):
    report_id = _one_report(app, login, world)
    assert login("teacher").get("/api/public-reports").status_code == 403
    assert login("patroller_b").get(f"/api/public-reports/{report_id}").status_code == 404
    assert login("safety").post(f"/api/public-reports/{report_id}/dismiss", json={"note": ""}).status_code == 422
    response = login("principal").post(f"/api/public-reports/{report_id}/dismiss", json={"note": "不是隐患"})
    assert response.status_code == 200 and response.json["status"] == "dismissed"
    assert login("township").get("/api/public-reports?status=new").json == []
