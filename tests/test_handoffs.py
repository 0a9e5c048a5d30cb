"""Every hand-off of the closed loop tells the person who must act next, at once, and nobody else."""

import json

import sqlalchemy as sa

from app.escalation.models import Handoff, Notification
from app.extensions import db
from app.outbox.models import Delivery, PushSubscription
from tests.hazard_helpers import do, done, photo, report

PEOPLE = ("leader", "teacher", "safety", "principal", "township", "county")


def inboxes(app) -> dict[str, list[tuple[str, int]]]:
    """Everyone's hand-off notices as (kind, subject id), oldest first."""
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT u.username, h.kind, h.subject_id FROM notifications n JOIN users u ON u.id = n.user_id "
            "JOIN handoffs h ON h.id = n.handoff_id ORDER BY n.id"))
        found: dict[str, list] = {}
        for username, kind, subject_id in rows:
            found.setdefault(username, []).append((kind, subject_id))
        return found


def told_since(app, before: dict) -> dict[str, list]:
    now = inboxes(app)
    return {who: notices[len(before.get(who, [])):] for who, notices in now.items()
            if notices[len(before.get(who, [])):]}


def test_each_move_of_the_closed_loop_tells_who_acts_next(app, world, login):
    teacher, safety, principal, leader = login("teacher"), login("safety"), login("principal"), login("leader")
    ids = world.user_ids

    seen = inboxes(app)
    hazard = report(teacher)["id"]  # a teacher reports: the school's managers assign
    assert told_since(app, seen) == {"safety": [("reported", hazard)], "principal": [("reported", hazard)]}

    seen = inboxes(app)
    assert do(safety, hazard, "assign", rectifier_id=ids["leader"]).status_code == 200
    assert told_since(app, seen) == {"leader": [("assigned", hazard)]}  # not the safety officer herself

    seen = inboxes(app)  # re-assigned: the new rectifier, and the one replaced
    assert do(safety, hazard, "assign", rectifier_id=ids["teacher"]).status_code == 200
    assert told_since(app, seen) == {"teacher": [("assigned", hazard)], "leader": [("unassigned", hazard)]}

    seen = inboxes(app)  # rectified: who may verify (the managers and who assigned it), never the rectifier
    assert do(teacher, hazard, "rectify", note="已加固", photo_ids=[photo(teacher)]).status_code == 200
    assert told_since(app, seen) == {"safety": [("rectified", hazard)], "principal": [("rectified", hazard)]}

    seen = inboxes(app)
    assert do(principal, hazard, "reject", note="仍有松动").status_code == 200
    assert told_since(app, seen) == {"teacher": [("rejected", hazard)]}

    done(teacher, hazard, "rectify", note="已更换螺栓", photo_ids=[photo(teacher)])
    seen = inboxes(app)
    assert do(principal, hazard, "verify", note="复查合格").status_code == 200
    # closed: the member of staff who reported it (here also its rectifier)
    assert told_since(app, seen) == {"teacher": [("closed", hazard)]}
    del leader


def test_passing_up_supervision_voiding_and_merging_tell_their_people(app, world, login):
    teacher, safety, county = login("teacher"), login("safety"), login("county")
    ids = world.user_ids
    hazard = report(teacher, urgency="urgent")["id"]
    done(safety, hazard, "assign", rectifier_id=ids["leader"])

    seen = inboxes(app)  # passed up: the managers of the unit that now holds it; the rectifier is released
    assert do(safety, hazard, "pass_up", note="需要乡镇协调资金").status_code == 200
    assert told_since(app, seen) == {"township": [("passed_up", hazard)], "leader": [("unassigned", hazard)]}

    seen = inboxes(app)  # 挂牌督办 on and off: the school's managers and the township
    assert do(county, hazard, "supervise", note="县局挂牌督办").status_code == 200
    expected = {who: [("supervised", hazard)] for who in ("safety", "principal", "township")}
    assert told_since(app, seen) == expected
    seen = inboxes(app)
    assert do(county, hazard, "unsupervise", note="已落实").status_code == 200
    assert told_since(app, seen) == {who: [("unsupervised", hazard)] for who in ("safety", "principal", "township")}

    seen = inboxes(app)  # voided: the reporter (the rectifier was unassigned when it was passed up)
    assert do(login("township"), hazard, "void", note="误报").status_code == 200
    assert told_since(app, seen) == {"teacher": [("voided", hazard)]}

    first, second = report(teacher)["id"], report(teacher)["id"]
    done(safety, second, "assign", rectifier_id=ids["leader"])
    seen = inboxes(app)  # merged: its reporter, and the rectifier at work on it
    assert do(safety, second, "merge", into_id=first, note="同一处").status_code == 200
    assert told_since(app, seen) == {"teacher": [("merged", second)], "leader": [("merged", second)]}


def test_a_rectification_under_supervision_tells_the_county_who_must_verify_it(app, world, login):
    teacher, safety = login("teacher"), login("safety")
    hazard = report(teacher)["id"]
    done(login("county"), hazard, "supervise", note="挂牌")
    done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"])
    seen = inboxes(app)
    done(teacher, hazard, "rectify", note="已整改", photo_ids=[photo(teacher)])
    assert told_since(app, seen) == {"county": [("rectified", hazard)], "safety": [("rectified", hazard)]}


def test_a_failed_item_tells_the_school_and_the_inbox_shows_each_notice(app, world, login):
    from tests.conftest import answers

    patroller = login("patroller")
    body = answers(patroller, world.fire_a.token)
    body["results"][0].update(result="fail", note="压力不足", photo_ids=[photo(patroller)])
    assert patroller.post("/api/inspections", json=body).status_code == 201
    safety = login("safety")
    page = safety.get("/api/notifications?unread=true")
    assert page.status_code == 200 and len(page.json) == 1
    [notice] = page.json
    assert (notice["kind"], notice["subject"], notice["school_name"], notice["risk_level"]) == (
        "reported", "hazard", "甲小学", "yellow")
    assert notice["path"] == f"/app/hazards/{notice['subject_id']}" and notice["title"].startswith("YH")
    assert notice.get("escalation") is None and notice.get("level") is None and notice["actor_name"] == "patroller"
    assert json.loads(page.headers["X-Pagination"])["total"] == 1  # the badge


def test_a_hand_off_is_queued_for_its_peoples_phones_in_the_moves_transaction(app, world, login):
    teacher, safety = login("teacher"), login("safety")
    with app.app_context():
        db.session.add(PushSubscription(user_id=world.user_ids["leader"], endpoint="https://push.example.com/x",
                                        p256dh="k", auth="a"))
        db.session.commit()
    hazard = report(teacher)["id"]
    refused = do(safety, hazard, "assign", rectifier_id=world.user_ids["leader"], deadline="2000-01-01T00:00:00Z")
    assert refused.status_code == 422  # a refused move tells nobody and queues nothing
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Handoff).where(Handoff.kind == "assigned")) == 0
    done(safety, hazard, "assign", rectifier_id=world.user_ids["leader"])
    with app.app_context():
        handoff = db.session.scalar(sa.select(Handoff).where(Handoff.kind == "assigned"))
        [row] = db.session.scalars(sa.select(Delivery).where(Delivery.handoff_id == handoff.id))
        assert (row.channel, row.step_id, row.state.value) == ("push", None, "pending")
        told = db.session.scalars(sa.select(Notification.user_id).where(Notification.handoff_id == handoff.id))
        assert list(told) == [world.user_ids["leader"]]
