"""QR tokens: random, short, unique; reissue and retire answer clearly from then on."""

import re
from datetime import timedelta

from app.db_types import utcnow
from app.extensions import db
from app.points.models import RiskPoint
from app.points.services import reissue_token, retire_point
from app.points.tokens import new_token, scan_url
from tests.conftest import answers


def test_tokens_are_short_url_safe_and_unique():
    tokens = {new_token() for _ in range(5000)}
    assert len(tokens) == 5000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", t) for t in tokens)


def test_qr_code_encodes_the_public_scan_url(app, world):
    assert scan_url(app.config["PUBLIC_BASE_URL"], world.fire_a.token) == (
        f"https://huxiao.example.cn/p/{world.fire_a.token}"
    )


def test_scan_page_opens_the_app_for_a_current_token(app, world):
    response = app.test_client().get(f"/p/{world.fire_a.token}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<link rel="manifest"' in page and "/pwa/js/main.js" in page


def test_unknown_token_page_is_a_clear_404(app, world):
    response = app.test_client().get("/p/definitely-not-a-token")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "无法识别的二维码" in response.get_data(as_text=True)


def reissue(app, point_id):
    with app.app_context():
        token = reissue_token(db.session.get(RiskPoint, point_id))
        db.session.commit()
        return token


def test_reissued_token_replaces_the_old_one(app, world, login):
    new = reissue(app, world.fire_a.id)
    assert new != world.fire_a.token
    page = app.test_client().get(f"/p/{world.fire_a.token}")
    assert page.status_code == 410
    assert "此二维码已更换" in page.get_data(as_text=True)
    client = login("patroller")
    old_scan = client.get(f"/api/scan/{world.fire_a.token}")
    assert old_scan.status_code == 410 and old_scan.json["error"] == "token_replaced"
    assert "ask your school for the new label" in old_scan.json["message"]
    assert client.get(f"/api/scan/{new}").status_code == 200
    assert app.test_client().get(f"/p/{new}").status_code == 200


def test_record_captured_before_the_reissue_is_still_accepted(app, world, login):
    """The offline queue may deliver a record scanned from the old label after the reissue."""
    client = login("patroller")
    before = answers(client, world.fire_a.token)
    captured = (utcnow() - timedelta(minutes=5)).isoformat()
    reissue(app, world.fire_a.id)
    late = client.post("/api/inspections", json={**before, "captured_at": captured})
    assert late.status_code == 201 and late.json["point_id"] == world.fire_a.id
    after = client.post("/api/inspections", json={**before, "captured_at": utcnow().isoformat()})
    assert after.status_code == 410


def test_retired_point_revokes_its_code(app, world, login):
    with app.app_context():
        retire_point(db.session.get(RiskPoint, world.water_a.id))
        db.session.commit()
    page = app.test_client().get(f"/p/{world.water_a.token}")
    assert page.status_code == 410 and "此风险点已停用" in page.get_data(as_text=True)
    client = login("patroller")
    assert client.get(f"/api/scan/{world.water_a.token}").json["error"] == "point_retired"
    assert world.water_a.id not in {p["id"] for p in client.get("/api/points").json}
    retired = client.get("/api/points?include_retired=true").json
    assert world.water_a.id in {p["id"] for p in retired}


def test_short_code_is_typed_instead_of_scanning(app, world, login):
    from app.points.tokens import parse_short_code

    client = login("patroller")
    point = next(p for p in client.get("/api/points").json if p["id"] == world.fire_a.id)
    code = point["short_code"]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert parse_short_code(typed) == code
    scan = client.get(f"/api/scan/{typed}")
    assert scan.status_code == 200 and scan.json["point"]["id"] == world.fire_a.id
    # an inspection sent with the code records the token it stands for
    body = answers(client, code)
    response = client.post("/api/inspections", json=body)
    assert response.status_code == 201 and response.json["token"] == world.fire_a.token
    # reissuing the label retires its code with its token
    reissue(app, world.fire_a.id)
    assert client.get(f"/api/scan/{code}").status_code == 410
    assert login("patroller_b").get(f"/api/scan/{code}").status_code == 404


def test_short_codes_are_well_formed_and_distinct():
    from app.points.tokens import new_short_code, parse_short_code

    codes = {new_short_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(parse_short_code(c) == c for c in codes)
    for not_a_code in ("hello", "ABCD-EFGU", "ABCD-EFGH-J", "_hkAPcZcE7qHQAR7lLVtOg"):
        assert parse_short_code(not_a_code) is None, not_a_code
