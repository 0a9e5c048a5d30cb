"""A retried submission stores nothing new; a reused key with another body is refused."""

import threading
import uuid

from sqlalchemy import func, select

from app import idempotency
from app.extensions import db
from app.inspections.models import Inspection
from tests.conftest import answers


def inspections(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Inspection))


def test_same_key_twice_gives_first_answer_and_one_row(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post("/api/inspections", json=body, headers=key)
    again = client.post("/api/inspections", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert inspections(app) == 1


def test_same_key_with_keys_reordered_is_the_same_request(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    client.post("/api/inspections", json=body, headers=key)
    reordered = {"results": body["results"], "token": body["token"]}
    assert client.post("/api/inspections", json=reordered, headers=key).status_code == 201
    assert inspections(app) == 1


def test_same_key_other_body_is_409(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert client.post("/api/inspections", json=body, headers=key).status_code == 201
    body["results"][0].update(result="fail", note="损坏")
    response = client.post("/api/inspections", json=body, headers=key)
    assert response.status_code == 409
    assert response.json["error"] == "idempotency_key_reused"
    assert inspections(app) == 1


def test_refused_request_does_not_use_up_the_key(app, world, login):
    client = login("patroller")
    body = answers(client, world.fire_a.token)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    broken = {**body, "results": body["results"][:-1]}
    assert client.post("/api/inspections", json=broken, headers=key).status_code == 422
    assert client.post("/api/inspections", json=body, headers=key).status_code == 201
    assert inspections(app) == 1


def test_keys_belong_to_their_caller(app, world, login):
    key = {"Idempotency-Key": "shared-key-0001"}
    for username in ("patroller", "leader"):
        client = login(username)
        assert client.post("/api/inspections", json=answers(client, world.fire_a.token), headers=key).status_code == 201
    assert inspections(app) == 2


def test_malformed_key_is_400(world, login):
    client = login("patroller")
    response = client.post("/api/inspections", json=answers(client, world.fire_a.token),
                           headers={"Idempotency-Key": "no spaces allowed"})
    assert response.status_code == 400 and response.json["error"] == "bad_idempotency_key"


def test_concurrent_requests_with_one_key_store_one_inspection(app, world, login, monkeypatch):
    """Two requests with one key at once (two gunicorn workers, say): one row, one answer.

    Both requests are held until each has looked the key up and found nothing, so both
    go on to store it at the same time: the race is forced, not hoped for.
    """
    clients = [login("patroller") for _ in range(2)]
    body = answers(clients[0], world.fire_a.token)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    barrier = threading.Barrier(2, timeout=20)
    first_lookup = threading.local()
    lookups = []
    original_find = idempotency._find

    def racing_find(k):
        found = original_find(k)
        lookups.append(found)
        if not getattr(first_lookup, "done", False):
            first_lookup.done = True
            barrier.wait()
        return found

    monkeypatch.setattr(idempotency, "_find", racing_find)
    responses = [None, None]

    def send(i):
        responses[i] = clients[i].post("/api/inspections", json=body, headers=key)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].get_data() == responses[1].get_data()
    assert lookups[:2] == [None, None]  # both really raced past the first lookup
    assert len(lookups) == 3  # the loser looked again and replayed the winner's answer
    assert inspections(app) == 1
