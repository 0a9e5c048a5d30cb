"""Hostile input: NUL bytes, control characters and numbers past the columns get a 4xx, never a 500.

Each case was a 500 on PostgreSQL, on SQLite, or both, before the bounded field types of
`app/fields.py` and the path converters of `app/converters.py`; every test runs on both.
"""

import io
import json

import pytest
from marshmallow import fields

from app import fields as bounded
from app.hazards.models import Hazard
from app.extensions import db
from tests.hazard_helpers import photo, report

BIG = [2**31, 2**63, 10**25]  # past PostgreSQL's INTEGER, past SQLite's 64 bits, past both


def test_a_nul_byte_in_a_login_is_refused_before_any_query(app):
    client = app.test_client()
    for body, field in (({"username": "a\u0000b", "password": "x"}, "username"),
                        ({"username": "county", "password": "x\u0000"}, "password")):
        answer = client.post("/api/auth/login", json=body)
        assert answer.status_code == 422, answer.json
        assert field in answer.json["errors"] and "U+0000" in answer.json["errors"][field][0]
        assert answer.json["error"] == "invalid_data"


def test_tokens_with_nul_bytes_or_strange_characters_are_unknown(app, world):
    client = app.test_client()
    for path in ("/p/a%00b", "/api/public/snap/a%00b", "/api/public/snap/" + "x" * 65, "/p/%E2%80%AE%00"):
        assert client.get(path).status_code == 404, path
    assert client.post("/api/public/snap/a%00b", data={"description": "x"}).status_code == 404
    assert client.get("/p/a%00b").mimetype == "text/html"  # a person who scanned it reads a page, not JSON
    assert client.get(f"/p/{world.fire_a.token}").status_code == 200


def test_control_characters_in_notes_names_and_filters_are_refused_naming_the_field(world, login):
    county = login("county")
    cases = [
        ("post", "/api/points", {"school_id": world.school_a_id, "name": "灭火器\u0000", "category": "fire",
                                 "risk_level": "red"}, "name"),
        ("post", "/api/points", {"school_id": world.school_a_id, "name": "灭火器\t二楼", "category": "fire",
                                 "risk_level": "red"}, "name"),  # a name is one line: no tab either
        ("post", f"/api/points/{world.fire_a.id}/retire", {"reason": "拆除\u0007"}, "reason"),
        ("post", "/api/org-units", {"kind": "township", "name": "\u001b[31m镇", "parent_id": world.county_id}, "name"),
        ("get", "/api/hazards?place=x&category=fi%00re", None, "category"),
        ("get", "/api/reports/daily?period=2026-11-2%00", None, "period"),
    ]
    for method, url, body, field in cases:
        answer = getattr(county, method)(url, **({"json": body} if body is not None else {}))
        assert answer.status_code == 422, (url, answer.json)
        assert field in answer.json["errors"], (url, answer.json)


def test_a_lone_surrogate_is_refused_like_a_control_character(world, login):
    teacher = login("teacher")
    body = {"place": "操场", "category": "playground", "urgency": "soon", "description": "\ud800",
            "photo_ids": [photo(teacher)]}
    answer = teacher.post("/api/hazards", data=json.dumps(body), content_type="application/json")  # "\\ud800"
    assert answer.status_code == 422 and "description" in answer.json["errors"]


def test_free_text_keeps_tabs_and_line_breaks_as_sent(app, world, login):
    teacher = login("teacher")
    hazard = report(teacher, description="栏杆松动\t三处\r\n二楼、三楼")
    assert hazard["description"] == "栏杆松动\t三处\n二楼、三楼"  # CR LF (a browser's form) kept as LF
    with app.app_context():
        assert db.session.get(Hazard, hazard["id"]).description == "栏杆松动\t三处\n二楼、三楼"


def test_blank_names_are_refused(world, login):
    county = login("county")
    for name in ("   ", "\u3000", ""):
        answer = county.post("/api/points", json={"school_id": world.school_a_id, "name": name, "category": "fire",
                                                  "risk_level": "red"})
        assert answer.status_code == 422 and "name" in answer.json["errors"], repr(name)


