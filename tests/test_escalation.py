"""Escalation sweeps with time moved by hand: who is told at each level, once; what stops the climb."""

import threading
import time
from datetime import datetime, timedelta

import pytest
import time_machine
import sqlalchemy as sa

from app.escalation.models import Escalation, EscalationStep, Notification
from app.escalation.sweep import sweep
from app.extensions import db
from app.points.models import RiskPoint
from tests.conftest import answers
from tests.hazard_helpers import photo

HOUR = timedelta(hours=1)


def due_at(point_id: int) -> datetime:
    return db.session.get(RiskPoint, point_id).due_at


def run(app, now: datetime) -> None:
    with app.app_context():
        sweep(now)
        db.session.commit()


def told(app, point_id: int | None = None) -> list[tuple[str, int]]:
    """(username, level) of every notification sent (about one point's escalations), in order."""
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT u.username, s.level, e.subject, e.subject_id FROM notifications n JOIN users u ON u.id = n.user_id "
            "JOIN escalation_steps s ON s.id = n.step_id JOIN escalations e ON e.id = s.escalation_id "
            "ORDER BY n.id, u.username"))
        return [(r[0], r[1]) for r in rows if point_id is None or (r[2], r[3]) == ("point", point_id)]


@pytest.fixture
def water_due(app, world):
    """The red (daily) water point of school A, never inspected: when it becomes overdue."""
    with app.app_context():
        return due_at(world.water_a.id)


def test_an_overdue_point_climbs_one_level_per_step_and_tells_each_level_once(app, world, water_due):
    run(app, water_due - HOUR)
    assert told(app) == []  # not overdue yet
    run(app, water_due + timedelta(minutes=1))
    assert ("leader", 1) in told(app)  # the grid leader first
    run(app, water_due + timedelta(minutes=2))  # a second sweep adds nothing
    assert told(app).count(("leader", 1)) == 1
    run(app, water_due + 2 * HOUR + timedelta(minutes=1))  # red climbs every two hours
    assert {("safety", 2), ("principal", 2)} <= set(told(app))
    run(app, water_due + 4 * HOUR + timedelta(minutes=2))
    assert ("township", 3) in told(app)
    run(app, water_due + 6 * HOUR + timedelta(minutes=3))
    run(app, water_due + 8 * HOUR + timedelta(minutes=4))
    water = told(app, world.water_a.id)
    assert sorted(set(water), key=lambda t: (t[1], t[0])) == [("leader", 1), ("principal", 2), ("safety", 2),
                                                      ("township", 3), ("county", 4)]
    assert len(water) == len(set(water))  # nobody twice for the same step
    assert "patroller_b" not in [name for name, _ in told(app)]  # another school's people


def test_a_sweep_long_after_still_climbs_one_level_at_a_time(app, world, water_due):
    run(app, water_due + 30 * HOUR)  # the server was down all day
    with app.app_context():
        levels = db.session.scalars(sa.select(Escalation.level).where(Escalation.subject_id == world.water_a.id,
                                                                      Escalation.subject == "point")).all()
    assert levels == [1]


def test_inspecting_the_point_resolves_its_escalation(app, world, login, water_due):
    run(app, water_due + timedelta(minutes=1))
    patroller = login("patroller")
    assert patroller.post("/api/inspections", json=answers(patroller, world.water_a.token)).status_code == 201
    run(app, water_due + 3 * HOUR)
    with app.app_context():
        escalation = db.session.scalar(sa.select(Escalation).where(Escalation.subject_id == world.water_a.id,
                                                                   Escalation.subject == "point"))
        assert escalation.resolved_at is not None and escalation.level == 1
    assert ("safety", 2) not in told(app)


def test_an_acknowledgement_holds_the_climb(app, world, login, water_due):
    run(app, water_due + timedelta(minutes=1))
    acknowledged = water_due + timedelta(minutes=5)
    with time_machine.travel(acknowledged, tick=False):  # the hold runs from the moment of acknowledging
        leader = login("leader")
        mine = leader.get("/api/escalations?open=true&subject=point&subject_id=%d" % world.water_a.id).json
        assert [e["level"] for e in mine] == [1]
        patroller = login("patroller")
        refused = patroller.post(f"/api/escalations/{mine[0]['id']}/acknowledge", json={"note": "我来"})
        assert refused.status_code == 403
        assert leader.post(f"/api/escalations/{mine[0]['id']}/acknowledge", json={"note": ""}).status_code == 422
        held = leader.post(f"/api/escalations/{mine[0]['id']}/acknowledge", json={"note": "已安排人员今晚巡查"})
    assert held.status_code == 200, held.json
    assert held.json["steps"][0]["note"] == "已安排人员今晚巡查"
    with app.app_context():
        held_until = db.session.get(Escalation, mine[0]["id"]).held_until
    assert held_until > water_due + 2 * HOUR  # past the step the red point would otherwise have climbed at
    run(app, held_until - timedelta(minutes=1))
    assert ("safety", 2) not in told(app)
    run(app, held_until + timedelta(minutes=1))
    assert ("safety", 2) in told(app)


