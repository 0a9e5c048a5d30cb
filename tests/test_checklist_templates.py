"""Checklist templates: copy a shipped default, edit and reorder its items, and what that changes."""

import uuid

import pytest
from sqlalchemy import func, select

from app.checklists.defaults import DEFAULT_TEMPLATES
from app.checklists.models import ChecklistItem
from app.extensions import db
from tests.conftest import answers

FIRE = list(DEFAULT_TEMPLATES["fire"].items)
URL = "/api/checklist-templates"


def patch(client, url, json, **headers):
    return client.client.patch(url, json=json, headers={"X-CSRF-Token": client.csrf_token, **headers})


def shipped_id(client, category="fire") -> int:
    listed = client.get(f"{URL}?category={category}").json
    return next(t["id"] for t in listed if t["shipped"])


def copy(client, source_id, org_unit_id, **extra):
    return client.post(URL, json={"source_id": source_id, "org_unit_id": org_unit_id, **extra})


@pytest.fixture
def fire_copy(world, login):
    """甲小学's own copy of the shipped fire checklist, made by its safety officer."""
    safety = login("safety")
    response = copy(safety, shipped_id(safety), world.school_a_id)
    assert response.status_code == 201, response.json
    return response.json


def test_safety_officer_copies_the_default_for_their_school(world, login, fire_copy):
    assert fire_copy["org_unit"] == {"id": world.school_a_id, "name": "甲小学"}
    assert fire_copy["shipped"] is False and fire_copy["editable"] is True
    assert fire_copy["category"] == "fire" and fire_copy["name"] == DEFAULT_TEMPLATES["fire"].name
    assert [i["text"] for i in fire_copy["items"]] == FIRE
    assert [i["position"] for i in fire_copy["items"]] == list(range(1, len(FIRE) + 1))
    listed = login("safety").get(f"{URL}?category=fire").json
    assert [(t["shipped"], t["item_count"]) for t in listed] == [(True, len(FIRE)), (False, len(FIRE))]
    assert listed[0]["org_unit"] is None and listed[0]["editable"] is False
    assert {t["category"] for t in login("safety").get(URL).json} == set(DEFAULT_TEMPLATES)
    history = login("principal").get(f"{URL}/{fire_copy['id']}/history").json
    assert [h["action"] for h in history] == ["create"] and history[0]["after"]["items"] == FIRE


def test_edit_reorder_assign_scan_and_old_inspections_keep_their_items(app, world, login, fire_copy):
    safety, patroller = login("safety"), login("patroller")
    assigned = patch(safety, f"/api/points/{world.fire_a.id}", {"template_id": fire_copy["id"]})
    assert assigned.status_code == 200, assigned.json
    old_items = patroller.get(f"/api/scan/{world.fire_a.token}").json["items"]
    assert [i["id"] for i in old_items] == [i["id"] for i in fire_copy["items"]]
    before = patroller.post("/api/inspections", json=answers(patroller, world.fire_a.token))
    assert before.status_code == 201, before.json

    ids = [i["id"] for i in fire_copy["items"]]
    new_list = [
        {"id": ids[2], "text": FIRE[2]},                         # moved to the top
        {"id": ids[0], "text": "  灭火器压力正常，铅封完好，在有效期内？ "},  # reworded (spaces trimmed)
        *({"id": i, "text": t} for i, t in zip(ids[3:], FIRE[3:])),  # the rest in order, item 2 removed
        {"text": "消防器材巡查记录卡已签字？"},                      # new
    ]
    response = safety.put(f"{URL}/{fire_copy['id']}/items", json={"items": new_list})
    assert response.status_code == 200, response.json
    edited = response.json
    expected = [FIRE[2], "灭火器压力正常，铅封完好，在有效期内？", *FIRE[3:], "消防器材巡查记录卡已签字？"]
    assert [i["text"] for i in edited["items"]] == expected
    assert [i["position"] for i in edited["items"]] == list(range(1, len(expected) + 1))
    new_ids = [i["id"] for i in edited["items"]]
    assert new_ids[0] == ids[2] and new_ids[2:-1] == ids[3:]  # unchanged text: same item
    assert new_ids[1] not in ids and new_ids[-1] not in ids  # reworded and new: new items
    assert edited["item_count"] == len(expected)

    scan = patroller.get(f"/api/scan/{world.fire_a.token}").json["items"]
    assert [(i["id"], i["text"]) for i in scan] == [(i["id"], i["text"]) for i in edited["items"]]
    old = patroller.get(f"/api/inspections/{before.json['id']}").json
    assert [(r["item_id"], r["text"]) for r in old["results"]] == [(i["id"], i["text"]) for i in old_items]
    after = patroller.post("/api/inspections", json=answers(patroller, world.fire_a.token))
    assert after.status_code == 201, after.json

    with app.app_context():  # nothing was rewritten: the reworded and removed items are retired
        retired = db.session.scalars(select(ChecklistItem.text).where(
            ChecklistItem.template_id == fire_copy["id"], ChecklistItem.active.is_(False))).all()
    assert sorted(retired) == sorted([FIRE[0], FIRE[1]])
    entry = safety.get(f"{URL}/{fire_copy['id']}/history").json[-1]
    assert entry["action"] == "update" and entry["actor_id"] == world.user_ids["safety"]
    assert entry["before"]["items"] == FIRE and entry["after"]["items"] == expected


