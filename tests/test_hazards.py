"""Hazards: where they come from, deadlines, history, passing up, supervision, duplicates."""

from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.hazards.models import HazardEvent
from tests.conftest import answers
from tests.hazard_helpers import do, done, photo, report


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_teacher_reports_a_hazard_from_a_photo(world, login):
    teacher = login("teacher")
    pid = photo(teacher)
    got = report(teacher, photo_ids=[pid], urgency="urgent", place="操场东侧", category="playground",
                 description="篮球架底座松动")
    assert got["state"] == "reported" and got["source"] == "staff"
    assert got["school"]["id"] == world.school_a_id and got["holder"]["id"] == world.school_a_id
    assert (got["risk_level"], got["risk_level_name"], got["category_name"]) == ("red", "重大风险", "活动场地设施")
    # "looks urgent" starts it red; the assigner may change it, and is told the default times
    assert got["allowed_actions"] == []  # a teacher does not assign
    offered = login("safety").get(f"/api/hazards/{got['id']}").json["deadline_hours"]
    assert offered == {"red": 24, "orange": 72, "yellow": 168, "blue": 360}
    assert got["photo_ids"] == [pid]
    assert got["reporter"]["id"] == world.user_ids["teacher"]
    assert [e["action"] for e in got["events"]] == ["report"]
    assert got["number"].startswith("YH") and got["number"].endswith(f"{got['id']:05d}")
    # the school's people see the photo now; another school does not
    assert login("safety").get(f"/api/photos/{pid}").status_code == 200
    assert login("patroller_b").get(f"/api/photos/{pid}").status_code == 404


def test_a_report_at_a_point_takes_its_category_and_level(world, login):
    teacher = login("teacher")
    got = report(teacher, point_id=world.water_a.id, place="", category=None, urgency=None)
    assert (got["point"]["id"], got["category"], got["risk_level"]) == (world.water_a.id, "water", "red")


@pytest.mark.parametrize("change,field", [
    ({"photo_ids": []}, "photo_ids"),
    ({"place": ""}, "place"),
    ({"category": "volcano"}, "category"),
    ({"urgency": "whenever"}, "urgency"),
    ({"description": ""}, "description"),
])
def test_incomplete_reports_are_refused_and_say_why(world, login, change, field):
    teacher = login("teacher")
    body = {"place": "教学楼", "category": "building", "description": "墙皮脱落", "photo_ids": [photo(teacher)]}
    response = teacher.post("/api/hazards", json={**body, **change})
    assert response.status_code == 422, response.json
    assert field in str(response.json["errors"])
    assert teacher.get("/api/hazards").json == []


def test_reports_outside_ones_area_are_refused(world, login):
    teacher = login("teacher")
    other_school = teacher.post("/api/hazards", json={
        "point_id": world.dorm_b.id, "description": "x", "photo_ids": [photo(teacher)]})
    assert other_school.status_code == 404
    someone_elses_photo = photo(login("patroller_b"))
    report_response = teacher.post("/api/hazards", json={
        "place": "门口", "category": "gate", "description": "x", "photo_ids": [someone_elses_photo]})
    assert report_response.status_code == 404
    township = login("township")
    no_school = township.post("/api/hazards", json={
        "place": "门口", "category": "gate", "description": "x", "photo_ids": [photo(township)]})
    assert no_school.status_code == 422 and "school_id" in no_school.json["errors"]


def test_a_failed_checklist_item_raises_a_hazard_once(world, login):
    patroller = login("patroller")
    pid = photo(patroller)
    body = answers(patroller, world.water_a.token)
    body["results"][0].update(result="fail", note="护栏断了", photo_ids=[pid])
    inspection = patroller.post("/api/inspections", json=body).json
    hazards = login("safety").get("/api/hazards").json
    assert len(hazards) == 1
    hazard = hazards[0]
    assert (hazard["source"], hazard["inspection_id"], hazard["point"]["id"]) == ("inspection", inspection["id"],
                                                                               world.water_a.id)
    assert (hazard["risk_level"], hazard["category"], hazard["photo_ids"]) == ("red", "water", [pid])
    assert hazard["description"].endswith("护栏断了")
    # found failing again the next day: the same hazard, with the new finding in its history
    again = answers(patroller, world.water_a.token)
    again["results"][0].update(result="fail", note="还是断的")
    assert patroller.post("/api/inspections", json=again).status_code == 201
    hazards = login("safety").get("/api/hazards").json
    assert len(hazards) == 1
    detail = login("safety").get(f"/api/hazards/{hazard['id']}").json
    assert [e["action"] for e in detail["events"]] == ["report", "found_again"]
    assert detail["events"][1]["note"] == "还是断的"