def test_a_red_failure_nobody_assigns_tells_the_school_at_once(app, world, login):
    patroller = login("patroller")
    body = answers(patroller, world.water_a.token)
    body["results"][0].update(result="fail", note="护栏断了", photo_ids=[photo(patroller)])
    assert patroller.post("/api/inspections", json=body).status_code == 201
    hazard = login("safety").get("/api/hazards").json[0]
    run(app, datetime.fromisoformat(hazard["reported_at"]) + timedelta(minutes=1))
    school = [t for t in told(app) if t[1] == 2]
    assert set(school) == {("safety", 2), ("principal", 2)}
    assert ("leader", 1) not in told(app)


def test_the_inbox_lists_and_marks_read(app, world, login, water_due):
    run(app, water_due + timedelta(minutes=1))
    leader = login("leader")
    unread = leader.get("/api/notifications?unread=true")
    assert unread.status_code == 200 and len(unread.json) == 1
    assert unread.json[0]["escalation"]["subject_id"] == world.water_a.id and unread.json[0]["level"] == 1
    assert leader.post("/api/notifications", json={}).json == {"marked": 1}
    assert leader.get("/api/notifications?unread=true").json == []
    assert len(leader.get("/api/notifications").json) == 1
    assert login("patroller_b").get("/api/notifications").json == []


def in_threads(app, *bodies) -> list[Exception]:
    """Run each body in a thread of its own, in an app context, all at once; what they raised."""
    errors = []

    def run_one(body) -> None:
        try:
            with app.app_context():
                body()
        except Exception as exc:  # noqa: BLE001 (returned to the test)
            errors.append(exc)

    threads = [threading.Thread(target=run_one, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_sweeps_at_once_tell_nobody_twice(app, world, water_due):
    moment = water_due + timedelta(minutes=1)
    barrier = threading.Barrier(2, timeout=20)

    def sweeper():
        barrier.wait()
        sweep(moment)
        db.session.commit()

    assert in_threads(app, sweeper, sweeper) == []
    with app.app_context():
        steps = db.session.scalar(sa.select(sa.func.count()).select_from(EscalationStep))
        notes = db.session.execute(sa.select(Notification.user_id, Notification.step_id)).all()
        causes = db.session.scalar(sa.select(sa.func.count()).select_from(Escalation))
    assert len(notes) == len(set(notes))
    assert steps == causes  # each cause took its first step once


def test_a_sweep_waiting_on_another_climbing_takes_no_step_again(app, world, water_due):
    """The first sweep climbs and holds its transaction open; the second, at the same moment,
    starts meanwhile and must wait (row locks on PostgreSQL, the write lock on SQLite). Once
    the first commits, the second finds those escalations climbed and takes no step."""
    run(app, water_due + timedelta(minutes=1))  # every overdue point opens at level 1
    moment = water_due + 2 * HOUR + timedelta(minutes=1)  # red's time at level 1 is up
    climbed, second_started = threading.Event(), threading.Event()

    def first():
        try:
            sweep(moment)
        finally:
            climbed.set()
        second_started.wait(timeout=20)
        time.sleep(0.5)  # the second sweep is now blocked on this one's locks
        db.session.commit()

    def second():
        climbed.wait(timeout=20)
        second_started.set()
        sweep(moment)
        db.session.commit()

    assert in_threads(app, first, second) == []
    with app.app_context():
        water = db.session.scalars(sa.select(Escalation).where(Escalation.subject == "point",
                                                               Escalation.subject_id == world.water_a.id)).one()
        levels = db.session.scalars(sa.select(EscalationStep.level).where(EscalationStep.escalation_id == water.id)
                                    .order_by(EscalationStep.level)).all()
        assert water.level == 2 and levels == [1, 2]  # one climb, not two
        at_two = db.session.scalar(sa.select(sa.func.count()).select_from(EscalationStep)
                                   .where(EscalationStep.at == moment))
        notes = db.session.execute(sa.select(Notification.user_id, Notification.step_id)).all()
    assert at_two > 0  # the moment did climb something
    assert len(notes) == len(set(notes))
    assert sorted(t for t in told(app, world.water_a.id) if t[1] == 2) == [("principal", 2), ("safety", 2)]


def test_the_command_sweeps_at_a_given_time(runner, app, world, water_due):
    result = runner.invoke(args=["escalate", "--now", (water_due + timedelta(minutes=1)).isoformat()])
    assert result.exit_code == 0, result.output
    assert ("leader", 1) in told(app)
    bad = runner.invoke(args=["escalate", "--now", "2026-11-25T08:00:00"])
    assert bad.exit_code != 0 and "offset" in bad.output
