"""One JSON error shape for every 4xx and 5xx: {code, status, message, error, errors}.

A request that fails its schema answers `errors` field by field, like the services' own
refusals, and `error` is the schema's `error_code` (e.g. `invalid_items`) or `invalid_data`.
"""

from flask_smorest import Api
from flask_smorest import abort as smorest_abort
from marshmallow import Schema, fields

from app.openapi import SchemaRulesPlugin
from app.points.levels import DEFAULT_RISK_LEVELS


def abort(status: int, message: str, error: str | None = None, **extra) -> None:
    """Stop the request with a JSON error: a message for people, a stable code for programs.

    `errors` says what is wrong field by field; `body` adds fields of its own to the error
    (an import's refused rows), as the endpoint's documented error schema lists them.
    """
    smorest_abort(status, message=message, error=error, **extra)


class ErrorSchema(Schema):
    """Every error body, as `HuxiaoApi.handle_http_exception` writes it."""

    code = fields.Integer(required=True, metadata={"description": "the HTTP status"})
    status = fields.String(required=True, metadata={"description": "the HTTP status's name"})
    message = fields.String(required=True, metadata={"description": "what is wrong, for people"})
    error = fields.String(metadata={"description": "a stable code for programs, e.g. unknown_point"})
    errors = fields.Dict(metadata={"description": "field by field, what is wrong with the data sent"})


#: where webargs says a message came from; a client needs only the field
LOCATIONS = ("json", "query", "form", "files", "multipart", "headers", "cookies", "path")


def _by_field(messages: dict) -> dict:
    """Field -> messages, whatever part of the request the field was in (as the services' own 422s say it)."""
    if not set(messages) <= set(LOCATIONS):
        return messages
    merged: dict = {}
    for part in messages.values():
        if isinstance(part, dict):
            merged.update(part)
        else:  # about the whole body (not JSON at all): marshmallow's key for what no one field is to blame
            merged.setdefault("_schema", []).extend(part)
    return merged


PAGINATION_HEADER = {
    "description": "The page's place in the list, as JSON text: "
                   '{"total": 120, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 1, "next_page": 2}',
    "schema": {"type": "string"},
}


class HuxiaoApi(Api):
    """flask-smorest's Api, with a stable `error` code and a message on every error, documented as sent."""

    ERROR_SCHEMA = ErrorSchema

    def _init_spec(self, **options):
        # a plugin per app's spec (it keeps the spec's references): schemas' cross-field rules, the app's risk levels
        levels = self._app.config.get("RISK_LEVELS") or DEFAULT_RISK_LEVELS
        super()._init_spec(**{"marshmallow_plugin": SchemaRulesPlugin([lvl.key for lvl in levels]), **options})

    def _register_pagination_header(self):
        # flask-smorest documents X-Pagination as an object; a header is text, and this one is JSON text
        self.spec.components.header("PAGINATION", PAGINATION_HEADER, lazy=True)

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        # werkzeug's own headers, e.g. the Allow of a 405, which flask-smorest leaves out
        headers = {**{k: v for k, v in error.get_headers() if k.lower() != "content-type"}, **(headers or {})}
        data = getattr(error, "data", None) or {}
        if "messages" in data and "errors" not in data:  # the request failed its schema
            payload["errors"] = _by_field(data["messages"])
            payload["error"] = getattr(data.get("schema"), "error_code", None) or "invalid_data"
        if "message" not in payload:
            if data.get("messages", {}).get("json") == ["Invalid JSON body."]:
                payload["message"] = "The request body is not valid JSON."
            elif "messages" in data:
                payload["message"] = "The request's data is not valid: see `errors`."
            else:
                payload["message"] = error.description or error.name
        if data.get("error"):
            payload["error"] = data["error"]
        elif code == 429:  # Flask-Limiter's refusals carry no code of their own
            payload["error"] = "rate_limited"
        payload.update(data.get("body") or {})
        return payload, code, headers