def test_default_deadline_follows_the_risk_level_and_is_configurable(app, world, login):
    safety = login("safety")
    red = report(login("teacher"), urgency="urgent")["id"]
    before = datetime.now(timezone.utc)
    got = done(safety, red, "assign", rectifier_id=world.user_ids["teacher"])
    assert timedelta(hours=23, minutes=59) < _at(got["deadline"]) - before <= timedelta(hours=24, seconds=5)
    blue = report(login("teacher"), urgency="normal")["id"]
    got = done(safety, blue, "assign", rectifier_id=world.user_ids["teacher"], risk_level="blue")
    assert _at(got["deadline"]) - before > timedelta(days=14, hours=23)
    app.config["HAZARD_DEADLINE_HOURS"] = {"red": 4, "blue": 48}
    try:
        other = report(login("teacher"), urgency="urgent")["id"]
        got = done(safety, other, "assign", rectifier_id=world.user_ids["teacher"])
        assert _at(got["deadline"]) - before < timedelta(hours=4, seconds=30)
    finally:
        app.config["HAZARD_DEADLINE_HOURS"] = None


def test_assignment_is_checked(world, login):
    safety = login("safety")
    hazard = report(login("teacher"))["id"]
    past = do(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], deadline="2020-01-01T08:00:00+08:00")
    assert past.status_code == 422 and "deadline" in past.json["errors"]
    naive = do(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], deadline="2030-01-01T08:00:00")
    assert naive.status_code == 422
    assert naive.json["errors"]["deadline"] == ["give the time with its offset, e.g. 2026-11-25T18:00:00+08:00"]
    elsewhere = do(safety, hazard, "assign", rectifier_id=world.user_ids["patroller_b"])
    assert elsewhere.status_code == 422 and "rectifier_id" in elsewhere.json["errors"]
    funds = do(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], funds_yuan="-5")
    assert funds.status_code == 422
    got = done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], funds_yuan="1200.50",
               responsibility="总务处", measures="更换栏杆", deadline="2030-01-01T18:00:00+08:00")
    assert (got["funds_yuan"], got["responsibility"], got["measures"]) == ("1200.50", "总务处", "更换栏杆")
    assert got["deadline"].startswith("2030-01-01T10:00:00")
    assert got["assigned_by"]["id"] == world.user_ids["safety"]


def test_rectifying_needs_an_after_photo_and_a_note(world, login):
    teacher = login("teacher")
    hazard = report(teacher)["id"]
    done(login("safety"), hazard, "assign", rectifier_id=world.user_ids["teacher"])
    assert do(teacher, hazard, "rectify", note="修好了").status_code == 422
    assert do(teacher, hazard, "rectify", photo_ids=[photo(teacher)]).status_code == 422
    after = photo(teacher)
    got = done(teacher, hazard, "rectify", note="修好了", photo_ids=[after])
    assert got["after_photo_ids"] == [after] and got["state"] == "rectified"


def test_the_timeline_keeps_every_step_with_its_photos(world, login):
    teacher, safety, principal = login("teacher"), login("safety"), login("principal")
    before = photo(teacher)
    hazard = report(teacher, photo_ids=[before])["id"]
    done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], measures="加固")
    first = photo(teacher)
    done(teacher, hazard, "rectify", note="加固了", photo_ids=[first])
    done(principal, hazard, "reject", note="仍有晃动")
    second = photo(teacher)
    done(teacher, hazard, "rectify", note="更换了", photo_ids=[second])
    got = done(principal, hazard, "verify", note="验收合格")
    steps = [(e["action"], e["from_state"], e["to_state"], e["actor"]["id"], e["note"], e["photo_ids"])
             for e in got["events"]]
    ids = world.user_ids
    assert steps == [
        ("report", None, "reported", ids["teacher"], "走廊栏杆松动", [before]),
        ("assign", "reported", "assigned", ids["safety"], "", []),
        ("rectify", "assigned", "rectified", ids["teacher"], "加固了", [first]),
        ("reject", "rectified", "assigned", ids["principal"], "仍有晃动", []),
        ("rectify", "assigned", "rectified", ids["teacher"], "更换了", [second]),
        ("verify", "rectified", "closed", ids["principal"], "验收合格", []),
    ]
    assert got["photo_ids"] == [before] and got["after_photo_ids"] == [first, second]
    assert got["verified_by"]["id"] == ids["principal"] and got["closed_at"]
    assert got["allowed_actions"] == []


