"""Idempotent writes: a client's key makes a retried request return the first answer.

The key, the request's fingerprint and the answer are stored in the same transaction
as the write itself, under a unique constraint on (user, key). So across workers,
servers and restarts a retry stores nothing new, and of two concurrent requests with
one key only one is stored and both get its answer.
"""

import copy
import functools
import hashlib
import json
import re

from flask import Response, request
from flask_login import current_user
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app.db_types import utcnow
from app.database import execute, fetch_one
from app.errors import abort
from app.extensions import db
from app.inspections.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{8,128}$")
#: how the OpenAPI document states the header, on every view `idempotent_write` wraps
KEY_PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "pattern": KEY_PATTERN.pattern},
    "description": "A UUID per action: a retry with it answers as the first request did (409 if the body differs)",
}


def request_fingerprint() -> str:
    """Hash the request body; JSON is canonicalised so key order and spacing don't count.

    A multipart form is hashed by its fields and files (name, file name, bytes), not its
    raw body: a browser picks a new random boundary each time it sends the same form.
    """
    if request.mimetype == "multipart/form-data":
        return hashlib.sha256(_form_canonical()).hexdigest()
    body = request.get_json(silent=True)
    raw = json.dumps(body, sort_keys=True, separators=(",", ":")).encode() if body is not None else request.get_data()
    return hashlib.sha256(raw).hexdigest()


def _form_canonical() -> bytes:
    files = []
    for name, upload in request.files.items(multi=True):
        digest = hashlib.sha256()
        for chunk in iter(lambda: upload.stream.read(1 << 16), b""):
            digest.update(chunk)
        upload.stream.seek(0)  # the view reads it again
        files.append([name, upload.filename or "", digest.hexdigest()])
    fields = sorted([name, value] for name, value in request.form.items(multi=True))
    return json.dumps({"fields": fields, "files": sorted(files)}, separators=(",", ":")).encode()


_STORED = select(
    IdempotencyKey.endpoint, IdempotencyKey.request_hash, IdempotencyKey.status_code, IdempotencyKey.response_body
).where(IdempotencyKey.user_id == bindparam("user_id"), IdempotencyKey.key == bindparam("key"))


_INSERT_KEY = insert(IdempotencyKey.__table__)


def _find(key: str):
    return fetch_one(_STORED, {"user_id": current_user.id, "key": key})


def _replay(stored, endpoint: str, fingerprint: str) -> Response:
    if stored["endpoint"] != endpoint or stored["request_hash"] != fingerprint:
        abort(409, "This Idempotency-Key was already used for a different request.", error="idempotency_key_reused")
    response = Response(stored["response_body"], status=stored["status_code"], mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent_write(endpoint: str):
    """Run a write view in one transaction, replaying its answer for a repeated Idempotency-Key.

    Put it above flask-smorest's decorators, so it sees the final response. Without the
    header the view still runs in one transaction: committed on 2xx, rolled back otherwise.

    The key is stored last, with the answer, just before the commit: so the write lock
    (SQLite) is held only while writing. Of two concurrent requests with one key, the
    second's insert of the key fails on the unique constraint (PostgreSQL makes it wait
    for the first to commit), its own writes are rolled back, and it replays the first's
    answer.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                try:
                    return _commit_if_ok(view(*args, **kwargs))
                except IntegrityError:
                    db.session.rollback()
                    _concurrent_change()
            if not KEY_PATTERN.match(key):
                abort(400, "Idempotency-Key must be 8-128 letters, digits or _.:- (a UUID is best).",
                      error="bad_idempotency_key")
            fingerprint = request_fingerprint()
            stored = _find(key)
            if stored is not None:
                return _replay(stored, endpoint, fingerprint)
            try:
                response = view(*args, **kwargs)
            except IntegrityError:
                # A retry racing the first request collides with what the first one wrote (a county's
                # one policy row) before it gets to the key: once that one committed, replay it.
                db.session.rollback()
                if (stored := _find(key)) is not None:
                    return _replay(stored, endpoint, fingerprint)
                _concurrent_change()
            except HTTPException:
                # Refused, perhaps for what a racing retry with this key just committed (a calendar entry
                # overlapping itself): if that one was stored meanwhile, its answer is this request's too.
                db.session.rollback()
                if (stored := _find(key)) is not None:
                    return _replay(stored, endpoint, fingerprint)
                raise
            if not 200 <= response.status_code < 300:
                return _commit_if_ok(response)
            try:
                execute(_INSERT_KEY, {
                    "user_id": current_user.id, "key": key, "endpoint": endpoint, "request_hash": fingerprint,
                    "status_code": response.status_code, "response_body": response.get_data(as_text=True),
                    "created_at": utcnow(),
                })
            except IntegrityError:
                db.session.rollback()
                return _replay(_find(key), endpoint, fingerprint)
            return _commit_if_ok(response)

        wrapper.idempotent_endpoint = endpoint  # how tests find the write views that lack it
        # flask-smorest reads a view's documentation from _apidoc; copied, so the view's own stays as it was
        wrapper._apidoc = copy.deepcopy(getattr(view, "_apidoc", {}))
        manual = wrapper._apidoc.setdefault("manual_doc", {})
        manual["parameters"] = [*manual.get("parameters", []), KEY_PARAMETER]
        return wrapper

    return decorate


def one_transaction(view):
    """Run a read that keeps what it computes (a report's finished spans) in one transaction, committed on 2xx."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return _commit_if_ok(view(*args, **kwargs))

    return wrapper


def _concurrent_change():
    abort(409, "Someone changed this at the same moment: reload it and try again.", error="concurrent_change")


def _commit_if_ok(response: Response) -> Response:
    if 200 <= response.status_code < 300:
        db.session.commit()
    else:
        db.session.rollback()
    return response