@pytest.mark.parametrize("number", BIG)
def test_ids_past_the_columns_in_a_path_are_not_found(world, login, number):
    county = login("county")
    for url in (f"/api/points/{number}", f"/api/hazards/{number}", f"/api/photos/{number}",
                f"/api/qr-batches/{number}/pdf", f"/api/users/{number}"):
        method = county.client.patch if url.startswith("/api/users") else county.get
        assert method(url, json={} if method is not county.get else None).status_code == 404, url


@pytest.mark.parametrize("number", BIG)
def test_ids_and_counts_past_the_columns_in_a_body_or_query_are_refused(world, login, number):
    county = login("county")
    cases = [
        ("post", "/api/checklist-templates", {"source_id": number, "org_unit_id": world.school_a_id}, "source_id"),
        ("post", "/api/checklist-templates", {"source_id": 1, "org_unit_id": number}, "org_unit_id"),
        ("post", "/api/grids", {"school_id": world.school_a_id, "name": "网格", "patroller_ids": [number]},
         "patroller_ids"),
        ("get", f"/api/points?school_id={number}", None, "school_id"),
        ("get", f"/api/hazards?point_id={number}", None, "point_id"),
        ("get", f"/api/points?page={number}", None, "page"),
        ("get", f"/api/calendar?year={number}", None, "year"),
        ("put", "/api/escalation-policy", {"hold_hours": number}, "hold_hours"),
    ]
    for method, url, body, field in cases:
        answer = getattr(county, method)(url, **({"json": body} if body is not None else {}))
        assert answer.status_code == 422, (url, answer.json)
        assert field in answer.json["errors"], (url, answer.json)


def test_an_id_sent_as_text_in_json_is_not_an_id(world, login):
    county = login("county")
    answer = county.post("/api/checklist-templates", json={"source_id": "1", "org_unit_id": world.school_a_id})
    assert answer.status_code == 422 and "source_id" in answer.json["errors"]
    assert county.get(f"/api/points?school_id={world.school_a_id}").status_code == 200  # a query string is text


