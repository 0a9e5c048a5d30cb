"""Fixtures: the app on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), clients, a small county."""

import os
import shutil
import uuid
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.accounts.models import Role
from app.accounts.services import create_user
from app.checklists.services import ensure_default_templates
from app.config import database_url
from app.extensions import db, limiter
from app.escalation.models import EscalationPolicy
from app.labels.runner import drain as drain_label_batches
from app.orgs.models import OrgKind
from app.orgs.services import add_grid, add_org_unit
from app.points.services import create_point
from app.schedules.services import forget_all as forget_county_rules

PASSWORD = "correct-horse-9"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _postgres_schema_url(base_url: str) -> tuple[str, str]:
    """Make a schema of our own, so concurrent test runs never share tables."""
    schema = f"hx_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = database_url(base_url)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:  # CI must fail, not skip, without PostgreSQL
        raise pytest.UsageError(f"TEST_DATABASE_URL is set but PostgreSQL is not reachable: {exc}") from exc
    finally:
        engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}", schema


def _drop_schema(base_url: str, schema: str) -> None:
    engine = sa.create_engine(database_url(base_url))
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    """The app on a migrated, empty database of one backend."""
    tmp = tmp_path_factory.mktemp(request.param)
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'test.db'}"
    else:
        url, schema = _postgres_schema_url(os.environ["TEST_DATABASE_URL"])
    os.environ["HUXIAO_INSTANCE_PATH"] = str(tmp / "instance")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "PHOTO_DIR": str(tmp / "photos"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # scrypt costs ~50 ms a user; tests make many
        "PUBLIC_BASE_URL": "https://huxiao.example.cn",
        "QR_BATCH_DIR": str(tmp / "qr_batches"),
        # the tests' webhook receivers and robots are plain-http servers on 127.0.0.1 (tests/receivers.py)
        "WEBHOOK_ALLOW_HTTP": True,
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "WEBHOOK_ROBOT_HOSTS": {"wecom": "127.0.0.1", "dingtalk": "127.0.0.1"},
    })
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()
    if schema:
        _drop_schema(os.environ["TEST_DATABASE_URL"], schema)


@pytest.fixture(autouse=True)
def _clean(request):
    """Empty every table after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    drain_label_batches(timeout=120)  # a batch started over HTTP may still be rendering
    with app.app_context():
        db.session.remove()
        tables = [t for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())
        limiter.reset()
    forget_county_rules()  # ids start again at 1: a county's cached calendar must not outlive its test
    shutil.rmtree(app.config["QR_BATCH_DIR"], ignore_errors=True)


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class ApiClient:
    """A test client that sends the session's CSRF token on writes, as the PWA does."""

    def __init__(self, client, csrf_token: str | None = None):
        self.client = client
        self.csrf_token = csrf_token

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def _write(self, method, url, headers=None, **kw):
        headers = dict(headers or {})
        if self.csrf_token:
            headers.setdefault("X-CSRF-Token", self.csrf_token)
        return getattr(self.client, method)(url, headers=headers, **kw)

    def post(self, url, **kw):
        return self._write("post", url, **kw)

    def put(self, url, **kw):
        return self._write("put", url, **kw)

    def delete(self, url, **kw):
        return self._write("delete", url, **kw)


@pytest.fixture
def login(app):
    """Log a user in on a fresh client; return an ApiClient."""

    def _login(username: str, password: str = PASSWORD) -> ApiClient:
        client = app.test_client()
        response = client.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.json
        return ApiClient(client, response.json["csrf_token"])

    return _login


@pytest.fixture
def world(app):
    """A small county: school A (township 1) and school B (township 2), each with points and people.

    Usernames: one per role at A's side (patroller, leader, teacher, safety, principal,
    township, county) and `patroller_b` at school B.
    """
    with app.app_context():
        templates = ensure_default_templates()
        county = add_org_unit(OrgKind.COUNTY, "测试县")
        t1 = add_org_unit(OrgKind.TOWNSHIP, "一镇", county)
        t2 = add_org_unit(OrgKind.TOWNSHIP, "二乡", county)
        school_a = add_org_unit(OrgKind.SCHOOL, "甲小学", t1)
        school_b = add_org_unit(OrgKind.SCHOOL, "乙中学", t2)
        grid_a = add_grid(school_a, "教学区网格")
        grid_b = add_grid(school_b, "生活区网格")
        fire_a = create_point(school_a, "教学楼灭火器", "fire", "yellow", templates["fire"], grid=grid_a,
                              location="教学楼1层", responsible="王建国")
        water_a = create_point(school_a, "南侧河道", "water", "red", templates["water"], grid=grid_a)
        dorm_b = create_point(school_b, "宿舍疏散通道", "dormitory", "red", templates["dormitory"], grid=grid_b)
        users = {
            "patroller": (Role.PATROLLER, school_a),
            "leader": (Role.GRID_LEADER, school_a),
            "teacher": (Role.TEACHER, school_a),
            "safety": (Role.SAFETY_OFFICER, school_a),
            "principal": (Role.PRINCIPAL, school_a),
            "township": (Role.TOWNSHIP_SUPERVISOR, t1),
            "county": (Role.COUNTY_ADMIN, county),
            "patroller_b": (Role.PATROLLER, school_b),
        }
        made = {name: create_user(name, name, role, unit, PASSWORD) for name, (role, unit) in users.items()}
        grid_a.patrollers.append(made["patroller"])
        grid_a.leader = made["leader"]
        # the county's duty runs round the clock, so tests of climbing and sending read in wall-clock
        # hours from the red point's midnight deadline; tests/test_quiet_hours.py sets working hours
        db.session.add(EscalationPolicy(county_id=county.id, climb_hours="{}", work_start="00:00", work_end="24:00"))
        db.session.commit()
        return SimpleNamespace(
            county_id=county.id, school_a_id=school_a.id, school_b_id=school_b.id,
            fire_a=SimpleNamespace(id=fire_a.id, token=fire_a.token),
            water_a=SimpleNamespace(id=water_a.id, token=water_a.token),
            dorm_b=SimpleNamespace(id=dorm_b.id, token=dorm_b.token),
            user_ids={name: u.id for name, u in made.items()},
        )


def answers(client, token: str, result: str = "pass", **overrides) -> dict:
    """Scan a point and build a submission answering every item with `result`."""
    scan = client.get(f"/api/scan/{token}")
    assert scan.status_code == 200, scan.json
    body = {"token": token, "results": [{"item_id": i["id"], "result": result} for i in scan.json["items"]]}
    body.update(overrides)
    return body
