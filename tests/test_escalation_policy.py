"""A county's own escalation speeds: set by its admin, used by the sweep for its schools only."""

from datetime import time, timedelta

import sqlalchemy as sa

from app.accounts.models import Role
from app.accounts.services import create_user
from app.checklists.services import ensure_default_templates
from app.audit.models import AuditEntry
from app.escalation.models import Escalation, EscalationStep
from app.escalation.policy import county_speeds
from app.escalation.sweep import sweep
from app.extensions import db
from app.hazards.models import Hazard
from app.orgs.models import OrgKind
from app.orgs.services import add_grid, add_org_unit
from app.points.models import RiskPoint
from app.points.services import create_point
from tests.conftest import PASSWORD, answers
from tests.hazard_helpers import photo

HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)
DEFAULTS = {"climb_hours": {"red": 2, "orange": 12, "yellow": 24, "blue": 72}, "hold_hours": 24,
            "at_once_levels": ["red"], "triage_hours": 24, "verify_hours": 48,
            "working_hours": {"start": "07:00", "end": "22:00"}}

ROUND = {"start": "00:00", "end": "24:00"}


def other_county(app):
    """A second county with one school and its red point, on the default speeds."""
    with app.app_context():
        county = add_org_unit(OrgKind.COUNTY, "邻县")
        school = add_org_unit(OrgKind.SCHOOL, "丙小学", add_org_unit(OrgKind.TOWNSHIP, "三镇", county))
        grid = add_grid(school, "网格")
        grid.leader = create_user("leader_c", "leader_c", Role.GRID_LEADER, school, PASSWORD)
        point = create_point(school, "水塘", "water", "red", ensure_default_templates()["water"], grid=grid)
        db.session.commit()
        return point.id


def level_of(app, point_id: int) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Escalation.level).where(Escalation.subject == "point",
                                                                   Escalation.subject_id == point_id))


def run(app, now):
    with app.app_context():
        sweep(now)
        db.session.commit()


def test_a_county_sets_its_own_speeds_and_only_its_schools_follow(app, world, login):
    neighbour = other_county(app)
    admin = login("county")
    # the world's county is on duty round the clock (tests/conftest.py); the rest is the defaults
    assert admin.get("/api/escalation-policy").json == {**DEFAULTS, "working_hours": ROUND, "defaults": DEFAULTS}
    changed = admin.put("/api/escalation-policy", json={"climb_hours": {"red": 1}, "hold_hours": 4})
    assert changed.status_code == 200
    assert changed.json["climb_hours"]["red"] == 1 and changed.json["climb_hours"]["blue"] == 72
    assert changed.json["hold_hours"] == 4 and changed.json["defaults"] == DEFAULTS

    with app.app_context():
        due = db.session.get(RiskPoint, world.water_a.id).due_at
        assert db.session.get(RiskPoint, neighbour).due_at == due  # both daily, never inspected
    run(app, due + MINUTE)
    run(app, due + HOUR + 2 * MINUTE)
    # an hour here; the neighbour keeps the default working hours, so its patrol overdue at midnight
    # waits for the morning (the world's county is on duty round the clock)
    assert (level_of(app, world.water_a.id), level_of(app, neighbour)) == (2, 1)
    run(app, due + 2 * HOUR + 3 * MINUTE)
    assert (level_of(app, world.water_a.id), level_of(app, neighbour)) == (3, 1)

    leader = login("township")
    [mine] = leader.get(f"/api/escalations?subject=point&subject_id={world.water_a.id}").json
    assert leader.post(f"/api/escalations/{mine['id']}/acknowledge", json={"note": "镇里已派人"}).status_code == 200
    with app.app_context():
        escalation = db.session.get(Escalation, mine["id"])
        step = next(s for s in db.session.scalars(sa.select(EscalationStep).where(
            EscalationStep.escalation_id == escalation.id, EscalationStep.level == 3)))
        assert escalation.held_until - step.acknowledged_at == 4 * HOUR  # the county's hold, not 24 h
    run(app, due + 9 * HOUR + 4 * MINUTE)  # 09:04: two working hours since 07:00, the neighbour's red pace
    assert level_of(app, neighbour) == 2


def test_a_county_may_send_no_failure_to_the_school_at_once(app, world, login):
    admin = login("county")
    assert admin.put("/api/escalation-policy", json={"at_once_levels": []}).json["at_once_levels"] == []
    patroller = login("patroller")
    body = answers(patroller, world.water_a.token)
    body["results"][0].update(result="fail", note="护栏断了", photo_ids=[photo(patroller)])
    assert patroller.post("/api/inspections", json=body).status_code == 201
    with app.app_context():
        reported = db.session.scalar(sa.select(sa.func.max(Hazard.reported_at)))

    def unassigned_level():
        with app.app_context():
            return db.session.scalar(sa.select(Escalation.level).where(Escalation.trigger == "hazard_unassigned"))

    run(app, reported + MINUTE)
    assert unassigned_level() is None  # by default a red failure would be at the school now; here it waits
    run(app, reported + 2 * HOUR + MINUTE)
    assert unassigned_level() == 1  # the grid leader first, after the red level's two hours


def test_speeds_are_checked(app, world, login):
    admin = login("county")
    for body, field in (({"climb_hours": {"red": 0}}, "climb_hours"), ({"climb_hours": {"purple": 3}}, "climb_hours"),
                        ({"hold_hours": 10_000}, "hold_hours"), ({"at_once_levels": ["pink"]}, "at_once_levels")):
        answer = admin.put("/api/escalation-policy", json=body)
        assert answer.status_code == 422 and field in answer.json["errors"], body
    assert admin.put("/api/escalation-policy", json={"hold_hours": "soon"}).status_code == 422
    assert login("principal").put("/api/escalation-policy", json={"hold_hours": 2}).status_code == 403
    assert admin.get("/api/escalation-policy").json["hold_hours"] == 24  # nothing half-written


def test_a_county_sets_its_triage_and_verification_times_and_working_hours_on_record(app, world, login):
    admin = login("county")
    changed = admin.put("/api/escalation-policy", json={"triage_hours": 8, "verify_hours": 72,
                                                        "working_hours": {"start": "07:30", "end": "21:00"}})
    assert changed.status_code == 200, changed.json
    assert (changed.json["triage_hours"], changed.json["verify_hours"], changed.json["working_hours"]) == (
        8, 72, {"start": "07:30", "end": "21:00"})
    with app.app_context():
        speeds = county_speeds(world.county_id)
        assert (speeds.triage_hours, speeds.verify_hours) == (8, 72)
        assert (speeds.working.start, speeds.working.end) == (time(7, 30), time(21))
        assert db.session.scalar(sa.select(AuditEntry.entity).where(AuditEntry.entity == "escalation_policy"))
    for bad, field in (({"working_hours": {"start": "22:00", "end": "07:00"}}, "working_hours"),
                       ({"working_hours": {"start": "7:00", "end": "22:00"}}, "working_hours"),
                       ({"working_hours": {"start": "07:00", "end": "25:00"}}, "working_hours"),
                       ({"triage_hours": 0}, "triage_hours"), ({"verify_hours": 721}, "verify_hours")):
        refused = admin.put("/api/escalation-policy", json=bad)
        assert refused.status_code == 422 and field in refused.json["errors"], (bad, refused.json)
    assert admin.get("/api/escalation-policy").json["working_hours"] == {"start": "07:30", "end": "21:00"}
    assert login("safety").put("/api/escalation-policy", json={"triage_hours": 2}).status_code == 403