def test_an_unsupported_method_is_405_for_anyone_and_says_what_is_allowed(app, login, world):
    assert app.test_client().delete("/api/points").status_code == 405
    answer = login("county").delete("/api/points")
    assert answer.status_code == 405 and set(answer.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_a_form_part_whose_name_cannot_be_read_is_a_csrf_refusal_not_a_server_error(world, login):
    client = login("county").client  # no X-CSRF-Token
    # werkzeug reads the name of a part ending in a backslash as None
    body = b"--b\r\nContent-Disposition: form-data; name=\"a\\\"\r\n\r\n{}\r\n--b--\r\n"
    answer = client.post("/api/imports/points", data=body, content_type="multipart/form-data; boundary=b")
    assert answer.status_code == 403 and answer.json["error"] == "csrf_failed"


def test_a_write_without_its_body_is_refused_and_one_whose_body_is_optional_is_not(world, login):
    county = login("county")
    missing = county.post(f"/api/points/{world.fire_a.id}/retire")
    assert missing.status_code == 422 and missing.json["error"] == "missing_body"
    assert county.post("/api/notifications").status_code == 200  # no body: mark all read


def test_a_file_field_sent_as_text_or_empty_is_refused_naming_it(world, login):
    county = login("county")
    as_text = county.post("/api/imports/points", data={"file": "not a file", "dry_run": "true"})
    assert as_text.status_code == 422 and "file" in as_text.json["errors"]
    empty = county.post("/api/imports/points", data={"file": (io.BytesIO(b""), "points.csv")})
    assert empty.status_code == 422 and "empty" in empty.json["errors"]["file"][0]


def test_a_risk_level_is_one_of_the_deployments_levels_in_the_schema_and_the_document(app, world, login):
    county = login("county")
    answer = county.put("/api/escalation-policy", json={"climb_hours": {"purple": 5}, "at_once_levels": ["x"]})
    assert answer.status_code == 422
    assert "purple" in answer.json["errors"]["climb_hours"] and "0" in answer.json["errors"]["at_once_levels"]
    schemas = app.test_client().get("/api/openapi.json").json["components"]["schemas"]
    levels = ["red", "orange", "yellow", "blue"]
    assert list(schemas["EscalationPolicyIn"]["properties"]["climb_hours"]["properties"]) == levels
    assert schemas["PointIn"]["properties"]["risk_level"]["enum"] == levels


def test_the_document_states_the_rules_across_fields_and_the_idempotency_key(app):
    document = app.test_client().get("/api/openapi.json").json
    schemas = document["components"]["schemas"]
    assert "oneOf" in schemas["SeasonIn"] and [2, 29] in schemas["SeasonIn"]["properties"]["start"]["enum"]
    assert [2, 30] not in schemas["SeasonIn"]["properties"]["start"]["enum"]
    assert "anyOf" in schemas["HazardIn"]
    key = next(p for p in document["paths"]["/api/photos"]["post"]["parameters"] if p["name"] == "Idempotency-Key")
    assert key["schema"]["pattern"] == "^[A-Za-z0-9_.:\\-]{8,128}$"
    assert schemas["ErrorSchema" if "ErrorSchema" in schemas else "Error"]["properties"]["error"]


def test_a_public_report_with_a_control_character_is_refused(app, world, login):
    token = login("safety").get(f"/api/schools/{world.school_a_id}/snap-code").json["token"]
    from tests.hazard_helpers import picture

    buf = io.BytesIO()
    picture(1).save(buf, "JPEG")
    answer = app.test_client().post(f"/api/public/snap/{token}", data={
        "description": "护栏坏了\x01", "photos": [(io.BytesIO(buf.getvalue()), "a.jpg")]})
    assert answer.status_code == 422 and "description" in answer.json["errors"]
    assert answer.json["error"] == "invalid_report"


# -- every schema an endpoint reads uses the bounded types -------------------------------------------------------

SCALARS = (bounded.Id, bounded.Count, bounded.Text, bounded.Line, bounded.Day, bounded.Moment, bounded.Money,
           fields.Boolean, fields.Enum, bounded.File)


def _unbounded(field, where: str) -> list[str]:
    if isinstance(field, SCALARS):
        return []
    if isinstance(field, fields.Float) and any(
            getattr(v, "min", None) is not None and getattr(v, "max", None) is not None for v in field.validators):
        return []
    if isinstance(field, fields.Nested):
        return _schema_unbounded(field.schema, where)
    sized = any(getattr(v, "max", None) or getattr(v, "equal", None) for v in field.validators)
    if isinstance(field, fields.List):
        return ([] if sized else [f"{where}: a list with no maximum length"]) + _unbounded(field.inner, f"{where}[]")
    if isinstance(field, fields.Dict):
        return (([] if sized else [f"{where}: a dict with no maximum size"])
                + _unbounded(field.key_field, f"{where}{{key}}") + _unbounded(field.value_field, f"{where}{{value}}"))
    return [f"{where}: {type(field).__name__}"]


def _schema_unbounded(schema, where: str) -> list[str]:
    schema = schema() if isinstance(schema, type) else schema
    return [problem for name, field in schema.fields.items() if not field.dump_only
            for problem in _unbounded(field, f"{where}.{name}")]


def test_every_schema_an_endpoint_reads_uses_only_bounded_field_types(app):
    problems, read = [], 0
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        functions = [getattr(view_class, m.lower()) for m in view_class.methods] if view_class else [view]
        for function in functions:
            doc = getattr(function, "_apidoc", {})
            schemas = [p["schema"] for p in doc.get("arguments", {}).get("parameters", [])]
            if "pagination" in doc:
                schemas.append(doc["pagination"]["parameters"]["schema"])
            for schema in schemas:
                read += 1
                problems += _schema_unbounded(schema, f"{endpoint}:{function.__name__}")
    assert read > 50  # the walk found the API's schemas
    assert problems == []


def test_every_path_id_is_bounded(app):
    unbounded = [rule.rule for rule in app.url_map.iter_rules()
                 if any(type(c).__name__ in ("IntegerConverter", "UnicodeConverter", "PathConverter")
                        for name, c in rule._converters.items() if rule.rule.startswith("/api/") and name != "filename")]
    assert unbounded == []
