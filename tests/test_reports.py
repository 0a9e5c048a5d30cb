"""The daily, weekly and monthly reports against a small scenario worked out by hand.

The county of the `world` fixture, made on Wed 2026-10-28 09:00 (Asia/Shanghai), with one
more point at school A: 配电房, orange (twice a week). Week 44 runs Mon 10-26 to Sun 11-01,
so it straddles the end of October; the clock then stops at Tue 11-03 12:00.

Inspections (local times):
- 南侧河道 (A, red, daily): 10-29 08:00, 10-30 23:30, 10-31 23:59 (one item fails), 11-01 00:10
  -- the last two are 11 minutes apart across midnight, and across the month's end.
- 教学楼灭火器 (A, yellow, weekly): 10-30 10:00.  配电房 (A, orange): 10-29 10:00 only.
- 宿舍疏散通道 (B, red): never.
Hazards:
- h1 (A, building, yellow): reported 10-30 10:00, assigned 11:00 with deadline 11-01 12:00,
  rectified 10-31 09:00, closed out 11-02 10:00 (72 h after its report).
- h3 (A, water, red): from the failed item at 10-31 23:59; nobody assigns it.
- h2 (B, building, yellow): reported 11-02 09:00, assigned with deadline 11-02 18:00, never rectified;
  put under listed supervision by the county.
An escalation of B's point reached the township on 11-02 10:00.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from app.escalation.models import Escalation, EscalationStep
from app.extensions import db
from app.hazards.models import Hazard, State
from app.orgs.models import OrgUnit
from app.points.models import RiskPoint
from app.points.services import create_point
from app.reports.models import CompletionSnapshot, HazardSnapshot
from app.checklists.services import ensure_default_templates
from tests.conftest import answers
from tests.hazard_helpers import done, photo, report

CN = ZoneInfo("Asia/Shanghai")
MADE = datetime(2026, 10, 28, 9, 0, tzinfo=CN)
NOW = datetime(2026, 11, 3, 12, 0, tzinfo=CN)


def at(month, day, hour, minute=0):
    return time_machine.travel(datetime(2026, month, day, hour, minute, tzinfo=CN), tick=False)


@pytest.fixture
def scene(app, request, login):
    with at(10, 28, 9):
        world = request.getfixturevalue("world")
        with app.app_context():
            school_a = db.session.get(OrgUnit, world.school_a_id)
            template = ensure_default_templates()["electrical"]
            world.power_a = create_point(school_a, "配电房", "electrical", "orange", template).token
            db.session.commit()
        patroller, teacher, safety, county, patroller_b = map(
            login, ("patroller", "teacher", "safety", "county", "patroller_b"))

    def inspect(client, token, **kw):
        got = client.post("/api/inspections", json=answers(client, token, **kw))
        assert got.status_code == 201, got.json

    with at(10, 29, 8):
        inspect(patroller, world.water_a.token)
    with at(10, 29, 10):
        inspect(patroller, world.power_a)
    with at(10, 30, 10):
        inspect(patroller, world.fire_a.token)
        world.h1 = report(teacher, urgency="normal", category="building")["id"]
    with at(10, 30, 11):
        done(safety, world.h1, "assign", rectifier_id=world.user_ids["teacher"],
             deadline="2026-11-01T12:00:00+08:00")
    with at(10, 30, 23, 30):
        inspect(patroller, world.water_a.token)
    with at(10, 31, 9):
        done(teacher, world.h1, "rectify", note="修好了", photo_ids=[photo(teacher)])
    with at(10, 31, 23, 59):
        scan = patroller.get(f"/api/scan/{world.water_a.token}").json
        results = [{"item_id": i["id"], "result": "pass"} for i in scan["items"]]
        results[0].update(result="fail", note="护栏缺失一段")
        world.failed_item = scan["items"][0]["text"]
        assert patroller.post("/api/inspections", json={"token": world.water_a.token, "results": results}) \
            .status_code == 201
    with at(11, 1, 0, 10):
        inspect(patroller, world.water_a.token)
    with at(11, 2, 9):
        world.h2 = report(patroller_b, urgency="normal", category="building")["id"]
        done(county, world.h2, "assign", rectifier_id=world.user_ids["patroller_b"],
             deadline="2026-11-02T18:00:00+08:00")
    with at(11, 2, 9, 30):
        done(county, world.h2, "supervise", note="挂牌督办")
    with at(11, 2, 10):
        done(login("principal"), world.h1, "verify", note="验收合格")
        with app.app_context():
            escalation = Escalation(subject="point", subject_id=world.dorm_b.id, trigger="point_overdue",
                                    began_at=datetime(2026, 10, 29, tzinfo=CN), school_id=world.school_b_id,
                                    risk_level="red", level=3, last_step_at=datetime(2026, 11, 2, 10, tzinfo=CN))
            db.session.add(escalation)
            db.session.flush()
            db.session.add(EscalationStep(escalation_id=escalation.id, level=3,
                                          at=datetime(2026, 11, 2, 10, tzinfo=CN)))
            db.session.commit()
    return world


def get(login, username, url):
    """GET as this person, logged in at NOW."""
    with time_machine.travel(NOW, tick=False):
        got = login(username).get(url)
    assert got.status_code == 200, got.json
    return got.json


def pick(figures: dict, *keys) -> tuple:
    return tuple(figures[k] for k in keys)


COMPLETION = ("asked", "done", "periods", "met", "missed", "rate")
HAZARDS = ("reported", "assigned", "closed", "open_at_end", "overdue_at_end", "due", "on_time", "on_time_rate")


def test_the_monthly_report_of_october(scene, login):
    got = get(login, "county", "/api/reports/monthly?period=2026-10")
    a, b = (next(s for s in got["schools"] if s["id"] == i) for i in (scene.school_a_id, scene.school_b_id))
    # river: days 10-28 .. 10-31, missed the day it was made; the weekly and orange points' week ends in November
    assert pick(a["completion"], *COMPLETION) == (4, 3, 4, 3, 1, 0.75)
    assert pick(b["completion"], *COMPLETION) == (4, 0, 4, 0, 4, 0.0)
    # h1 and h3 reported in October, both open when it ended; h1's deadline is in November
    assert pick(a["hazards"], *HAZARDS) == (2, 1, 0, 2, 0, 0, 0, None)
    assert (a["rank"], b["rank"]) == (1, 2) and (a["township"], b["township"]) == ("一镇", "二乡")
    assert pick(got["total"]["completion"], *COMPLETION) == (8, 3, 8, 3, 5, 0.375)
    assert [t["name"] for t in got["townships"]] == ["一镇", "二乡"]
    assert got["escalations"] == [] and got["supervised"] == []
    assert [m["period"] for m in got["trend"]] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert got["trend"][-1]["completion"]["rate"] == 0.375 and got["trend"][0]["completion"]["asked"] == 0


def test_the_monthly_report_of_november_so_far(scene, login):
    got = get(login, "county", "/api/reports/monthly?period=2026-11")
    a, b = got["schools"]  # ranked: A first
    assert (a["id"], a["rank"], b["id"], b["rank"]) == (scene.school_a_id, 1, scene.school_b_id, 2)
    # ended by 11-03 00:00: river 11-01 (done at 00:10), 11-02 (missed); week 44 of the weekly (done 10-30)
    # and of the orange point (asked 2, got 1)
    assert pick(a["completion"], *COMPLETION) == (5, 3, 4, 2, 2, 0.6)
    assert pick(b["completion"], *COMPLETION) == (2, 0, 2, 0, 2, 0.0)
    # h1 closed out, rectified before its deadline; h3 still open. h2 past its deadline, never rectified
    assert pick(a["hazards"], *HAZARDS) == (0, 0, 1, 1, 0, 1, 1, 1.0)
    assert pick(b["hazards"], *HAZARDS) == (1, 1, 0, 1, 1, 1, 0, 0.0)
    assert [h["id"] for h in got["supervised"]] == [scene.h2]
    assert got["supervised"][0]["school"] == "乙中学" and got["supervised"][0]["state"] == "assigned"
    [escalation] = got["escalations"]
    assert (escalation["level"], escalation["school"], escalation["title"]) == (3, "乙中学", "宿舍疏散通道")
    assert escalation["at"].startswith("2026-11-02T02:00:00")


def test_the_weekly_brief_of_week_44(scene, login):
    got = get(login, "safety", "/api/reports/weekly?period=2026-W44")
    assert (got["first_day"], got["last_day"]) == ("2026-10-26", "2026-11-01")
    # river 10-28..11-01 (5 days, missed 10-28), weekly 1 of 1, orange 1 of 2
    assert pick(got["completion"], *COMPLETION) == (8, 6, 7, 5, 2, 0.75)
    assert pick(got["hazards"], *HAZARDS) == (2, 1, 0, 2, 0, 1, 1, 1.0)
    assert got["hazards"]["mean_close_out_hours"] is None
    assert [(c["key"], c["reported"], c["open_at_end"]) for c in got["by_category"]] == [
        ("building", 1, 1), ("water", 1, 1)]
    assert {(c["key"], c["reported"]) for c in got["by_level"]} == {("yellow", 1), ("red", 1)}
    assert got["top_failed_items"] == [{"item": scene.failed_item, "failures": 1, "points": 1}]
    assert got["not_inspected"] == []
    assert [(d["date"], d["inspections"], d["failed_items"]) for d in got["days"]] == [
        ("2026-10-26", 0, 0), ("2026-10-27", 0, 0), ("2026-10-28", 0, 0), ("2026-10-29", 2, 0),
        ("2026-10-30", 2, 0), ("2026-10-31", 1, 1), ("2026-11-01", 1, 0)]


def test_the_weekly_brief_of_this_week_so_far(scene, login):
    got = get(login, "safety", "/api/reports/weekly")
    assert got["period"] == "2026-W45"
    assert [p["name"] for p in got["not_inspected"]] == sorted(["南侧河道", "教学楼灭火器", "配电房"])
    assert got["hazards"]["closed"] == 1 and got["hazards"]["mean_close_out_hours"] == 72.0
    # periods ended so far this week: the river's Monday (missed); Tuesday has not ended
    assert pick(got["completion"], *COMPLETION) == (1, 0, 1, 0, 1, 0.0)


def test_the_daily_view_across_midnight_and_the_month_end(scene, login):
    oct31 = get(login, "county", "/api/reports/daily?period=2026-10-31")
    nov1 = get(login, "county", "/api/reports/daily?period=2026-11-01")
    nov2 = get(login, "county", "/api/reports/daily?period=2026-11-02")
    figures = ("points", "due", "inspected", "overdue", "inspections", "failed_items",
               "hazards_reported", "hazards_assigned", "hazards_closed")
    school = lambda report, i: next(s for s in report["schools"] if s["id"] == i)  # noqa: E731
    # 10-31: river due and inspected (23:59, failing); orange still owes one this week; yellow done this week
    assert pick(school(oct31, scene.school_a_id), *figures) == (3, 2, 1, 0, 1, 1, 1, 0, 0)
    # 11-01: the river at 00:10; the orange point still owes one, and the week ends with the day: overdue
    assert pick(school(nov1, scene.school_a_id), *figures) == (3, 2, 1, 1, 1, 0, 0, 0, 0)
    # 11-02: a new week; nothing inspected: the river misses its day and is overdue when it ends, the orange
    # point still is; the yellow one is due by Sunday
    assert pick(school(nov2, scene.school_a_id), *figures) == (3, 3, 0, 2, 0, 0, 0, 0, 1)
    assert pick(school(nov2, scene.school_b_id), *figures) == (1, 1, 0, 1, 0, 0, 1, 1, 0)
    assert pick(nov2["total"], *figures) == (4, 4, 0, 3, 0, 0, 1, 1, 1)


def test_a_schools_daily_lists_its_points_overdue_first(scene, login):
    got = get(login, "safety", "/api/reports/daily?period=2026-11-02")
    assert [s["id"] for s in got["schools"]] == [scene.school_a_id]
    assert [(p["name"], p["overdue"]) for p in got["points"]] == [
        ("南侧河道", True), ("配电房", True), ("教学楼灭火器", False)]


def test_todays_overdue_points_agree_with_their_due_times(scene, login, app):
    """The replay of due times for a past moment and the stored due time must say the same for now."""
    got = get(login, "county", "/api/reports/daily")
    assert got["period"] == "2026-11-03"
    with app.app_context():
        stored = {pid for pid, due in db.session.execute(sa.select(RiskPoint.id, RiskPoint.due_at))
                  if due <= NOW}
    mine = set()
    for school_id in (scene.school_a_id, scene.school_b_id):
        day = get(login, "county", f"/api/reports/daily?unit_id={school_id}")
        mine |= {p["id"] for p in day["points"] if p["overdue"]}
    assert mine == stored and len(stored) == 3


def test_scope_and_bad_input(scene, login):
    with time_machine.travel(NOW, tick=False):
        safety, township, county = login("safety"), login("township"), login("county")
        assert safety.get(f"/api/reports/daily?unit_id={scene.school_b_id}").status_code == 404
        assert township.get(f"/api/reports/monthly?unit_id={scene.school_b_id}").status_code == 404
        assert login("patroller").get("/api/reports/daily").status_code == 403
        weekly = county.get("/api/reports/weekly")
        assert weekly.status_code == 422 and weekly.json["error"] == "wrong_unit_kind"
        assert county.get("/api/reports/monthly?period=2026-13").json["error"] == "bad_period"
        assert county.get("/api/reports/daily?period=2026-11-04").json["error"] == "future_period"
        assert county.get("/api/reports/weekly?period=11-2026").status_code == 422
        mine = township.get("/api/reports/monthly").json
    assert [s["name"] for s in mine["schools"]] == ["甲小学"] and mine["townships"] == []


def test_a_finished_month_stands_as_first_read(scene, login, app):
    before = get(login, "county", "/api/reports/monthly?period=2026-10")
    with app.app_context():  # the river is retired afterwards: October's figures stand, November's change
        db.session.get(RiskPoint, scene.water_a.id).active = False
        db.session.commit()
    after = get(login, "county", "/api/reports/monthly?period=2026-10")
    assert after["schools"] == before["schools"]
    november = get(login, "county", "/api/reports/monthly?period=2026-11")
    a = next(s for s in november["schools"] if s["id"] == scene.school_a_id)
    assert a["completion"]["asked"] == 3  # the weekly point's 1 and the orange point's 2


def kept_months(app, model) -> dict[str, set[int]]:
    """The schools with figures kept, per month ("2026-10")."""
    with app.app_context():
        found: dict[str, set[int]] = {}
        for school_id, first in db.session.execute(sa.select(model.school_id, model.first)):
            found.setdefault(f"{first:%Y-%m}", set()).add(school_id)
        return found


def test_the_escalation_loop_keeps_each_month_as_it_ends(scene, app, login, runner):
    schools = {scene.school_a_id, scene.school_b_id}
    with time_machine.travel(NOW, tick=False):
        first = runner.invoke(args=["escalate", "--now", NOW.isoformat()])
    assert first.exit_code == 0, first.output
    assert "kept the month's figures of 测试县 2026-10: 2 schools" in first.output
    six_months = {"2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}
    for model in (CompletionSnapshot, HazardSnapshot):
        assert kept_months(app, model) == {month: schools for month in six_months}
    again = runner.invoke(args=["escalate", "--now", NOW.isoformat()])
    assert again.exit_code == 0 and "kept the month's figures" not in again.output  # nothing left to close
    december = datetime(2026, 12, 1, 0, 5, tzinfo=CN)
    with time_machine.travel(december, tick=False):
        later = runner.invoke(args=["escalate", "--now", december.isoformat()])
    assert [line for line in later.output.splitlines() if line.startswith("kept")] == [
        "kept the month's figures of 测试县 2026-11: 2 schools"]  # only the month just ended
    # what was kept is what the report computes (the same figures as worked out by hand above)
    got = get(login, "county", "/api/reports/monthly?period=2026-10")
    a = next(s for s in got["schools"] if s["id"] == scene.school_a_id)
    assert pick(a["completion"], *COMPLETION) == (4, 3, 4, 3, 1, 0.75)
    assert pick(a["hazards"], *HAZARDS) == (2, 1, 0, 2, 0, 0, 0, None)


def test_a_closed_months_hazards_stand_as_closed(scene, app, login):
    october = get(login, "county", "/api/reports/monthly?period=2026-10")
    with app.app_context():  # h3 is voided (a false report) after October was closed
        db.session.execute(sa.update(Hazard).where(Hazard.school_id == scene.school_a_id, Hazard.id != scene.h1)
                           .values(state=State.VOIDED))
        db.session.commit()
    again = get(login, "county", "/api/reports/monthly?period=2026-10")
    assert again["schools"] == october["schools"] and again["trend"] == october["trend"]
    november = get(login, "county", "/api/reports/monthly?period=2026-11")
    a = next(s for s in november["schools"] if s["id"] == scene.school_a_id)
    assert a["hazards"]["open_at_end"] == 0  # the month still running counts without h3
    assert november["trend"][-2] == october["trend"][-1]  # October as kept
