"""Each point's due time over the API: kept on inspection and change, overdue first, the refresh command."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import answers

ZONE = ZoneInfo("Asia/Shanghai")


def today() -> date:
    return datetime.now(ZONE).date()


def local_day(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone(ZONE).date()


def point(client, point_id: int) -> dict:
    response = client.get(f"/api/points/{point_id}")
    assert response.status_code == 200, response.json
    return response.json


def test_a_daily_point_is_due_today_and_done_once_inspected(world, login):
    patroller = login("patroller")
    red = point(patroller, world.water_a.id)  # red: daily by default
    assert red["due"]["state"] == "due"
    assert local_day(red["due"]["due_at"]) == today() + timedelta(days=1)  # overdue from midnight
    assert patroller.post("/api/inspections", json=answers(patroller, world.water_a.token)).status_code == 201
    done = point(patroller, world.water_a.id)["due"]
    assert (done["state"], local_day(done["due_at"])) == ("not_due", today() + timedelta(days=2))


def test_a_yellow_point_is_weekly_by_default(world, login):
    due = point(login("patroller"), world.fire_a.id)["due"]  # yellow
    monday_next = today() + timedelta(days=7 - today().weekday())
    assert (due["state"], local_day(due["due_at"])) == ("due", monday_next)


def test_a_change_of_cadence_or_retirement_moves_the_due_time(world, login):
    safety = login("safety")
    changed = safety.client.patch(f"/api/points/{world.water_a.id}", json={"frequency": "monthly"},
                                  headers={"X-CSRF-Token": safety.csrf_token})
    assert changed.status_code == 200, changed.json
    first_of_next_month = (today().replace(day=1) + timedelta(days=32)).replace(day=1)
    assert local_day(changed.json["due"]["due_at"]) == first_of_next_month
    retired = safety.post(f"/api/points/{world.water_a.id}/retire", json={"reason": "河道已填平"})
    assert retired.status_code == 200
    assert point(safety, world.water_a.id)["due"] == {"state": "none", "due_at": None, "missed_periods": 0}


def test_seasons_and_school_days_are_kept_and_checked(world, login):
    safety = login("safety")
    body = {"school_id": world.school_a_id, "name": "东侧池塘", "category": "water", "risk_level": "blue",
            "school_days_only": True,
            "seasons": [{"frequency": "daily", "vacation": "暑假"}, {"frequency": "weekly", "start": [4, 1],
                                                                        "end": [10, 31]}]}
    created = safety.post("/api/points", json=body)
    assert created.status_code == 201, created.json
    assert created.json["seasons"] == body["seasons"] and created.json["school_days_only"] is True
    assert created.json["due"]["state"] in ("due", "not_due")
    for bad in ({"frequency": "daily"}, {"frequency": "daily", "vacation": "暑假", "start": [4, 1], "end": [5, 1]},
                {"frequency": "daily", "start": [2, 30], "end": [3, 1]}, {"frequency": "hourly", "vacation": "暑假"},
                {"frequency": "daily", "start": [4, 1]}):
        response = safety.post("/api/points", json={**body, "name": "另一个池塘", "seasons": [bad]})
        assert response.status_code == 422, bad
        assert "seasons" in response.json["errors"]


def test_overdue_points_come_first_and_can_be_listed_alone(app, world, login, runner):
    three_days_ago = (datetime.now(ZONE) - timedelta(days=3)).isoformat()
    result = runner.invoke(args=["schedules", "refresh", "--now", three_days_ago])
    assert result.exit_code == 0, result.output
    assert "3 points refreshed" in result.output
    county = login("county")
    listed = county.get("/api/points?order=due").json
    overdue = [p for p in listed if p["due"]["state"] == "overdue"]
    weekly_missed = (today() - timedelta(days=3)).isocalendar()[:2] != today().isocalendar()[:2]
    expected = {world.water_a.id, world.dorm_b.id} | ({world.fire_a.id} if weekly_missed else set())
    assert {p["id"] for p in overdue} == expected  # the red, daily ones; the weekly one if its week ended
    assert listed[:len(overdue)] == overdue
    water = next(p for p in overdue if p["id"] == world.water_a.id)
    assert water["due"]["missed_periods"] == 3  # three days gone by without an inspection
    assert [p["id"] for p in county.get("/api/points?overdue=true&order=due").json] == [p["id"] for p in overdue]
    # inspecting ends it
    patroller = login("patroller")
    assert patroller.post("/api/inspections", json=answers(patroller, world.water_a.token)).status_code == 201
    assert {p["id"] for p in county.get("/api/points?overdue=true").json} == expected - {world.water_a.id}


def test_the_refresh_command_refuses_a_time_without_its_offset(runner, world):
    result = runner.invoke(args=["schedules", "refresh", "--now", "2026-11-25T08:00:00"])
    assert result.exit_code != 0 and "offset" in result.output
    result = runner.invoke(args=["schedules", "refresh", "--now", "tomorrow"])
    assert result.exit_code != 0 and "ISO 8601" in result.output
