"""Migrations build the schema the models describe, on every backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db


def differences(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_models_match_migrations(app):
    """The session fixture upgraded an empty database to head; autogenerate finds nothing left."""
    assert differences(app) == []


def test_downgrade_to_empty_and_back(app):
    with app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
    assert differences(app) == []


def _a_school(conn) -> None:
    """County 1, township 2, school 3: the units an older schema's rows hang from."""
    import sqlalchemy as sa

    conn.execute(sa.text("INSERT INTO org_units (id, kind, name, parent_id, path) "
                         "VALUES (1, 'county', 'c', NULL, '/1/'), (2, 'township', 't', 1, '/1/2/'), "
                         "(3, 'school', 's', 2, '/1/2/3/')"))


def test_upgrade_gives_existing_tokens_short_codes(app):
    """A database from before short codes keeps its points and gets a code for every token."""
    import sqlalchemy as sa

    with app.app_context():
        downgrade(revision="6ba11acecc77")
        with db.engine.begin() as conn:
            _a_school(conn)
            conn.execute(sa.text("INSERT INTO checklist_templates (id, name, category, created_at) "
                                 "VALUES (1, 'x', 'fire', '2026-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO risk_points (id, school_id, name, location, category, risk_level, responsible, "
                "template_id, active, token, token_version, created_at) VALUES "
                "(1, 3, 'p', '', 'fire', 'red', '', 1, true, 'tok-one', 2, '2026-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO qr_tokens (token, point_id, version, status, issued_at) VALUES "
                "('tok-old', 1, 1, 'replaced', '2026-01-01'), ('tok-one', 1, 2, 'active', '2026-01-02')"))
        upgrade()
        with db.engine.begin() as conn:
            codes = dict(conn.execute(sa.text("SELECT token, short_code FROM qr_tokens")).all())
            point_code = conn.execute(sa.text("SELECT short_code FROM risk_points")).scalar_one()
            for table in ("qr_tokens", "risk_points", "checklist_templates", "org_units"):
                conn.execute(sa.text(f"DELETE FROM {table}"))
    assert set(codes) == {"tok-old", "tok-one"} and len(set(codes.values())) == 2
    assert point_code == codes["tok-one"]
    assert differences(app) == []


def test_upgrade_gives_existing_public_reports_status_tokens(app):
    """Reports sent before status links each get a token of their own, so the column can be unique."""
    import sqlalchemy as sa

    with app.app_context():
        downgrade(revision="f1524019cb5c")
        with db.engine.begin() as conn:
            _a_school(conn)
            conn.execute(sa.text("INSERT INTO snap_codes (id, school_id, token, created_at) "
                                 "VALUES (1, 3, 'snap-one', '2026-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO public_reports (id, school_id, code_id, client_key, description, phone, device_id, "
                "address, created_at, status, triage_note) VALUES "
                "(1, 3, 1, NULL, 'a', '', '', '', '2026-01-01', 'new', ''), "
                "(2, 3, 1, NULL, 'b', '', '', '', '2026-01-02', 'dismissed', 'no')"))
        upgrade()
        with db.engine.begin() as conn:
            tokens = conn.execute(sa.text("SELECT status_token FROM public_reports")).scalars().all()
            for table in ("public_reports", "snap_codes", "org_units"):
                conn.execute(sa.text(f"DELETE FROM {table}"))
    assert len(tokens) == 2 and len(set(tokens)) == 2 and all(len(t) == 22 for t in tokens)
    assert differences(app) == []
