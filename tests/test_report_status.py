"""The public sender hears back: a status link on the receipt, its QR code, and the report's state in plain words.

Every state is reached through the real API, as staff triage and close the loop; the answer
carries only the state, the school, the days and a reason, never a person.
"""

import io
import json
import uuid

import zxingcpp
from PIL import Image

from tests.hazard_helpers import done, photo, report
from tests.test_public_reports import send, snap_token

PHONE = "13800138000"
FIELDS = {"status", "school", "sent_on", "closed_on", "reason"}
SPOT = {"place": "一楼厕所", "category": "building", "urgency": "soon"}


def _sent(app, login, world, seed=1) -> tuple[int, str]:
    """A report sent with a phone number: its id (from the triage queue) and its status token."""
    receipt = send(app.test_client(), snap_token(login, world), seed=seed, phone=PHONE, client_key=str(uuid.uuid4()))
    assert receipt.status_code == 201, receipt.json
    return receipt.json["id"], receipt.json["status_url"].rsplit("/r/", 1)[1]


def status(app, token: str, seen: list | None = None) -> dict:
    """What anyone with the link reads (no session); each answer is kept in `seen` to be checked for people."""
    answer = app.test_client().get(f"/api/public/report-status/{token}")
    assert answer.status_code == 200, answer.json
    assert set(answer.json) == FIELDS
    if seen is not None:
        seen.append(answer.get_data(as_text=True))
    return answer.json


def _no_people(seen: list[str], world, app):
    """No answer names the sender's phone, any person of the county, or a hazard's number."""
    with app.app_context():
        from app.accounts.models import User
        from app.extensions import db

        names = [u.display_name for u in db.session.query(User).all()]
    assert names
    for text in seen:
        decoded = json.dumps(json.loads(text), ensure_ascii=False)
        assert PHONE not in decoded and "YH" not in decoded
        assert not [name for name in names if name in decoded], decoded


