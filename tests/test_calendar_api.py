"""A county's school calendar and level cadences over the API: who may change them, the rules, due times follow."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.accounts.services import create_user
from app.audit.models import AuditEntry
from app.extensions import db
from app.orgs.models import OrgKind
from app.orgs.services import add_org_unit
from app.schedules.calendar import DayKind, Entry, SchoolCalendar
from app.schedules.services import county_rules, forget
from tests.conftest import PASSWORD

ZONE = ZoneInfo("Asia/Shanghai")
NATIONAL_DAY_2027 = {"kind": "holiday", "start": "2027-10-01", "end": "2027-10-07", "name": "国庆节"}


def today() -> date:
    return datetime.now(ZONE).date()


def local_day(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone(ZONE).date()


def audits(app, entity: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)))


def first_school_day(calendar: SchoolCalendar, day: date) -> date:
    while not calendar.is_school_day(day):
        day += timedelta(days=1)
    return day


# the calendar


def test_anyone_reads_the_calendar_and_whether_the_year_is_known(world, login):
    patroller = login("patroller")
    assert patroller.get("/api/calendar?year=2027").json == {"year": 2027, "statutory_known": False, "entries": []}
    assert patroller.get("/api/calendar?year=2026").json["statutory_known"] is True
    assert patroller.get("/api/calendar").json["year"] == today().year
    assert patroller.get("/api/calendar?year=1900").status_code == 422


def test_a_county_admin_enters_and_removes_entries_on_record(app, world, login):
    county = login("county")
    created = county.post("/api/calendar", json=NATIONAL_DAY_2027)
    assert created.status_code == 201, created.json
    assert {k: created.json[k] for k in ("kind", "start", "end", "name")} == NATIONAL_DAY_2027
    single = county.post("/api/calendar", json={"kind": "workday", "start": "2027-09-26"})  # end: the same day
    assert (single.status_code, single.json["end"]) == (201, "2027-09-26")
    listed = login("patroller").get("/api/calendar?year=2027").json["entries"]
    assert [e["start"] for e in listed] == ["2027-09-26", "2027-10-01"]
    assert county.get("/api/calendar?year=2028").json["entries"] == []

    assert county.delete(f"/api/calendar/{created.json['id']}").status_code == 204
    assert county.delete(f"/api/calendar/{created.json['id']}").status_code == 404
    trail = audits(app, "calendar_entry")
    assert [(a.action, a.entity_id) for a in trail] == [
        ("create", created.json["id"]), ("create", single.json["id"]), ("delete", created.json["id"])]
    assert json.loads(trail[0].after) == {"county_id": world.county_id, **NATIONAL_DAY_2027}
    assert json.loads(trail[2].before)["name"] == "国庆节" and trail[2].actor_id == world.user_ids["county"]


@pytest.mark.parametrize("username", ["safety", "principal", "township", "patroller"])
def test_only_county_admins_change_the_calendar(world, login, username):
    entry = login("county").post("/api/calendar", json=NATIONAL_DAY_2027).json
    other = login(username)
    refused = other.post("/api/calendar", json={**NATIONAL_DAY_2027, "start": "2027-12-01", "end": "2027-12-01"})
    assert (refused.status_code, refused.json["error"]) == (403, "forbidden")
    assert other.delete(f"/api/calendar/{entry['id']}").status_code == 403
    assert len(other.get("/api/calendar?year=2027").json["entries"]) == 1


def test_another_countys_entries_are_neither_seen_nor_removed(app, world, login):
    with app.app_context():
        elsewhere = add_org_unit(OrgKind.COUNTY, "邻县")
        create_user("county2", "邻县安全股", Role.COUNTY_ADMIN, elsewhere, PASSWORD)
        db.session.commit()
    theirs = login("county2").post("/api/calendar", json=NATIONAL_DAY_2027).json
    ours = login("county")
    assert ours.get("/api/calendar?year=2027").json["entries"] == []
    assert ours.delete(f"/api/calendar/{theirs['id']}").status_code == 404
    assert ours.post("/api/calendar", json=NATIONAL_DAY_2027).status_code == 201  # no overlap across counties


@pytest.mark.parametrize("body,field,message", [
    ({"kind": "holiday", "start": "2027-10-07", "end": "2027-10-01"}, "end", "must not be before start"),
    ({"kind": "holiday", "start": "2027-01-01", "end": "2027-07-20"}, "end", "at most 200 days"),
    ({"kind": "vacation", "start": "2027-01-01", "end": "2027-07-20", "name": "长假"}, "end", "at most 200 days"),
    ({"kind": "workday", "start": "2027-10-09", "end": "2027-10-16"}, "end", "at most 7 days"),
    ({"kind": "vacation", "start": "2027-07-10", "end": "2027-08-31"}, "name", "a vacation needs its name"),
    ({"kind": "vacation", "start": "2027-07-10", "end": "2027-08-31", "name": " "}, "name",
     "a vacation needs its name"),
    ({"kind": "holiday", "start": "2027-10-07", "end": "2027-10-08"}, "start", "overlaps the holiday 国庆节"),
    ({"kind": "workday", "start": "2027-10-02"}, "start", "overlaps the holiday 国庆节"),  # a day is off or worked
    ({"kind": "term", "start": "2027-10-02"}, "kind", None),
    ({"kind": "holiday", "start": "2027-02-30"}, "start", None),
])
def test_entries_that_break_the_rules_are_refused_with_the_field(world, login, body, field, message):
    county = login("county")
    assert county.post("/api/calendar", json=NATIONAL_DAY_2027).status_code == 201
    refused = county.post("/api/calendar", json=body)
    assert refused.status_code == 422, refused.json
    errors = refused.json["errors"].get("json", refused.json["errors"])  # the schema's errors, or the rules'
    assert field in errors
    if message:
        assert refused.json["error"] == "invalid_calendar_entry" and message in " ".join(errors[field])
    assert len(county.get("/api/calendar?year=2027").json["entries"]) == 1


def test_a_vacation_may_hold_holidays_and_make_up_days(world, login):
    county = login("county")
    assert county.post("/api/calendar", json={"kind": "vacation", "start": "2027-07-01", "end": "2027-08-31",
                                              "name": "暑假"}).status_code == 201
    assert county.post("/api/calendar", json={"kind": "holiday", "start": "2027-08-01"}).status_code == 201
    assert county.post("/api/calendar", json={"kind": "workday", "start": "2027-08-07"}).status_code == 201
    overlapping = county.post("/api/calendar", json={"kind": "vacation", "start": "2027-08-31", "end": "2027-09-01",
                                                     "name": "返校"})
    assert overlapping.status_code == 422 and "overlaps the vacation 暑假" in overlapping.json["errors"]["start"][0]


def test_entries_for_2027_decide_the_school_days_that_chinese_calendar_does_not_know(app, world, login):
    friday, sunday = date(2027, 10, 1), date(2027, 9, 26)
    with app.app_context():
        forget(world.county_id)  # read the calendar anew, not a cached copy
        before, _ = county_rules(world.county_id)
    assert before.is_school_day(friday) and not before.is_school_day(sunday)  # weekends only: no data for 2027
    county = login("county")
    assert county.post("/api/calendar", json=NATIONAL_DAY_2027).status_code == 201
    assert county.post("/api/calendar", json={"kind": "workday", "start": "2027-09-26",
                                              "name": "国庆调休"}).status_code == 201
    assert county.post("/api/calendar", json={"kind": "vacation", "start": "2027-07-10", "end": "2027-08-31",
                                              "name": "暑假"}).status_code == 201
    with app.app_context():
        after, _ = county_rules(world.county_id)  # the change dropped this worker's cache
    assert not after.is_school_day(friday) and after.is_school_day(sunday)
    assert not after.is_school_day(date(2027, 7, 12)) and after.vacation(date(2027, 7, 12)).name == "暑假"
    assert after.is_school_day(date(2027, 10, 8))


def test_a_holiday_on_the_day_a_school_days_point_is_due_moves_its_due_time(world, login):
    safety = login("safety")
    created = safety.post("/api/points", json={
        "school_id": world.school_a_id, "name": "晨检点", "category": "gate", "risk_level": "blue",
        "frequency": "daily", "school_days_only": True})
    assert created.status_code == 201, created.json
    due_day = local_day(created.json["due"]["due_at"]) - timedelta(days=1)  # overdue from the midnight after it
    assert due_day == first_school_day(SchoolCalendar(), today())
    holiday = {"kind": "holiday", "start": due_day.isoformat(), "end": (due_day + timedelta(days=2)).isoformat(),
               "name": "临时停课"}
    assert login("county").post("/api/calendar", json=holiday).status_code == 201
    moved = local_day(safety.get(f"/api/points/{created.json['id']}").json["due"]["due_at"]) - timedelta(days=1)
    with_holiday = SchoolCalendar([Entry(DayKind.HOLIDAY, due_day, due_day + timedelta(days=2), "临时停课")])
    assert moved > due_day + timedelta(days=2) and moved == first_school_day(with_holiday, today())


# the level cadences


def test_anyone_reads_the_cadences_with_the_defaults_filled_in(world, login):
    defaults = {"red": "daily", "orange": "twice_weekly", "yellow": "weekly", "blue": "biweekly"}
    assert login("patroller").get("/api/schedule-policy").json == {"level_frequencies": defaults,
                                                                   "defaults": defaults}


@pytest.mark.parametrize("username", ["safety", "principal", "township"])
def test_only_county_admins_set_the_cadences(world, login, username):
    refused = login(username).put("/api/schedule-policy", json={"level_frequencies": {"red": "weekly"}})
    assert refused.status_code == 403


def test_unknown_levels_and_cadences_are_refused_level_by_level(world, login):
    county = login("county")
    refused = county.put("/api/schedule-policy", json={"level_frequencies": {
        "purple": "daily", "blue": "hourly", "red": "weekly"}})
    assert refused.status_code == 422 and refused.json["error"] == "invalid_schedule_policy"
    errors = refused.json["errors"]["level_frequencies"]
    assert set(errors) == {"purple", "blue"} and "Not a risk level" in errors["purple"]["key"][0]
    assert "daily" in errors["blue"]["value"][0]
    assert county.get("/api/schedule-policy").json["level_frequencies"]["red"] == "daily"
    assert county.put("/api/schedule-policy", json={}).status_code == 422


def test_a_new_cadence_moves_the_due_times_of_the_level_on_record(app, world, login):
    county = login("county")
    assert local_day(county.get(f"/api/points/{world.water_a.id}").json["due"]["due_at"]) == today() + timedelta(1)
    changed = county.put("/api/schedule-policy", json={"level_frequencies": {"red": "weekly", "blue": "biweekly"}})
    assert changed.status_code == 200, changed.json
    assert changed.json["level_frequencies"] == {"red": "weekly", "orange": "twice_weekly", "yellow": "weekly",
                                                 "blue": "biweekly"}
    monday_next = today() + timedelta(days=7 - today().weekday())
    assert local_day(county.get(f"/api/points/{world.water_a.id}").json["due"]["due_at"]) == monday_next
    trail = audits(app, "schedule_policy")
    assert [(a.action, a.entity_id, json.loads(a.before), json.loads(a.after)) for a in trail] == [
        ("update", world.county_id, {"red": "daily"}, {"red": "weekly"})]
    assert county.put("/api/schedule-policy", json={"level_frequencies": {"red": "weekly"}}).status_code == 200
    assert len(audits(app, "schedule_policy")) == 1  # nothing changed: nothing on record
    assert county.put("/api/schedule-policy", json={"level_frequencies": {}}).status_code == 200  # back to defaults
    assert local_day(county.get(f"/api/points/{world.water_a.id}").json["due"]["due_at"]) == today() + timedelta(1)
