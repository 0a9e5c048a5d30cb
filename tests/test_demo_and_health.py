"""The demo county, the health check and the API's documentation."""

import csv
import io

from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.checklists.defaults import DEFAULT_TEMPLATES
from app.escalation.models import Handoff, Notification
from app.extensions import db
from app.hazards.models import Hazard, State
from app.inspections.models import Inspection
from app.points.levels import CATEGORIES
from app.points.models import RiskPoint


def test_demo_seed_is_complete_and_idempotent(app, runner):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    for username in ("patroller", "leader", "teacher", "safety", "principal", "township", "county", "patroller2"):
        assert username in first.output
    with app.app_context():
        points = db.session.scalars(select(RiskPoint)).all()
        assert len(points) >= 60
        assert {p.risk_level for p in points} == {"red", "orange", "yellow", "blue"}
        assert {p.category for p in points} == set(CATEGORIES)
        assert len({p.school_id for p in points}) >= 4
        inspections = db.session.scalar(select(func.count()).select_from(Inspection))
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "Added" not in again.output  # the past is made once
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RiskPoint)) == len(points)
        assert db.session.scalar(select(func.count()).select_from(Inspection)) == inspections


def test_the_demo_county_has_a_past_for_its_reports(app, runner):
    seeded = runner.invoke(args=["demo", "seed", "--history-days", "60"])
    assert seeded.exit_code == 0 and "Added 60 days of patrols" in seeded.output
    client = app.test_client()
    assert client.post("/api/auth/login", json={"username": "county", "password": "demo12345"}).status_code == 200
    monthly = client.get("/api/reports/monthly").json
    last_month = monthly["trend"][-2]  # a whole month behind today
    assert last_month["completion"]["asked"] > 0 and 0 < last_month["completion"]["rate"] < 1
    assert last_month["hazards"]["reported"] > 0
    rates = [school["completion"]["rate"] for school in monthly["schools"]]
    assert len(set(rates)) == len(rates) == 4  # the schools differ, so the ranking ranks


def test_every_closed_hazard_of_the_demo_past_was_verified_by_a_manager_other_than_its_rectifier(app, runner):
    """The chain ran in the history as the rules say: assigned by a manager, rectified, verified by someone else."""
    assert runner.invoke(args=["demo", "seed", "--history-days", "60"]).exit_code == 0
    managers = (Role.SAFETY_OFFICER, Role.PRINCIPAL)
    with app.app_context():
        people = {u.id: u for u in db.session.scalars(select(User))}
        hazards = db.session.scalars(select(Hazard).where(Hazard.state != State.VOIDED)).all()
        closed = [h for h in hazards if h.state is State.CLOSED]
        assert len(closed) >= 30
        for h in closed:
            assert h.verified_by_id is not None and h.verified_by_id != h.rectifier_id, h.number
            verifier, assigner = people[h.verified_by_id], people[h.assigned_by_id]
            assert verifier.role in managers and verifier.org_unit_id == h.school_id, h.number
            assert assigner.role in managers and assigner.org_unit_id == h.school_id, h.number
            assert people[h.rectifier_id].org_unit_id == h.school_id and h.rectifier_id != h.assigned_by_id
            steps = [(e.action, e.from_state, e.to_state, e.actor_id) for e in h.events]
            assert steps[:4] == [("report", None, "reported", h.reporter_id),
                                 ("assign", "reported", "assigned", h.assigned_by_id),
                                 ("rectify", "assigned", "rectified", h.rectifier_id),
                                 ("verify", "rectified", "closed", h.verified_by_id)], h.number
            times = [h.reported_at, h.assigned_at, h.rectified_at, h.closed_at]  # the demo's own, a moment apart
            assert all(abs((e.at - at).total_seconds()) < 1 for e, at in zip(h.events, times)), h.number
        for h in hazards:  # the open ones have their steps so far, and nothing of a step not taken
            actions = [e.action for e in h.events if e.action not in ("supervise", "pass_up")]
            assert h.events and h.events[-1].to_state == h.state.value, h.number
            assert actions == {State.REPORTED: ["report"], State.ASSIGNED: ["report", "assign"],
                               State.RECTIFIED: ["report", "assign", "rectify"],
                               State.CLOSED: ["report", "assign", "rectify", "verify"]}[h.state], h.number
        numbers = {h.number for h in closed}
        # and the inboxes hold the notices the chain sent: each hand-off to its person, at its step's time
        told = set(db.session.execute(select(Handoff.kind, Handoff.subject_id, Notification.user_id, Handoff.at)
                                      .join(Notification, Notification.handoff_id == Handoff.id)).all())
        for h in closed:
            assert ("assigned", h.id, h.rectifier_id, h.assigned_at) in told, h.number
            assert ("rectified", h.id, h.verified_by_id, h.rectified_at) in told, h.number
            assert ("closed", h.id, h.reporter_id, h.closed_at) in told, h.number

    client = app.test_client()  # the county's ledger names a 验收人 on every closed row
    assert client.post("/api/auth/login", json={"username": "county", "password": "demo12345"}).status_code == 200
    ledger = client.get("/api/hazards/ledger?format=csv")
    assert ledger.status_code == 200
    header, *rows = csv.reader(io.StringIO(ledger.data.decode("utf-8-sig")))
    rows = [dict(zip(header, row)) for row in rows]
    closed_rows = [row for row in rows if row["当前状态"] == "已销号"]
    assert {row["编号"] for row in closed_rows} == numbers
    assert all(row["验收人"] and row["验收人"] != row["整改责任人"] for row in closed_rows)


def test_demo_accounts_log_in_and_patroller2_is_elsewhere(app, runner):
    runner.invoke(args=["demo", "seed", "--history-days", "0"])
    schools = {}
    for username in ("patroller", "patroller2", "county"):
        client = app.test_client()
        response = client.post("/api/auth/login", json={"username": username, "password": "demo12345"})
        assert response.status_code == 200
        schools[username] = {p["school"]["id"] for p in client.get("/api/points?page_size=1000").json}
    assert len(schools["patroller"]) == len(schools["patroller2"]) == 1
    assert schools["patroller"] != schools["patroller2"]
    assert len(schools["county"]) >= 4


def test_demo_seed_refuses_production(app, runner):
    app.config["HUXIAO_ENV"] = "production"
    try:
        result = runner.invoke(args=["demo", "seed"])
    finally:
        app.config["HUXIAO_ENV"] = "development"
    assert result.exit_code != 0
    assert "production" in result.output


def test_every_category_has_a_checklist_of_at_least_five_items():
    assert set(DEFAULT_TEMPLATES) == set(CATEGORIES)
    for category, template in DEFAULT_TEMPLATES.items():
        assert len(template.items) >= 5, category
        assert len(set(template.items)) == len(template.items), category


def test_healthz(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_openapi_document_and_docs(app):
    client = app.test_client()
    spec = client.get("/api/openapi.json")
    assert spec.status_code == 200 and spec.json["openapi"].startswith("3.")
    for path in ("/api/auth/login", "/api/points", "/api/scan/{token}", "/api/photos", "/api/inspections"):
        assert path in spec.json["paths"], path
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/docs/assets/swagger-ui-bundle.js" in docs.get_data(as_text=True)
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_seed_if_empty_leaves_a_database_with_data_alone(app, runner, world):
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0 and "skipped" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RiskPoint)) == 3