def test_history_cannot_be_rewritten(ctx, world, login):
    report(login("teacher"))
    event = db.session.scalars(db.select(HazardEvent)).first()
    event.note = "改写"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(db.select(HazardEvent)).first())
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_passing_up_moves_the_hazard_to_the_township_then_the_county(world, login):
    safety, township, county = login("safety"), login("township"), login("county")
    hazard = report(login("teacher"))["id"]
    done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], measures="加固", funds_yuan="300")
    assert do(safety, hazard, "pass_up").status_code == 422  # needs the reason
    got = done(safety, hazard, "pass_up", note="需要拆除重建，超出学校能力")
    assert (got["holder"]["kind"], got["state"], got["rectifier"]) == ("township", "reported", None)
    assert (got["deadline"], got["measures"], got["funds_yuan"]) == (None, "", None)  # assigned afresh above
    # the school no longer assigns it; the township does
    assert do(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"]).status_code == 403
    assert "assign" in township.get(f"/api/hazards/{hazard}").json["allowed_actions"]
    got = done(township, hazard, "pass_up", to="county", note="需县级财政")
    assert got["holder"]["kind"] == "county"
    top = do(county, hazard, "pass_up", note="再上报")
    assert top.status_code == 409
    assert "pass_up" not in got["allowed_actions"]
    # the county can assign a school person or one of its own
    assert done(county, hazard, "assign", rectifier_id=world.user_ids["principal"])["state"] == "assigned"


def test_a_school_can_pass_straight_to_the_county(world, login):
    hazard = report(login("teacher"))["id"]
    got = done(login("principal"), hazard, "pass_up", to="county", note="重大隐患")
    assert got["holder"]["id"] == world.county_id
    assert got["events"][-1]["details"]["to_unit_id"] == world.county_id


def test_voiding_and_merging_keep_the_report(world, login):
    teacher, safety = login("teacher"), login("safety")
    first = report(teacher, point_id=world.fire_a.id, place="", category=None)["id"]
    dup_photo = photo(teacher)
    second = report(teacher, point_id=world.fire_a.id, place="", category=None, photo_ids=[dup_photo])["id"]
    detail = safety.get(f"/api/hazards/{second}").json
    assert [(d["id"], d["reasons"]) for d in detail["possible_duplicates"]] == [(first, ["same_point"])]
    bad = do(safety, second, "merge", into_id=second)
    assert bad.status_code == 422
    got = done(safety, second, "merge", into_id=first, note="同一灭火器")
    assert (got["state"], got["duplicate_of_id"]) == ("voided", first)
    target = safety.get(f"/api/hazards/{first}").json
    assert target["events"][-1]["action"] == "merged"
    assert dup_photo in target["photo_ids"]
    assert do(safety, first, "void").status_code == 422  # a reason is needed
    assert done(safety, first, "void", note="误报")["state"] == "voided"


def test_a_similar_photo_elsewhere_is_a_possible_duplicate(world, login):
    teacher, patroller, safety = login("teacher"), login("patroller"), login("safety")
    first = report(teacher, place="东门", photo_ids=[photo(teacher, seed=7, size=(80, 60))])["id"]
    other = report(teacher, place="西门", photo_ids=[photo(teacher, seed=8)])["id"]
    second = report(patroller, place="学校东大门", category="gate",
                    photo_ids=[photo(patroller, seed=7, size=(160, 120))])["id"]
    found = {d["id"]: d["reasons"] for d in safety.get(f"/api/hazards/{second}").json["possible_duplicates"]}
    assert found == {first: ["similar_photo"]}
    assert other not in found


def test_lists_by_view_and_filter(world, login):
    teacher, safety, county = login("teacher"), login("safety"), login("county")
    a = report(teacher)["id"]
    b = report(teacher, place="食堂")["id"]
    done(safety, a, "assign", rectifier_id=world.user_ids["teacher"])
    ids = lambda client, query: [h["id"] for h in client.get(f"/api/hazards?{query}").json]  # noqa: E731
    assert ids(safety, "view=to_assign") == [b]
    assert ids(teacher, "view=assigned_to_me") == [a]
    assert ids(teacher, "view=reported_by_me") == [b, a]
    assert ids(county, "open=true") == [b, a]
    assert ids(county, f"school_id={world.school_b_id}") == []
    assert ids(login("patroller_b"), "") == []
    assert login("township").get("/api/hazards?view=nonsense").status_code == 422
