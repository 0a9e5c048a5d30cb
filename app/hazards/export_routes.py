"""Files to print and hand on: a hazard's rectification notice, the hazard ledger, a school's 随手拍 poster."""

from urllib.parse import quote

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields, validate

from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import visible_school
from app.blueprint import Blueprint
from app.db_types import utcnow
from app.extensions import db
from app.fields import Choice
from app.hazards.ledger import FORMATS, XLSX, export_ledger
from app.hazards.notice import notice_pdf
from app.hazards.schemas import HazardQuery
from app.hazards.services import visible_hazard
from app.snaps.poster import poster_pdf
from app.snaps.routes import snap_url
from app.snaps.services import school_code

blp = Blueprint("hazard_exports", __name__, url_prefix="/api",
                description="Print and export: rectification notices, the hazard ledger, 随手拍 posters")


class LedgerQuery(HazardQuery):
    class Meta:
        exclude = ("view",)

    format = Choice(FORMATS, load_default="xlsx",
                           metadata={"description": "xlsx (default) or csv (UTF-8 with BOM, for Excel)"})


def attachment(data: bytes, mimetype: str, filename: str, fallback: str) -> Response:
    """A download named in Chinese (RFC 5987 `filename*`), with an ASCII name for older browsers."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}")
    response.headers["Cache-Control"] = "private, no-store"  # names of people: never kept by a shared cache
    return response


@blp.route("/hazards/<id:hazard_id>/notice.pdf")
class Notice(MethodView):
    @blp.response(200, description="The notice, A4", content_type="application/pdf")
    @blp.alt_response(404, description="No such hazard in the caller's area")
    def get(self, hazard_id):
        """The hazard's rectification notice (整改通知书) to print, sign and stamp; blank lines where not yet assigned."""
        hazard = visible_hazard(current_user, hazard_id)
        return attachment(notice_pdf(hazard), "application/pdf", f"整改通知书-{hazard.number}.pdf",
                          f"notice-{hazard.number}.pdf")


@blp.route("/hazards/ledger")
class Ledger(MethodView):
    @blp.arguments(LedgerQuery, location="query")
    @blp.response(200, description="隐患整改工作台账, one row per hazard, oldest first", content_type=XLSX)
    @blp.alt_response(403, description="Managers only")
    def get(self, query):
        """The hazard rectification ledger (隐患整改工作台账) of the caller's area, as XLSX or CSV, with the list's filters."""
        require(current_user, MANAGERS, "export the hazard ledger")
        fmt = query.pop("format")
        got = export_ledger(current_user, query, fmt, utcnow())
        return attachment(got.data, got.mimetype, got.filename, got.fallback)


@blp.route("/schools/<id:school_id>/snap-code.pdf")
class SnapPoster(MethodView):
    @blp.response(200, description="An A4 poster with the school's 随手拍 code", content_type="application/pdf")
    @blp.alt_response(403, description="Managers only")
    @blp.alt_response(404, description="No such school in the caller's area")
    def get(self, school_id):
        """The school's 随手拍 poster to put up at the gate: its name, what to do, a big QR code."""
        require(current_user, MANAGERS, "print a school's 随手拍 poster")
        school = visible_school(current_user, school_id)
        code = school_code(school)
        db.session.commit()  # the code is made the first time it is asked for
        return attachment(poster_pdf(school.name, snap_url(code.token)), "application/pdf",
                          f"随手拍-{school.name}.pdf", f"snap-poster-{school.id}.pdf")
