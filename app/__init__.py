"""Huxiao (护校): campus-safety patrol. The application factory."""

import os

from flask import Flask

from app import config
from app.extensions import api, db, limiter, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then the environment, then `test_config`."""
    app = Flask(__name__, instance_path=os.environ.get("HUXIAO_INSTANCE_PATH"), instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.from_environment(app.instance_path))
    app.config.from_prefixed_env()
    if test_config:
        app.config.from_mapping(test_config)
    if app.config.get("RISK_LEVELS_FILE") and not app.config.get("RISK_LEVELS"):
        from app.points.levels import load_levels

        app.config["RISK_LEVELS"] = load_levels(app.config["RISK_LEVELS_FILE"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret(app.instance_path)

    # JSON as UTF-8 in the schemas' field order: Chinese in 3 bytes a character, not a
    # 6-byte \u escape, matters on a patroller's mobile data.
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from app import database, models  # noqa: F401  (models: the whole schema for Alembic)

    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", database.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))

    db.init_app(app)
    database.init_database(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    limiter.init_app(app)
    api.init_app(app)
    from app.converters import CONVERTERS

    for name, (converter, param_schema) in CONVERTERS.items():
        app.url_map.converters[name] = converter
        api.register_converter(converter, param_schema)

    from app.accounts.sessions import init_sessions

    init_sessions(app)
    from app.web.proxies import init_proxies
    from app.web.security import init_security

    init_proxies(app)
    init_security(app)
    _register(app)
    return app


def _register(app: Flask) -> None:
    """Register every area's blueprint."""
    from app.accounts.people_routes import blp as people_blp
    from app.accounts.routes import blp as auth_blp
    from app.accounts.session_routes import blp as my_sessions_blp
    from app.checklists.routes import blp as checklists_blp
    from app.demo.cli import bp as demo_bp
    from app.escalation.cli import bp as escalation_cli_bp
    from app.escalation.routes import blp as escalation_blp
    from app.hazards.export_routes import blp as hazard_exports_blp
    from app.hazards.routes import blp as hazards_blp
    from app.imports.routes import blp as imports_blp
    from app.inspections.routes import blp as inspections_blp
    from app.labels.cli import bp as qr_cli_bp
    from app.labels.routes import blp as labels_blp
    from app.orgs.routes import blp as orgs_blp
    from app.outbox.cli import bp as outbox_cli_bp
    from app.outbox.routes import blp as outbox_blp
    from app.photos.routes import blp as photos_blp
    from app.points.routes import blp as points_blp
    from app.push_renewal.routes import blp as push_renewal_blp
    from app.reports.export_routes import blp as report_exports_blp
    from app.reports.routes import blp as reports_blp
    from app.schedules.cli import bp as schedules_cli_bp
    from app.schedules.routes import blp as calendar_blp
    from app.snaps.routes import blp as snaps_blp
    from app.web.pwa import bp as pwa_bp
    from app.web.routes import bp as web_bp
    from app.web.routes import swagger_ui_assets

    for blp in (auth_blp, my_sessions_blp, people_blp, orgs_blp, points_blp, photos_blp, inspections_blp, labels_blp,
                imports_blp, checklists_blp, hazards_blp, snaps_blp, hazard_exports_blp, calendar_blp,
                escalation_blp, outbox_blp, push_renewal_blp, reports_blp, report_exports_blp):
        api.register_blueprint(blp)
    app.register_blueprint(web_bp)
    app.register_blueprint(pwa_bp)
    app.register_blueprint(demo_bp)
    app.register_blueprint(qr_cli_bp)
    app.register_blueprint(schedules_cli_bp)
    app.register_blueprint(escalation_cli_bp)
    app.register_blueprint(outbox_cli_bp)
    app.add_url_rule("/api/docs/assets/<path:filename>", "swagger_ui_assets", swagger_ui_assets)
