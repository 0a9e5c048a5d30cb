"""随手拍 endpoints: the public form (no account), the school's triage queue, and the school's code."""

from flask import Response, current_app, request
from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import visible_school
from app.blueprint import Blueprint
from app.extensions import db, limiter
from app.fields import File, Id, Line, Text
from app.hazards.schemas import DuplicateOut, HazardIn
from app.idempotency import idempotent_write
from app.pagination import SelectPage
from app.points.schemas import NamedRef, PersonRef
from app.snaps.models import ReportStatus
from app.snaps.progress import Progress, progress, report_by_status_token, status_qr_png, status_url
from app.snaps.services import (accept, already_received, code_in_use, dismiss, duplicates_of_report, merge, replace_code,
                                reports_in_scope, school_code, submit, visible_report)

blp = Blueprint("snaps", __name__, url_prefix="/api", description="随手拍: public hazard reports and their triage")


def snap_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/s/{token}"


class PublicSchoolOut(Schema):
    school = fields.String(metadata={"description": "the school's name, shown on the form"})


class PublicReceiptOut(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    status_url = fields.Method("_status_url", metadata={
        "description": "the sender's own link to the report's progress; no account needed, keep it"})

    def _status_url(self, report):
        return status_url(report.status_token)


class ReportProgressOut(Schema):
    status = fields.Enum(Progress, by_value=True, metadata={
        "description": "received (in triage), accepted (a hazard), rectifying, closed, not_accepted"})
    school = fields.String(metadata={"description": "the school's name"})
    sent_on = fields.Date(metadata={"description": "the school's day the report was sent"})
    closed_on = fields.Date(allow_none=True, metadata={"description": "the day it was closed out (closed)"})
    reason = fields.String(metadata={"description": "why it was not taken up (not_accepted), else empty"})


class SnapCodeOut(Schema):
    token = fields.String()
    url = fields.Method("_url", metadata={"description": "what the school's poster's QR code encodes"})
    created_at = fields.DateTime()

    def _url(self, code):
        return snap_url(code.token)


class ReportOut(Schema):
    id = fields.Integer()
    school = fields.Nested(NamedRef)
    description = fields.String()
    phone = fields.String(metadata={"description": "for a reply, if the sender left one"})
    created_at = fields.DateTime()
    status = fields.String()
    photo_ids = fields.List(fields.Integer())
    hazard_id = fields.Integer(allow_none=True)
    triaged_by = fields.Nested(PersonRef, allow_none=True)
    triaged_at = fields.DateTime(allow_none=True)
    triage_note = fields.String()


class ReportDetailOut(ReportOut):
    possible_duplicates = fields.Nested(DuplicateOut, many=True)


class PublicReportForm(Schema):
    error_code = "invalid_report"

    photos = fields.List(File(), required=True, validate=validate.Length(min=1, max=3),
                         metadata={"description": "one to three photos"})
    description = Text(1000, required=True, required_text=True, metadata={"description": "what the sender saw"})
    phone = Line(20, load_default="", validate=validate.Regexp(r"^(\+?[0-9][0-9 -]{5,18}[0-9])?$",
                                                               error="a phone number we can call, or nothing"),
                 metadata={"description": "for a reply, if the sender wants one"})
    client_key = Line(64, load_default="", metadata={"description": "one per report: a retry is the same report"})
    device_id = Line(64, load_default="", metadata={"description": "the phone's own random id (throttling)"})


class ReportQuery(Schema):
    status = fields.Enum(ReportStatus, by_value=True)
    school_id = Id()


class AcceptIn(HazardIn):
    class Meta:
        exclude = ("photo_ids", "school_id")

    description = Text(2000, required_text=True, metadata={"description": "defaults to the sender's words"})
    note = Text(2000, load_default="")


class ReportMergeIn(Schema):
    hazard_id = Id(required=True)
    note = Text(2000, load_default="")


class DismissIn(Schema):
    note = Text(2000, required=True, required_text=True)


THROTTLED = "这部手机或这个网络提交得太多了，请一小时后再试。/ Too many reports from this phone or network: please try again in an hour."


def _a_retry() -> bool:
    token, key = (request.view_args or {}).get("token"), request.form.get("client_key")
    return bool(token and key) and already_received(token, key)


def _device_key() -> str:
    return "device:" + (request.headers.get("X-Device-Id") or request.form.get("device_id")
                        or request.remote_addr or "unknown")[:64]


@blp.route("/public/snap/<token:token>")
class PublicSnap(MethodView):
    @blp.response(200, PublicSchoolOut)
    @blp.alt_response(404, description="Unknown code")
    @blp.alt_response(410, description="The code was replaced")
    def get(self, token):
        """No account needed: which school this code belongs to."""
        return {"school": code_in_use(token).school.name}

    # A phone is charged for the reports it filed; the retry of one already received is
    # answered whatever the count, so a lost answer never turns into "too many".
    @limiter.limit(lambda: current_app.config["SNAP_REPORTS_PER_ADDRESS"], error_message=THROTTLED,
                   scope="snap-address", exempt_when=_a_retry)
    @limiter.limit(lambda: current_app.config["SNAP_REPORTS_PER_DEVICE"], key_func=_device_key,
                   deduct_when=lambda response: response.status_code == 201, error_message=THROTTLED,
                   scope="snap-device", exempt_when=_a_retry)
    @blp.arguments(PublicReportForm, location="multipart")
    @blp.response(201, PublicReceiptOut)
    @blp.alt_response(200, schema=PublicReceiptOut, description="The same report (client_key) was already received")
    @blp.alt_response(429, description="Too many reports from this phone or address")
    def post(self, form, token):
        """No account needed: a photo or three (`photos`), `description`, optional `phone`, `client_key`, `device_id`.

        Multipart form. Lands in the school's triage queue; becomes a hazard only when staff accept it.
        """
        report, created = submit(token, form, form["photos"], request.remote_addr or "")
        db.session.commit()
        return report, 201 if created else 200


@blp.route("/public/report-status/<token:token>")
class PublicReportStatus(MethodView):
    @blp.response(200, ReportProgressOut)
    @blp.alt_response(404, description="No report has this status link")
    def get(self, token):
        """No account needed: how the report behind a receipt's status link is getting on, in a stable code.

        Only the state, the school, the day sent, the day closed out and a reason: never a
        person's name or phone, nor the hazard's number.
        """
        # asked again on every visit (the state moves on); one person's link, so no shared cache keeps it
        return progress(token), 200, {"Cache-Control": "private, no-cache"}


@blp.route("/public/report-status/<token:token>/qr.png")
class PublicReportStatusQr(MethodView):
    @blp.response(200, description="A QR code of the status link", content_type="image/png")
    @blp.alt_response(404, description="No report has this status link")
    def get(self, token):
        """No account needed: the status link as a QR code, to scan again later or from another phone."""
        png = status_qr_png(status_url(report_by_status_token(token).status_token))
        response = Response(png, mimetype="image/png")
        # the same link's code never changes; one person's link, so no shared cache keeps it
        response.headers["Cache-Control"] = "private, max-age=2592000, immutable"
        return response


@blp.route("/public-reports")
class Reports(MethodView):
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, ReportOut(many=True))
    @blp.paginate(SelectPage, page_size=50, max_page_size=500)
    def get(self, filters):
        """The public reports of the caller's area, newest first (status=new: the triage queue)."""
        return reports_in_scope(current_user, filters)


