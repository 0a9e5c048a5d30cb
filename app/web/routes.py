"""The page a scanned QR code opens, the health check, and Swagger UI's assets."""

from flask import Blueprint, jsonify, render_template, request, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import NotFound

from app.extensions import api, db
from app.points.models import TokenStatus
from app.points.services import find_token
from app.web.pwa import shell

bp = Blueprint("web", __name__, template_folder="templates")


@bp.get("/p/<token:token>")
def scanned(token: str):
    """Land a scan from a phone's camera or WeChat on its point."""
    found = find_token(token)
    if found is None:
        return render_template("scan_unknown.html"), 404
    if found.status is not TokenStatus.ACTIVE:
        return render_template("scan_ended.html", replaced=found.status is TokenStatus.REPLACED), 410
    return shell()


@bp.app_errorhandler(NotFound)
def not_found(error: NotFound):
    """A scanned code no route takes (a stray character, a NUL byte) gets the page a scan expects; the rest JSON."""
    if request.path.startswith("/p/"):
        return render_template("scan_unknown.html"), 404
    return api.handle_http_exception(error)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", message="database not reachable"), 503
    return jsonify(status="ok")


def swagger_ui_assets(filename: str):
    """Serve Swagger UI from the installed package, so the docs work with no CDN."""
    return send_from_directory(swagger_ui_path, filename, max_age=86400)
