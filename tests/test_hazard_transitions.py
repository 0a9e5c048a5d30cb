"""Every state x action x role of the closed loop, over HTTP: legal moves work, the rest are refused.

The expectations below restate the rules of the issue on their own, so they check the
transition table in app/hazards/transitions.py rather than repeat it.
"""

import pytest

from tests.hazard_helpers import do, done, photo, report

OPEN = {"reported", "assigned", "rectified"}
MANAGERS = {"safety", "principal", "township", "county"}
ROLES = ["patroller", "leader", "teacher", "safety", "principal", "township", "county", "patroller_b"]
ACTIONS = ["assign", "rectify", "verify", "reject", "pass_up", "void", "merge", "supervise", "unsupervise"]
#: (state, under listed supervision)
CONDITIONS = [("reported", False), ("assigned", False), ("rectified", False), ("closed", False), ("voided", False),
              ("reported", True), ("assigned", True), ("rectified", True)]
TARGET = {"assign": "assigned", "rectify": "rectified", "verify": "closed", "reject": "assigned",
          "pass_up": "reported", "void": "voided", "merge": "voided"}


def expected(state: str, supervised: bool, action: str, role: str) -> int:
    """The answer the issue asks for: 404 outside scope, 409 an illegal move, 403 the wrong person."""
    if role == "patroller_b":  # another school: the hazard does not exist for them
        return 404
    legal = {
        "assign": {"reported", "assigned"}, "rectify": {"assigned"},
        "verify": {"rectified"}, "reject": {"rectified"},
        "pass_up": {"reported", "assigned"}, "void": {"reported", "assigned"}, "merge": {"reported", "assigned"},
        "supervise": set() if supervised else OPEN, "unsupervise": OPEN if supervised else set(),
    }
    if state not in legal[action]:
        return 409
    if action == "rectify":
        allowed = {"teacher"}  # the rectifier these hazards are assigned to
    elif action in ("supervise", "unsupervise") or (supervised and action in ("verify", "void", "merge")):
        allowed = {"county"}
    else:
        allowed = MANAGERS
    return 200 if role in allowed else 403


@pytest.fixture
def clients(world, login):
    return {role: login(role) for role in ROLES}


def make(clients, world, state: str, supervised: bool) -> int:
    """A hazard of school A in this state, reported by the teacher and assigned to them."""
    teacher, safety, principal = clients["teacher"], clients["safety"], clients["principal"]
    hazard = report(teacher)["id"]
    if supervised:
        done(clients["county"], hazard, "supervise", note="重大隐患，县局挂牌督办")
    if state in ("assigned", "rectified", "closed"):
        done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], measures="更换栏杆")
    if state in ("rectified", "closed"):
        done(teacher, hazard, "rectify", note="已更换", photo_ids=[photo(teacher)])
    if state == "closed":
        done(principal, hazard, "verify", note="验收合格")
    if state == "voided":
        done(safety, hazard, "void", note="误报")
    return hazard


def body(action: str, world, other_id: int) -> dict:
    return {
        "assign": {"rectifier_id": world.user_ids["teacher"], "measures": "更换栏杆", "responsibility": "总务处"},
        "rectify": {"note": "已修好", "photo_ids": []},
        "verify": {"note": "验收合格"}, "reject": {"note": "栏杆仍松动"},
        "pass_up": {"note": "需要专项资金"}, "void": {"note": "误报"},
        "merge": {"into_id": other_id, "note": "重复上报"},
        "supervise": {"note": "挂牌督办"}, "unsupervise": {"note": "已见成效"},
    }[action]


@pytest.mark.parametrize("state,supervised", CONDITIONS, ids=[f"{s}{'+supervised' if v else ''}" for s, v in CONDITIONS])
def test_every_action_by_every_role(clients, world, state, supervised):
    other = report(clients["teacher"], place="食堂后门", description="另一处隐患")["id"]
    tried = 0
    for action in ACTIONS:
        outcomes = {role: expected(state, supervised, action, role) for role in ROLES}
        refused = [r for r in ROLES if outcomes[r] != 200]
        allowed = [r for r in ROLES if outcomes[r] == 200]
        hazard = make(clients, world, state, supervised)
        before = clients["county"].get(f"/api/hazards/{hazard}").json
        for role in refused:  # refusals change nothing, so they can share one hazard
            response = do(clients[role], hazard, action, **body(action, world, other))
            assert response.status_code == outcomes[role], (state, supervised, action, role, response.json)
            assert response.json["message"], response.json
            tried += 1
        after = clients["county"].get(f"/api/hazards/{hazard}").json
        assert after == before, f"a refused {action} changed the hazard"
        for role in allowed:
            hazard = make(clients, world, state, supervised)
            data = body(action, world, other)
            if action == "rectify":
                data["photo_ids"] = [photo(clients[role])]
            response = do(clients[role], hazard, action, **data)
            assert response.status_code == 200, (state, supervised, action, role, response.json)
            got = response.json
            assert got["state"] == TARGET.get(action, state)
            assert got["events"][-1]["action"] == action
            assert got["events"][-1]["actor"]["id"] == world.user_ids[role]
            if action in ("supervise", "unsupervise"):
                assert got["supervised"] is (action == "supervise")
            tried += 1
    assert tried == len(ACTIONS) * len(ROLES)