@blp.route("/public-reports/<id:report_id>")
class ReportDetail(MethodView):
    @blp.response(200, ReportDetailOut)
    def get(self, report_id):
        """One public report, with open hazards it may duplicate."""
        return _with_duplicates(visible_report(current_user, report_id))


def _with_duplicates(report):
    report.possible_duplicates = duplicates_of_report(report)
    return report


@blp.route("/public-reports/<id:report_id>/accept")
class AcceptReport(MethodView):
    @idempotent_write("public_reports.accept")
    @blp.arguments(AcceptIn)
    @blp.response(200, ReportDetailOut)
    def post(self, data, report_id):
        """Make the report a hazard: say where (point or place), the category and how urgent."""
        return _with_duplicates(accept(current_user, visible_report(current_user, report_id), data))


@blp.route("/public-reports/<id:report_id>/merge")
class MergeReport(MethodView):
    @idempotent_write("public_reports.merge")
    @blp.arguments(ReportMergeIn)
    @blp.response(200, ReportDetailOut)
    def post(self, data, report_id):
        """Add the report (its words and photos) to an open hazard it describes."""
        return _with_duplicates(merge(current_user, visible_report(current_user, report_id), data))


@blp.route("/public-reports/<id:report_id>/dismiss")
class DismissReport(MethodView):
    @idempotent_write("public_reports.dismiss")
    @blp.arguments(DismissIn)
    @blp.response(200, ReportDetailOut)
    def post(self, data, report_id):
        """Not a hazard: dismiss it, saying why."""
        return _with_duplicates(dismiss(current_user, visible_report(current_user, report_id), data))


@blp.route("/schools/<id:school_id>/snap-code")
class SchoolSnapCode(MethodView):
    @blp.response(200, SnapCodeOut)
    def get(self, school_id):
        """The school's 随手拍 code (made the first time it is asked for)."""
        require(current_user, MANAGERS, "see a school's 随手拍 code")
        code = school_code(visible_school(current_user, school_id))
        db.session.commit()
        return code

    @idempotent_write("snap_code.replace")
    @blp.response(200, SnapCodeOut)
    def post(self, school_id):
        """Replace the school's code, e.g. if it is abused: posted copies of the old one stop working."""
        require(current_user, MANAGERS, "replace a school's 随手拍 code")
        return replace_code(visible_school(current_user, school_id))
