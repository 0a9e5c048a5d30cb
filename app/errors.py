"""One JSON error shape for every 4xx and 5xx: {code, status, message, error, errors}."""

from flask_smorest import Api
from flask_smorest import abort as smorest_abort


def abort(status: int, message: str, error: str | None = None, **extra) -> None:
    """Stop the request with a JSON error: a message for people, a stable code for programs."""
    smorest_abort(status, message=message, error=error, **extra)


class HuxiaoApi(Api):
    """flask-smorest's Api, with a stable `error` code and a message on every error."""

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        data = getattr(error, "data", None) or {}
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
        return payload, code, headers
