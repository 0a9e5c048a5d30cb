"""The OpenAPI document is true: schemathesis drives every operation with generated input and checks the answers.

Its default checks, as three people: anonymous, a grid patroller and the county admin, on
each backend, over the small county of `world`. Any finding fails the test: a 500, an answer
the document does not describe (status, content type, headers, body), a request the document
calls invalid that is accepted, or one it calls valid that the schema layer refuses.
Bounded (few examples per operation, no shrinking) to keep the suite within minutes; the
coverage phase still sends each operation its boundary values, NUL bytes and huge numbers.

One default check is narrowed, not dropped: "valid data accepted" fails on any 422 the
schema layer gives (`invalid_data`, `missing_body`, a schema's own `error_code`), since
each of those means the document allowed what the schema refused. A 422 with another code
is a rule the document cannot state, that depends on the rows (a point of another school,
the same name twice) or the person asking: it answers with its own code and is not a
finding; nor is a 415 for an upload that is not an image by its content.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from marshmallow import class_registry
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import PASSWORD

#: who drives the API, and with what password (None: no session)
IDENTITIES = {"anonymous": None, "patroller": PASSWORD, "county": PASSWORD}
#: operations that would end the identity's own session or password mid-run (listing sessions is checked)
SESSION_ENDING = r"^/api/(auth/logout|me/password|me/sessions/.+)$"


@pytest.fixture(params=list(IDENTITIES))
def api_schema(request, app, world):
    username = request.param
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    if IDENTITIES[username] is not None:

        @schema.auth()
        class Session:
            def get(self, case, context):
                client = context.app.test_client()
                answer = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
                assert answer.status_code == 200, answer.json
                return {"cookie": client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value,
                        "csrf": answer.json["csrf_token"]}

            def set(self, case, data, context):
                case.cookies[app.config["SESSION_COOKIE_NAME"]] = data["cookie"]
                case.headers["X-CSRF-Token"] = data["csrf"]

    schema.config.generation.update(max_examples=4, no_shrink=True, deterministic=True, database="none")
    return schema


schema = schemathesis.pytest.from_fixture("api_schema").exclude(path_regex=SESSION_ENDING)


def schema_layer_codes() -> set[str]:
    """The `error` codes of a request refused by its schema (see app/errors.py)."""
    codes = {getattr(cls, "error_code", None) for classes in class_registry._registry.values() for cls in classes}
    return {"invalid_data", "missing_body"} | (codes - {None})


def valid_data_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, but for a refusal by a rule beyond the schema.

    Those are a 422 with the rule's own code, and a 415 for a file that is not an image by
    its content (a document can say "binary", not "a JPEG").
    """
    if response.status_code in (415, 422) and response.json().get("error") not in schema_layer_codes():
        return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_the_api_does_what_its_document_says(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance], additional_checks=[valid_data_accepted])