def test_a_reorder_keeps_every_item_and_an_unchanged_list_records_nothing(world, login, fire_copy):
    safety = login("safety")
    items = [{"id": i["id"], "text": i["text"]} for i in reversed(fire_copy["items"])]
    reordered = safety.put(f"{URL}/{fire_copy['id']}/items", json={"items": items}).json
    assert [i["id"] for i in reordered["items"]] == [i["id"] for i in reversed(fire_copy["items"])]
    again = safety.put(f"{URL}/{fire_copy['id']}/items", json={"items": items})
    assert again.status_code == 200 and again.json["items"] == reordered["items"]
    # an item sent without its id but with its text unchanged keeps its id
    no_ids = safety.put(f"{URL}/{fire_copy['id']}/items", json={"items": [{"text": i["text"]} for i in items]})
    assert no_ids.json["items"] == reordered["items"]
    assert [h["action"] for h in safety.get(f"{URL}/{fire_copy['id']}/history").json] == ["create", "update"]


def test_shipped_defaults_cannot_be_changed(world, login):
    for username in ("safety", "county"):
        client = login(username)
        shipped = shipped_id(client)
        items = client.get(f"{URL}/{shipped}").json["items"]
        response = client.put(f"{URL}/{shipped}/items", json={"items": [{"id": i["id"], "text": "x"} for i in items]})
        assert response.status_code == 409 and response.json["error"] == "shipped_template"
        assert "copy" in response.json["message"].lower()
        renamed = patch(client, f"{URL}/{shipped}", {"name": "我的消防表"})
        assert renamed.status_code == 409 and renamed.json["error"] == "shipped_template"
    assert [i["text"] for i in login("patroller").get(f"{URL}/{shipped}").json["items"]] == FIRE


@pytest.mark.parametrize("username,status", [
    ("patroller", 403), ("leader", 403), ("teacher", 403), ("safety", 201), ("principal", 201),
    ("township", 201), ("county", 201),
])
def test_who_may_copy_a_template(world, login, username, status):
    client = login(username)
    response = copy(client, shipped_id(client), world.school_a_id)
    assert response.status_code == status, response.json
    if status == 403:
        assert response.json["error"] == "forbidden" and response.json["message"]


def test_patrollers_read_but_cannot_edit(world, login, fire_copy):
    patroller = login("patroller")
    assert patroller.get(f"{URL}/{fire_copy['id']}").json["editable"] is False
    response = patroller.put(f"{URL}/{fire_copy['id']}/items", json={"items": [{"text": "x"}]})
    assert response.status_code == 403 and response.json["error"] == "forbidden"
    assert patch(patroller, f"{URL}/{fire_copy['id']}", {"name": "x"}).status_code == 403


def test_another_schools_template_is_out_of_sight(world, login):
    county = login("county")
    b_copy = copy(county, shipped_id(county, "dormitory"), world.school_b_id, name="乙中学宿舍检查表")
    assert b_copy.status_code == 201, b_copy.json
    b_id = b_copy.json["id"]
    safety = login("safety")
    assert b_id not in {t["id"] for t in safety.get(URL).json}
    assert safety.get(f"{URL}/{b_id}").status_code == 404
    response = safety.put(f"{URL}/{b_id}/items", json={"items": [{"text": "宿舍门已上锁？"}]})
    assert response.status_code == 404 and response.json["error"] == "unknown_template"
    assert patch(safety, f"{URL}/{b_id}", {"name": "x"}).status_code == 404
    assert safety.get(f"{URL}/{b_id}/history").status_code == 404
    assert copy(safety, b_id, world.school_a_id).status_code == 404
    # nor may A's safety officer make templates for school B or the county
    for unit in (world.school_b_id, world.county_id):
        refused = copy(safety, shipped_id(safety), unit)
        assert refused.status_code == 404 and refused.json["error"] == "unknown_org_unit"
    # and school B's template cannot be given to a point of school A
    refused = patch(county, f"/api/points/{world.fire_a.id}", {"template_id": b_id})
    assert refused.status_code == 422 and "template_id" in refused.json["errors"]
    assert b_id in {t["id"] for t in login("patroller_b").get(URL).json}


