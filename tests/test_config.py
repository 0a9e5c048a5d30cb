"""Configuration from the environment, with safe local defaults."""

import pytest

from app import create_app
from app.accounts.models import User
from app import config
from app.config import database_url


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(tmp_path))
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    assert len(first) >= 32 and first == second
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    other = tmp_path / "other"
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(other))
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"] != first


def test_environment_sets_database_base_url_and_photo_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.internal:5432/huxiao")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://hx.county.gov.cn/")
    monkeypatch.setenv("PHOTO_DIR", "/srv/huxiao/photos")
    config = create_app().config
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.internal:5432/huxiao"
    assert config["PUBLIC_BASE_URL"] == "https://hx.county.gov.cn"
    assert config["PHOTO_DIR"] == "/srv/huxiao/photos"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(tmp_path))
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/huxiao.db"


def test_production_needs_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HUXIAO_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_bad_number_in_environment_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PHOTO_MAX_BYTES", "ten megabytes")
    with pytest.raises(RuntimeError, match="PHOTO_MAX_BYTES"):
        create_app()


def test_passwords_use_scrypt_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        user = User(username="x", display_name="x")
        user.set_password("long enough password")
        assert user.password_hash.startswith("scrypt:")


def test_database_url_keeps_other_backends():
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"


def test_sqlite_durability_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("HUXIAO_INSTANCE_PATH", str(tmp_path))
    for level, expected in (("NORMAL", 1), ("full", 2)):
        monkeypatch.setenv("SQLITE_SYNCHRONOUS", level)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/{level}.db"})
        with app.app_context():
            from app.extensions import db
            assert db.session.execute(db.text("PRAGMA synchronous")).scalar() == expected
            assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
    monkeypatch.setenv("SQLITE_SYNCHRONOUS", "sometimes")
    with pytest.raises(RuntimeError, match="SQLITE_SYNCHRONOUS"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_time_zone_and_hazard_deadlines_are_checked_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Asia/Beijing")  # not an IANA zone
    with pytest.raises(RuntimeError, match="TIME_ZONE"):
        config.from_environment(str(tmp_path))
    monkeypatch.setenv("TIME_ZONE", "Asia/Urumqi")
    monkeypatch.setenv("HAZARD_DEADLINE_HOURS", "red=12, orange=48")
    settings = config.from_environment(str(tmp_path))
    assert (settings["TIME_ZONE"], settings["HAZARD_DEADLINE_HOURS"]) == ("Asia/Urumqi", {"red": 12, "orange": 48})
    monkeypatch.setenv("HAZARD_DEADLINE_HOURS", "red=soon")
    with pytest.raises(RuntimeError, match="HAZARD_DEADLINE_HOURS"):
        config.from_environment(str(tmp_path))


def test_outbox_keep_days_is_checked_at_start(tmp_path, monkeypatch):
    assert config.from_environment(str(tmp_path))["OUTBOX_KEEP_DAYS"] == 90
    monkeypatch.setenv("OUTBOX_KEEP_DAYS", "30")
    assert config.from_environment(str(tmp_path))["OUTBOX_KEEP_DAYS"] == 30
    for bad in ("0", "a month"):
        monkeypatch.setenv("OUTBOX_KEEP_DAYS", bad)
        with pytest.raises(RuntimeError, match="OUTBOX_KEEP_DAYS"):
            config.from_environment(str(tmp_path))


def test_web_push_keys_are_checked_at_start(tmp_path, monkeypatch):
    from app.config import from_environment
    from app.outbox.push import new_private_key

    monkeypatch.setenv("VAPID_PRIVATE_KEY", "not-a-key")
    with pytest.raises(RuntimeError, match="flask push keys"):
        from_environment(str(tmp_path))
    monkeypatch.setenv("VAPID_PRIVATE_KEY", new_private_key())
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://10.0.0.5:5000")
    with pytest.raises(RuntimeError, match="VAPID_SUBJECT"):
        from_environment(str(tmp_path))
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://huxiao.example.cn")
    assert from_environment(str(tmp_path))["VAPID_SUBJECT"] == "https://huxiao.example.cn"
    monkeypatch.setenv("VAPID_SUBJECT", "mailto:anquan@example.cn")
    assert from_environment(str(tmp_path))["VAPID_SUBJECT"] == "mailto:anquan@example.cn"
