"""Receive public reports, and let a school's staff accept, merge or dismiss them."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import in_scope, unit_ids_in_scope
from app.accounts.session_user import SessionUser
from app.db_types import utcnow
from app.errors import abort
from app.extensions import db
from app.hazards.models import Hazard
from app.hazards.queries import Duplicate, similar_open_hazards
from app.hazards.services import add_event, report_hazard, visible_hazard
from app.orgs.models import OrgUnit
from app.photos.services import store_image
from app.points.tokens import new_token
from app.snaps.models import PublicReport, PublicReportPhoto, ReportStatus, SnapCode



def school_code(school: OrgUnit) -> SnapCode:
    """The school's code in use, made the first time it is asked for."""
    code = db.session.scalar(select(SnapCode).where(SnapCode.school_id == school.id, SnapCode.ended_at.is_(None)))
    if code is None:
        code = SnapCode(school_id=school.id, token=new_token())
        db.session.add(code)
        db.session.flush()
    return code


def replace_code(school: OrgUnit) -> SnapCode:
    """End the school's code (a posted copy stops working) and issue a new one."""
    old = school_code(school)
    old.ended_at = utcnow()
    db.session.flush()
    return school_code(school)


def code_in_use(token: str) -> SnapCode:
    """The code behind a scanned token, or a clear refusal."""
    code = db.session.scalar(select(SnapCode).where(SnapCode.token == token))
    if code is None:
        abort(404, "This code is unknown: check that you scanned the school's 随手拍 code.", error="unknown_code")
    if code.ended_at is not None:
        abort(410, "This code was replaced: scan the school's new 随手拍 code.", error="code_replaced")
    return code


def submit(token: str, form: dict, files: list, address: str) -> tuple[PublicReport, bool]:
    """Store a public report with its photos (`form` as PublicReportForm reads it); return it and whether it is new."""
    code = code_in_use(token)
    key = form["client_key"] or None
    if key and (existing := _by_key(code, key)):
        return existing, False
    report = PublicReport(school_id=code.school_id, code_id=code.id, client_key=key, description=form["description"],
                          phone=form["phone"], device_id=form["device_id"], address=address[:64])
    for position, upload in enumerate(files):
        photo, _ = store_image(upload.read(), None, code.school_id, public=True)
        report.photos.append(PublicReportPhoto(photo_id=photo.id, position=position))
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # the same report, sent twice at once
        db.session.rollback()
        return _by_key(code, key), False
    return report, True


def already_received(token: str, key: str) -> bool:
    """Whether the report with this client key came in through this code already."""
    return db.session.scalar(select(PublicReport.id).join(SnapCode, SnapCode.id == PublicReport.code_id)
                             .where(SnapCode.token == token, PublicReport.client_key == key[:64])) is not None


def _by_key(code: SnapCode, key: str) -> PublicReport | None:
    return db.session.scalar(select(PublicReport).where(PublicReport.code_id == code.id,
                                                        PublicReport.client_key == key))


def visible_report(user: SessionUser, report_id: int) -> PublicReport:
    """A public report of a school in the user's area, for the staff who triage; else 404/403."""
    report = db.session.get(PublicReport, report_id)
    if report is None or not in_scope(user, report.school.path):
        abort(404, "No such report.", error="unknown_report")
    require(user, MANAGERS, "triage public reports")
    return report


def _untriaged(report: PublicReport) -> None:
    if report.status is not ReportStatus.NEW:
        abort(409, f"This report was already {report.status.value}.", error="already_triaged")


def _triaged(user: SessionUser, report: PublicReport, status: ReportStatus, note: str, hazard: Hazard | None):
    report.status, report.triaged_by_id, report.triaged_at = status, user.id, utcnow()
    report.triage_note, report.hazard_id = note, hazard and hazard.id


def accept(user: SessionUser, report: PublicReport, data: dict) -> PublicReport:
    """Turn a public report into a hazard: staff say where, what category, how urgent."""
    _untriaged(report)
    body = {**data, "school_id": report.school_id, "photo_ids": report.photo_ids,
            "description": (data.get("description") or report.description).strip()}
    hazard = report_hazard(user, body, public={"id": report.id, "at": report.created_at,
                                               "description": report.description})
    _triaged(user, report, ReportStatus.ACCEPTED, (data.get("note") or "").strip(), hazard)
    db.session.flush()
    return report


def merge(user: SessionUser, report: PublicReport, data: dict) -> PublicReport:
    """Add a public report to the open hazard it describes: its photos join that hazard's history."""
    _untriaged(report)
    hazard = visible_hazard(user, data["hazard_id"])
    if hazard.school_id != report.school_id or not hazard.is_open:
        abort(422, "Merge into an open hazard of the same school.", error="invalid_report",
              errors={"hazard_id": ["not an open hazard of this school"]})
    add_event(hazard, user.id, "merged", hazard.state, (data.get("note") or "").strip(),
              {"public_report_id": report.id, "description": report.description}, report.photo_ids)
    _triaged(user, report, ReportStatus.MERGED, (data.get("note") or "").strip(), hazard)
    db.session.flush()
    return report


def dismiss(user: SessionUser, report: PublicReport, data: dict) -> PublicReport:
    """Not a hazard: say why, for the record."""
    _untriaged(report)
    note = (data.get("note") or "").strip()
    if not note:
        abort(422, "Say why the report is dismissed.", error="invalid_report", errors={"note": ["say why"]})
    _triaged(user, report, ReportStatus.DISMISSED, note, None)
    db.session.flush()
    return report


def duplicates_of_report(report: PublicReport) -> list[Duplicate]:
    """Open hazards of the school whose photos look like this report's."""
    if report.status is not ReportStatus.NEW:
        return []
    hashes = [link.photo.dhash for link in report.photos if link.photo.dhash]
    return similar_open_hazards(report.school_id, None, None, "", hashes)


def reports_in_scope(user: SessionUser, filters: dict):
    """A select of the public reports of the user's area, newest first."""
    require(user, MANAGERS, "triage public reports")
    stmt = (select(PublicReport).where(PublicReport.school_id.in_(unit_ids_in_scope(user)))
            .order_by(PublicReport.created_at.desc(), PublicReport.id.desc()))
    for field, value in filters.items():
        stmt = stmt.where(getattr(PublicReport, field) == value)
    return stmt
