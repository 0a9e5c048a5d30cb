"""The duty chain's other causes: hazards nobody assigns from any source, 随手拍 nobody triages,
rectifications nobody verifies; each ends when someone acts, and two sweeps tell nobody twice."""

import threading
from datetime import timedelta

import sqlalchemy as sa

from app.db_types import utcnow
from app.escalation.models import Escalation, Handoff, Notification
from app.escalation.sweep import sweep
from app.extensions import db
from app.snaps.models import PublicReport
from tests.hazard_helpers import done, photo, report
from tests.test_public_reports import send, snap_token

HOUR = timedelta(hours=1)


def run(app, now) -> None:
    with app.app_context():
        sweep(now)
        db.session.commit()


def escalations(app, subject: str, subject_id: int) -> list[tuple[str, int, bool]]:
    """(trigger, level, resolved) of a subject's escalations, oldest first."""
    with app.app_context():
        return [(e.trigger, e.level, e.resolved_at is not None) for e in db.session.scalars(
            sa.select(Escalation).where(Escalation.subject == subject, Escalation.subject_id == subject_id)
            .order_by(Escalation.id))]


def test_a_staff_report_nobody_assigns_climbs_by_its_colour_red_to_the_school_at_once(app, world, login):
    teacher = login("teacher")
    urgent = report(teacher, urgency="urgent")["id"]  # red, a place with no grid
    soon = report(teacher, urgency="soon")["id"]  # orange: 12 hours first
    now = utcnow()
    run(app, now + timedelta(minutes=1))
    assert escalations(app, "hazard", urgent) == [("hazard_unassigned", 2, False)]
    assert escalations(app, "hazard", soon) == []
    run(app, now + 12 * HOUR + timedelta(minutes=1))
    assert escalations(app, "hazard", soon) == [("hazard_unassigned", 2, False)]  # no grid: the school
    done(login("safety"), soon, "assign", rectifier_id=world.user_ids["teacher"])
    run(app, now + 12 * HOUR + timedelta(minutes=2))
    assert escalations(app, "hazard", soon) == [("hazard_unassigned", 2, True)]  # assigning ends it


def test_an_accepted_snap_nobody_assigns_climbs_too(app, world, login):
    token = snap_token(login, world)
    assert send(app.test_client(), token, client_key="k-accepted").status_code == 201
    safety = login("safety")
    [queued] = safety.get("/api/public-reports?status=new").json
    accepted = safety.post(f"/api/public-reports/{queued['id']}/accept",
                           json={"place": "校门口", "category": "gate", "urgency": "urgent"})
    assert accepted.status_code == 200, accepted.json
    run(app, utcnow() + timedelta(minutes=1))
    assert escalations(app, "hazard", accepted.json["hazard_id"]) == [("hazard_unassigned", 2, False)]


def test_a_snap_left_in_triage_climbs_after_the_triage_time_and_ends_when_triaged(app, world, login):
    token = snap_token(login, world)
    assert send(app.test_client(), token, client_key="k-waiting").status_code == 201
    with app.app_context():
        waiting = db.session.scalar(sa.select(PublicReport).where(PublicReport.client_key == "k-waiting"))
        report_id, sent = waiting.id, waiting.created_at
    run(app, sent + 23 * HOUR)
    assert escalations(app, "report", report_id) == []
    run(app, sent + 24 * HOUR + timedelta(minutes=1))
    assert escalations(app, "report", report_id) == [("report_untriaged", 2, False)]  # the school's
    run(app, sent + 48 * HOUR + timedelta(minutes=2))
    assert escalations(app, "report", report_id) == [("report_untriaged", 3, False)]  # a day later, the township
    township = login("township").get("/api/escalations?subject=report&open=true").json
    assert [e["title"] for e in township] == ["随手拍 厕所门口地面有积水，很滑"]
    safety = login("safety")
    assert safety.post(f"/api/public-reports/{report_id}/dismiss", json={"note": "已处理，非隐患"}).status_code == 200
    run(app, sent + 48 * HOUR + timedelta(minutes=3))
    assert escalations(app, "report", report_id) == [("report_untriaged", 3, True)]


def test_a_rectification_nobody_verifies_climbs_after_the_verification_time(app, world, login):
    teacher, safety = login("teacher"), login("safety")
    hazard = report(teacher)["id"]
    done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"])
    rectified = done(teacher, hazard, "rectify", note="已整改", photo_ids=[photo(teacher)])
    with app.app_context():
        from app.hazards.models import Hazard

        at = db.session.get(Hazard, hazard).rectified_at
    run(app, at + 47 * HOUR)
    assert ("hazard_unverified", 2, False) not in escalations(app, "hazard", hazard)
    run(app, at + 48 * HOUR + timedelta(minutes=1))
    assert ("hazard_unverified", 2, False) in escalations(app, "hazard", hazard)
    done(login("principal"), hazard, "verify", note="合格")
    run(app, at + 48 * HOUR + timedelta(minutes=2))
    assert ("hazard_unverified", 2, True) in escalations(app, "hazard", hazard)
    del rectified


def test_each_school_hears_of_its_new_snaps_once_in_one_digest_even_from_two_sweeps_at_once(app, world, login):
    token = snap_token(login, world)
    public = app.test_client()
    for n in range(3):
        assert send(public, token, seed=n, device=f"phone-{n}", client_key=f"digest-{n}").status_code == 201
    now = utcnow()
    barrier = threading.Barrier(2)
    failures = []

    def one_sweep():
        try:
            with app.app_context():
                barrier.wait()
                sweep(now)
                db.session.commit()
        except Exception as exc:  # SQLite: one of them waits for the other's lock and may give up
            failures.append(exc)

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run(app, now + timedelta(minutes=1))  # and one more, later
    with app.app_context():
        digests = list(db.session.scalars(sa.select(Handoff).where(Handoff.kind == "reports_new")))
        assert len(digests) == 1 and '"count": 3' in digests[0].details
        told = sorted(db.session.scalars(sa.select(Notification.user_id).where(Notification.handoff_id == digests[0].id)))
        assert told == sorted([world.user_ids["safety"], world.user_ids["principal"]])
    safety = login("safety").get("/api/notifications?unread=true").json
    assert [(n["kind"], n["path"], n["details"]["count"]) for n in safety] == [
        ("reports_new", "/app/hazards/triage", 3)]
    assert len(failures) <= 1


def test_a_snap_accepted_days_after_it_was_sent_waits_its_colours_time_from_the_acceptance(app, world, login):
    token = snap_token(login, world)
    assert send(app.test_client(), token, client_key="k-old").status_code == 201
    with app.app_context():
        old = db.session.scalar(sa.select(PublicReport).where(PublicReport.client_key == "k-old"))
        old.created_at -= timedelta(days=3)  # it sat in triage for three days
        db.session.commit()
        report_id = old.id
    accepted = login("safety").post(f"/api/public-reports/{report_id}/accept",
                                    json={"place": "操场", "category": "playground", "urgency": "soon"})
    assert accepted.status_code == 200, accepted.json
    hazard = accepted.json["hazard_id"]
    now = utcnow()
    run(app, now + timedelta(minutes=1))
    assert escalations(app, "hazard", hazard) == []  # accepted just now: not "unassigned for three days"
    run(app, now + 12 * HOUR + timedelta(minutes=2))
    assert escalations(app, "hazard", hazard) == [("hazard_unassigned", 2, False)]
