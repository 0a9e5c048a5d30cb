"""Patrol quality: inspections that look not done on the spot are flagged, shown to the school and county, never refused."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.inspections.models import InspectionFlag
from app.inspections.quality import metres
from app.points.models import RiskPoint
from tests.conftest import answers
from tests.hazard_helpers import photo

#: an hour after the `world` was made: its points exist
T0 = datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(hours=1)
DAY = T0.astimezone(ZoneInfo("Asia/Shanghai")).date()


def iso(moment: datetime) -> str:
    return moment.isoformat()


def submit(client, token, captured: datetime, opened: datetime | None = None, sent: datetime | None = None,
           **overrides) -> int:
    """Record an inspection made at `captured`, sent a few seconds later (or at `sent`)."""
    failure = overrides.pop("failure", None)
    body = answers(client, token, "fail" if failure else "pass", captured_at=iso(captured), **overrides)
    for item in body["results"] if failure else []:
        item["note"] = failure
    if opened is not None:
        body["opened_at"] = iso(opened)
    with time_machine.travel(sent or captured + timedelta(seconds=3), tick=False):
        got = client.post("/api/inspections", json=body)
    assert got.status_code == 201, got.json  # flagged or not, the inspection is kept
    return got.json["id"]


def flags(app, inspection_id: int) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(sa.select(InspectionFlag.kind, InspectionFlag.detail)
                                       .where(InspectionFlag.inspection_id == inspection_id)).all())


@pytest.fixture
def placed(app, world):
    """The river is by the south wall, 300 m from the teaching building's extinguisher."""
    with app.app_context():
        fire, water = db.session.get(RiskPoint, world.fire_a.id), db.session.get(RiskPoint, world.water_a.id)
        fire.latitude, fire.longitude = 30.0000, 120.0000
        water.latitude, water.longitude, water.location = 29.9973, 120.0000, "南墙外"
        db.session.commit()
    return world


def test_distance_is_in_metres():
    assert metres(30.0, 120.0, 29.9973, 120.0) == pytest.approx(300, abs=2)
    assert metres(30.0, 120.0, 30.0, 120.0) == 0


def test_two_places_seconds_apart_flag_the_second(app, placed, login):
    patroller = login("patroller")
    first = submit(patroller, placed.fire_a.token, T0)
    second = submit(patroller, placed.water_a.token, T0 + timedelta(seconds=12))
    assert flags(app, first) == {}
    assert list(flags(app, second)) == ["rushed"]
    assert '"seconds": 12.0' in flags(app, second)["rushed"] and '"metres": 300' in flags(app, second)["rushed"]
    # a walk of a minute is possible
    later = submit(patroller, placed.fire_a.token, T0 + timedelta(seconds=90))
    assert "rushed" not in flags(app, later)


def test_an_offline_queue_is_judged_by_when_each_check_was_made(app, placed, login):
    patroller = login("patroller")
    submit(patroller, placed.fire_a.token, T0 - timedelta(hours=3), sent=T0)
    # delivered together, but made an hour apart: fine
    assert flags(app, submit(patroller, placed.water_a.token, T0 - timedelta(hours=2), sent=T0)) == {}
    # made seconds apart, delivered together: flagged all the same
    assert list(flags(app, submit(patroller, placed.fire_a.token, T0 - timedelta(hours=2) + timedelta(seconds=9),
                                  sent=T0))) == ["rushed"]


def test_an_all_pass_checklist_in_a_few_seconds_is_too_fast(app, placed, login):
    patroller = login("patroller")
    fast = submit(patroller, placed.fire_a.token, T0, opened=T0 - timedelta(seconds=3))
    assert list(flags(app, fast)) == ["too_fast"]
    careful = submit(patroller, placed.fire_a.token, T0 + timedelta(minutes=5), opened=T0 + timedelta(minutes=4))
    assert flags(app, careful) == {}
    # a failure found quickly is no sign of not looking
    failing = submit(patroller, placed.fire_a.token, T0 + timedelta(minutes=9), failure="压力不足",
                     opened=T0 + timedelta(minutes=9) - timedelta(seconds=2))
    assert flags(app, failing) == {}
    # opened after it was recorded: the phone's times are nonsense
    wrong = patroller.post("/api/inspections", json=answers(
        patroller, placed.fire_a.token, captured_at=iso(T0), opened_at=iso(T0 + timedelta(seconds=5))))
    assert wrong.status_code == 422 and "opened_at" in wrong.json["errors"]


def test_a_phone_far_from_the_point_is_flagged(app, placed, login):
    patroller = login("patroller")
    far = submit(patroller, placed.fire_a.token, T0, location={"latitude": 30.01, "longitude": 120.0, "accuracy": 20})
    assert list(flags(app, far)) == ["far_away"] and '"metres": 1112' in flags(app, far)["far_away"]
    near = submit(patroller, placed.fire_a.token, T0 + timedelta(minutes=5),
                  location={"latitude": 30.0004, "longitude": 120.0, "accuracy": 15})
    assert flags(app, near) == {}
    # the phone says it may be 1.5 km off: no grounds to say it was elsewhere
    vague = submit(patroller, placed.fire_a.token, T0 + timedelta(minutes=10),
                   location={"latitude": 30.01, "longitude": 120.0, "accuracy": 1500})
    assert flags(app, vague) == {}


def test_the_same_photo_twice_is_flagged(app, placed, login):
    patroller = login("patroller")
    shot = photo(patroller, seed=7)
    first = submit(patroller, placed.fire_a.token, T0, photo_ids=[shot])
    again = submit(patroller, placed.fire_a.token, T0 + timedelta(days=1), photo_ids=[shot])
    resized = submit(patroller, placed.water_a.token, T0 + timedelta(days=2),
                     photo_ids=[photo(patroller, seed=7, size=(128, 96))])
    other = submit(patroller, placed.water_a.token, T0 + timedelta(days=3), photo_ids=[photo(patroller, seed=8)])
    assert flags(app, first) == {} and flags(app, other) == {}
    assert list(flags(app, again)) == ["photo_reused"] and list(flags(app, resized)) == ["photo_reused"]
    assert f'"other_inspection_id": {first}' in flags(app, again)["photo_reused"]


def test_reports_show_the_flags_to_the_school_and_the_county(app, placed, login):
    patroller = login("patroller")
    submit(patroller, placed.fire_a.token, T0)
    flagged = submit(patroller, placed.water_a.token, T0 + timedelta(seconds=5), opened=T0)
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        safety, county = login("safety"), login("county")
        daily = county.get(f"/api/reports/daily?period={DAY}").json
        weekly = safety.get(f"/api/reports/weekly?period={DAY}").json
        monthly = county.get(f"/api/reports/monthly?period={DAY:%Y-%m}").json
    a = next(s for s in daily["schools"] if s["id"] == placed.school_a_id)
    assert (a["inspections"], a["flagged"], daily["total"]["flagged"]) == (2, 1, 1)
    [entry] = weekly["flags"]
    assert (entry["inspection_id"], entry["point"], entry["inspector"]) == (flagged, "南侧河道", "patroller")
    assert sorted(f["kind"] for f in entry["flags"]) == ["rushed", "too_fast"]
    assert {s["name"]: s["flagged"] for s in monthly["schools"]} == {"甲小学": 1, "乙中学": 0}