def test_the_receipt_links_to_the_reports_status_and_a_retry_gets_the_same_link(app, world, login):
    token, key = snap_token(login, world), str(uuid.uuid4())
    public = app.test_client()
    first, again = send(public, token, client_key=key), send(public, token, client_key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    url = first.json["status_url"]
    assert url.startswith("https://huxiao.example.cn/r/") and again.json["status_url"] == url
    other = send(public, token, seed=2, client_key=str(uuid.uuid4())).json["status_url"]
    assert other != url and len(url.rsplit("/", 1)[1]) == 22  # 128 random bits each
    got = status(app, url.rsplit("/", 1)[1])
    assert (got["status"], got["school"], got["closed_on"], got["reason"]) == ("received", "甲小学", None, "")
    assert len(got["sent_on"]) == 10  # a day: 2026-12-07


def test_the_qr_code_reads_back_as_the_status_link(app, world, login):
    _, token = _sent(app, login, world)
    answer = app.test_client().get(f"/api/public/report-status/{token}/qr.png")
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert "max-age" in answer.headers["Cache-Control"] and "private" in answer.headers["Cache-Control"]
    image = Image.open(io.BytesIO(answer.data))
    found = [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    assert found == [f"https://huxiao.example.cn/r/{token}"]


def test_an_unknown_link_is_refused_clearly(app, world, login):
    _sent(app, login, world)
    public = app.test_client()
    for path in ("/api/public/report-status/AAAAAAAAAAAAAAAAAAAAAA", "/api/public/report-status/nope/qr.png"):
        answer = public.get(path)
        assert answer.status_code == 404, path
        assert answer.json["error"] == "unknown_status_link"
        chinese, english = answer.json["message"].split("/ ")
        assert "找不到" in chinese and "No report" in english
    for path in ("/api/public/report-status/a%00b", "/api/public/report-status/" + "x" * 65):
        assert public.get(path).status_code == 404, path


def test_an_accepted_report_follows_its_hazard_to_the_close_out(app, world, login):
    report_id, token = _sent(app, login, world)
    safety, teacher, principal, seen = login("safety"), login("teacher"), login("principal"), []
    assert status(app, token, seen)["status"] == "received"
    accepted = safety.post(f"/api/public-reports/{report_id}/accept", json={**SPOT, "note": "核实属实"})
    assert accepted.status_code == 200, accepted.json
    hazard = accepted.json["hazard_id"]
    assert status(app, token, seen)["status"] == "accepted"
    done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"], measures="铺防滑垫")
    assert status(app, token, seen)["status"] == "rectifying"
    done(teacher, hazard, "rectify", note="已铺防滑垫", photo_ids=[photo(teacher)])
    assert status(app, token, seen)["status"] == "rectifying"  # waits for the check
    done(principal, hazard, "verify", note="验收合格")
    got = status(app, token, seen)
    assert got["status"] == "closed" and len(got["closed_on"]) == 10 and got["reason"] == ""
    _no_people(seen, world, app)


def test_a_dismissed_report_says_why(app, world, login):
    report_id, token = _sent(app, login, world)
    answer = login("safety").post(f"/api/public-reports/{report_id}/dismiss", json={"note": "不属于校园安全隐患"})
    assert answer.status_code == 200, answer.json
    seen = []
    got = status(app, token, seen)
    assert (got["status"], got["reason"], got["closed_on"]) == ("not_accepted", "不属于校园安全隐患", None)
    _no_people(seen, world, app)


def test_a_hazard_voided_after_acceptance_is_not_accepted_without_the_staffs_note(app, world, login):
    report_id, token = _sent(app, login, world)
    safety = login("safety")
    hazard = safety.post(f"/api/public-reports/{report_id}/accept", json=SPOT).json["hazard_id"]
    done(safety, hazard, "void", note="现场核查无积水")
    seen = []
    got = status(app, token, seen)
    # the void's note is the staff's record about the hazard, not written to this sender
    assert (got["status"], got["reason"]) == ("not_accepted", "")
    _no_people(seen, world, app)


def test_a_merged_report_follows_the_hazard_it_joined(app, world, login):
    teacher, safety = login("teacher"), login("safety")
    hazard = report(teacher, place="一楼厕所")["id"]
    report_id, token = _sent(app, login, world)
    merged = safety.post(f"/api/public-reports/{report_id}/merge", json={"hazard_id": hazard, "note": "同一处"})
    assert merged.status_code == 200, merged.json
    seen = []
    assert status(app, token, seen)["status"] == "accepted"
    done(safety, hazard, "assign", rectifier_id=world.user_ids["teacher"])
    assert status(app, token, seen)["status"] == "rectifying"
    _no_people(seen, world, app)


def test_a_hazard_merged_into_another_follows_the_one_it_joined(app, world, login):
    teacher, safety, principal = login("teacher"), login("safety"), login("principal")
    report_id, token = _sent(app, login, world)
    mine = safety.post(f"/api/public-reports/{report_id}/accept", json=SPOT).json["hazard_id"]
    first = report(teacher, place="一楼厕所")["id"]
    done(safety, first, "assign", rectifier_id=world.user_ids["teacher"])
    done(safety, mine, "merge", into_id=first, note="同一处积水")
    seen = []
    assert status(app, token, seen)["status"] == "rectifying"  # not "voided": the work goes on in the other
    done(teacher, first, "rectify", note="已处理", photo_ids=[photo(teacher)])
    done(principal, first, "verify", note="验收合格")
    got = status(app, token, seen)
    assert got["status"] == "closed" and got["closed_on"]
    _no_people(seen, world, app)


def test_the_link_opens_the_app_shell_without_a_session_or_cookie(app, world, login):
    _, token = _sent(app, login, world)
    public = app.test_client()
    page = public.get(f"/r/{token}")
    assert page.status_code == 200 and page.mimetype == "text/html" and b"/pwa/js/main.js" in page.data
    answer = public.get(f"/api/public/report-status/{token}")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    assert answer.headers["Cache-Control"] == "private, no-cache"