def test_illegal_moves_say_what_is_wrong(clients, world):
    hazard = make(clients, world, "closed", False)
    response = do(clients["safety"], hazard, "assign", rectifier_id=world.user_ids["teacher"])
    assert response.status_code == 409
    assert response.json["error"] == "illegal_transition"
    assert response.json["message"] == "A hazard that is closed cannot be assigned."


def test_the_rectifier_never_verifies_their_own_work(clients, world):
    safety, principal = clients["safety"], clients["principal"]
    hazard = report(clients["teacher"])["id"]
    done(safety, hazard, "assign", rectifier_id=world.user_ids["safety"], measures="自己修")
    done(safety, hazard, "rectify", note="修好了", photo_ids=[photo(safety)])
    detail = safety.get(f"/api/hazards/{hazard}").json
    assert "verify" not in detail["allowed_actions"] and "reject" not in detail["allowed_actions"]
    for action in ("verify", "reject"):
        response = do(safety, hazard, action, note="我自己验收")
        assert response.status_code == 403
        assert response.json["error"] == "own_work"
    assert done(principal, hazard, "verify", note="复查合格")["state"] == "closed"


def test_a_supervised_hazard_is_closed_out_only_by_the_county(clients, world):
    hazard = make(clients, world, "rectified", True)
    for role in ("safety", "principal", "township"):
        response = do(clients[role], hazard, "verify", note="合格")
        assert response.status_code == 403
        assert response.json["error"] == "county_only"
    listed = clients["county"].get("/api/hazards?supervised=true").json
    assert [h["id"] for h in listed] == [hazard]
    assert done(clients["county"], hazard, "verify", note="县局复查合格")["state"] == "closed"


def test_the_county_cannot_verify_what_it_rectified_itself(clients, world):
    county = clients["county"]
    hazard = make(clients, world, "reported", True)
    done(clients["principal"], hazard, "pass_up", to="county", note="超出学校能力")
    done(county, hazard, "assign", rectifier_id=world.user_ids["county"], measures="县局直接整改")
    done(county, hazard, "rectify", note="已整改", photo_ids=[photo(county)])
    response = do(county, hazard, "verify", note="合格")
    assert (response.status_code, response.json["error"]) == (403, "own_work")


def test_a_rejection_goes_back_to_the_rectifier_and_is_counted(clients, world):
    teacher, safety = clients["teacher"], clients["safety"]
    hazard = make(clients, world, "rectified", False)
    got = done(safety, hazard, "reject", note="栏杆仍松动")
    assert (got["state"], got["rejections"], got["rectified_at"]) == ("assigned", 1, None)
    done(teacher, hazard, "rectify", note="重新加固", photo_ids=[photo(teacher)])
    assert done(safety, hazard, "reject", note="还是松")["rejections"] == 2
    missing = do(safety, hazard, "reject", note="")
    assert missing.status_code == 409  # it is assigned again: nothing to reject


def test_two_people_verifying_at_once_close_it_out_once(app, clients, world, monkeypatch):
    """Both requests are held until each has passed the transition check: the race is forced."""
    import threading

    from app.hazards import services

    hazard = make(clients, world, "rectified", False)
    barrier = threading.Barrier(2, timeout=20)
    original = services.refusal

    def racing_refusal(*args, **kwargs):
        found = original(*args, **kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(services, "refusal", racing_refusal)
    responses = {}

    def verify(role):
        responses[role] = do(clients[role], hazard, "verify", note=f"{role} 验收")

    threads = [threading.Thread(target=verify, args=(role,)) for role in ("safety", "principal")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(r.status_code for r in responses.values())
    assert codes == [200, 409], {k: r.json for k, r in responses.items()}
    loser = next(r for r in responses.values() if r.status_code == 409)
    assert loser.json["error"] == "hazard_changed"
    events = clients["county"].get(f"/api/hazards/{hazard}").json["events"]
    assert [e["action"] for e in events].count("verify") == 1