def test_a_county_template_serves_its_schools_but_only_the_county_edits_it(world, login):
    county = login("county")
    made = copy(county, shipped_id(county), world.county_id, name="全县统一消防检查表")
    assert made.status_code == 201, made.json
    county_id = made.json["id"]
    for username in ("safety", "township", "patroller_b"):
        seen = {t["id"]: t for t in login(username).get(f"{URL}?category=fire").json}
        assert seen[county_id]["org_unit"]["name"] == "测试县" and seen[county_id]["editable"] is False, username
    safety = login("safety")
    refused = safety.put(f"{URL}/{county_id}/items", json={"items": [{"text": "灭火器在位？"}]})
    assert refused.status_code == 403 and "测试县" in refused.json["message"]
    assert patch(safety, f"/api/points/{world.fire_a.id}", {"template_id": county_id}).status_code == 200
    own = copy(safety, county_id, world.school_a_id, name="甲小学消防检查表")
    assert own.status_code == 201 and [i["text"] for i in own.json["items"]] == FIRE
    edited = county.put(f"{URL}/{county_id}/items", json={"items": [{"text": "灭火器在位？"}]})
    assert edited.status_code == 200, edited.json
    scan = login("patroller").get(f"/api/scan/{world.fire_a.token}").json["items"]
    assert [i["text"] for i in scan] == ["灭火器在位？"]


def test_bad_item_lists_are_refused_with_reasons(app, world, login, fire_copy):
    safety = login("safety")
    items = [{"id": i["id"], "text": i["text"]} for i in fire_copy["items"]]
    water_item = login("patroller").get(f"/api/scan/{world.water_a.token}").json["items"][0]["id"]
    cases = {
        "empty list": ([], None),
        "blank text": (items[:1] + [{"text": "   "}], "1"),
        "too long text": (items[:1] + [{"text": "长" * 201}], "1"),
        "duplicate text": (items + [{"text": FIRE[0]}], str(len(items))),
        "duplicate after trimming": (items[:2] + [{"text": f" {FIRE[1]} "}], "2"),
        "item of another template": (items + [{"id": water_item, "text": "水域警示牌醒目、完好？"}], str(len(items))),
        "unknown item": ([{"id": 987654, "text": "x"}], "0"),
        "same id twice": (items[:1] + [{"id": items[0]["id"], "text": "另一项？"}], "1"),
    }
    for name, (new_list, index) in cases.items():
        response = safety.put(f"{URL}/{fire_copy['id']}/items", json={"items": new_list})
        assert response.status_code == 422, name
        assert response.json["error"] == "invalid_items" and response.json["message"], name
        if index is not None:
            assert index in response.json["errors"]["items"], (name, response.json)
    for name, body in {"no items key": {}, "text not a string": {"items": [{"text": 5}]},
                       "id a string": {"items": [{"id": "1", "text": "x"}]}}.items():
        response = safety.put(f"{URL}/{fire_copy['id']}/items", json=body)
        assert response.status_code == 422 and response.json["message"], name
    assert [i["text"] for i in safety.get(f"{URL}/{fire_copy['id']}").json["items"]] == FIRE
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ChecklistItem).where(
            ChecklistItem.template_id == fire_copy["id"])) == len(FIRE)


def test_a_retired_item_cannot_come_back_by_id(world, login, fire_copy):
    safety = login("safety")
    first = fire_copy["items"][0]
    safety.put(f"{URL}/{fire_copy['id']}/items", json={"items": [{"text": "新的检查项？"}]})
    response = safety.put(f"{URL}/{fire_copy['id']}/items", json={"items": [first]})
    assert response.status_code == 422 and "id" in response.json["errors"]["items"]["0"]


def test_rename_is_checked_and_on_record(world, login, fire_copy):
    safety = login("safety")
    renamed = patch(safety, f"{URL}/{fire_copy['id']}", {"name": " 甲小学消防检查表 "})
    assert renamed.status_code == 200 and renamed.json["name"] == "甲小学消防检查表"
    assert patch(safety, f"{URL}/{fire_copy['id']}", {"name": "  "}).status_code == 422
    second = copy(safety, fire_copy["id"], world.school_a_id, name="甲小学消防检查表")
    assert second.status_code == 409 and second.json["error"] == "duplicate_template"
    entry = safety.get(f"{URL}/{fire_copy['id']}/history").json[-1]
    assert entry["before"] == {"name": DEFAULT_TEMPLATES["fire"].name} and entry["after"] == {"name": "甲小学消防检查表"}


def test_an_edit_retried_with_its_key_is_applied_once(world, login, fire_copy):
    safety = login("safety")
    key = str(uuid.uuid4())
    body = {"items": [{"text": "灭火器在位？"}, {"id": fire_copy["items"][1]["id"], "text": FIRE[1]}]}
    first = safety.put(f"{URL}/{fire_copy['id']}/items", json=body, headers={"Idempotency-Key": key})
    again = safety.put(f"{URL}/{fire_copy['id']}/items", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json == first.json
    assert len(safety.get(f"{URL}/{fire_copy['id']}").json["items"]) == 2


def test_unknown_category_filter_is_refused(world, login):
    response = login("safety").get(f"{URL}?category=rocket")
    assert response.status_code == 422 and response.json["message"]
