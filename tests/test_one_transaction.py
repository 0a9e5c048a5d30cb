"""One transaction per request: verbs flush, the edge commits once, so a retry or a race leaves one of anything.

A verb that commits on its own (as adding a webhook, a calendar entry or a cadence once did)
lets a retry that loses the race on its Idempotency-Key keep what the verb wrote: 8 racing
retries made 2 webhooks.
"""

import ast
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import idempotency
from app.extensions import db
from app.outbox.models import Webhook
from app.schedules.models import CalendarEntry

APP = Path(__file__).resolve().parent.parent / "app"
#: the edges that commit: views, CLI commands, idempotent_write, and the background jobs
#: (a print batch's renderer, the outbox's sender and pruner, the demo's seeding)
EDGES = {"idempotency.py", "labels/runner.py", "outbox/send.py", "outbox/prune.py", "demo/seed.py",
         "demo/history.py"}
#: write views that are their own edge rather than idempotent_write: login and logout (no key before
#: a session), the public 随手拍 form (no account), an import (a dry run commits nothing), a print batch
#: (committed before its background thread reads it), a service worker's push renewal (no session)
SELF_COMMITTING_VIEWS = {"auth.Login", "auth.Logout", "snaps.PublicSnap", "imports.Import", "labels.Batches",
                         "push_renewal.Renewal"}


def _commits(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"]


def test_only_the_edges_commit():
    found = {}
    for path in APP.rglob("*.py"):
        name = path.relative_to(APP).as_posix()
        if path.name in ("routes.py", "cli.py") or path.name.endswith("_routes.py") or name in EDGES:
            continue
        if lines := _commits(path):
            found[name] = lines
    assert found == {}, "a domain verb commits: it must flush and leave the commit to the request or command"


def test_every_write_view_runs_in_one_committed_transaction(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in SELF_COMMITTING_VIEWS:
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            if not hasattr(getattr(view_class, method.lower()) if view_class else view, "idempotent_endpoint"):
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def race(app, login, username: str, n: int, method: str, url: str, body: dict, monkeypatch) -> list:
    """Send one request n times at once with one Idempotency-Key, each past the key's first lookup together."""
    clients = [login(username) for _ in range(n)]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    barrier = threading.Barrier(n, timeout=30)
    looked = threading.local()
    original_find = idempotency._find

    def racing_find(k):
        found = original_find(k)
        if not getattr(looked, "once", False):
            looked.once = True
            barrier.wait()  # nobody goes on until all have found nothing
        return found

    monkeypatch.setattr(idempotency, "_find", racing_find)
    answers = [None] * n

    def send(i):
        answers[i] = getattr(clients[i], method)(url, json=body, headers=key)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("what", ["webhook", "calendar entry"])
def test_eight_racing_retries_with_one_key_make_one(app, world, login, monkeypatch, what):
    if what == "webhook":
        model, username, url = Webhook, "safety", "/api/webhooks"
        body = {"org_unit_id": world.school_a_id, "name": "安全群", "kind": "json", "url": "https://8.8.8.8/hook"}
    else:
        model, username, url = CalendarEntry, "county", "/api/calendar"
        body = {"kind": "holiday", "start": "2026-12-30", "name": "校庆"}
    answers = race(app, login, username, 8, "post", url, body, monkeypatch)
    assert {a.status_code for a in answers} == {201}, [a.json for a in answers]
    assert len({a.get_data() for a in answers}) == 1  # every retry got the first answer
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 7
    assert _count(app, model) == 1


def test_racing_retries_of_a_cadence_change_recompute_once_and_keep_the_cache_true(app, world, login, monkeypatch):
    answers = race(app, login, "county", 8, "put", "/api/schedule-policy",
                   {"level_frequencies": {"yellow": "daily"}}, monkeypatch)
    assert {a.status_code for a in answers} == {200}
    with app.app_context():
        from app.audit.models import AuditEntry

        changes = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                    .where(AuditEntry.entity == "schedule_policy"))
    assert changes == 1  # recorded once, by the one transaction that stayed
    fire = login("patroller").get(f"/api/points/{world.fire_a.id}").json  # yellow: now daily
    assert fire["due"]["state"] in ("due", "overdue")


def test_a_retry_refused_for_what_its_own_first_request_wrote_gets_that_first_answer(app, world, login, monkeypatch):
    """A retry that looked for its key just before the first request committed, then ran into that request's
    calendar entry (422, it overlaps), answers as the first request did, not with the overlap."""
    county = login("county")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"kind": "holiday", "start": "2026-12-30", "name": "校庆"}
    first = county.post("/api/calendar", json=body, headers=key)
    assert first.status_code == 201, first.json
    real_find, calls = idempotency._find, []

    def looked_too_early(k):
        calls.append(k)
        return None if len(calls) == 1 else real_find(k)

    monkeypatch.setattr(idempotency, "_find", looked_too_early)
    retry = county.post("/api/calendar", json=body, headers=key)
    assert retry.status_code == 201 and retry.get_data() == first.get_data(), retry.json
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert _count(app, CalendarEntry) == 1
