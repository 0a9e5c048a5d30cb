"""What the sender of a public report may learn of it, by the status link on their receipt.

The link needs no account, so whoever holds it learns only this: a stable code for the
report's state, the school's name, the day it was sent, the day it was closed out and the
reason it was not taken up. Never a person's name or phone, nor the hazard's number,
which would let the link be matched with the school's own records elsewhere.
"""

import enum
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from PIL import Image, ImageOps
from sqlalchemy import select

from app.errors import abort
from app.extensions import db
from app.hazards.models import Hazard, State
from app.labels.qr import qr_matrix
from app.snaps.models import PublicReport, ReportStatus
from app.timezones import school_zone

UNKNOWN = ("找不到这份报告：请检查链接是否完整。/ "
           "No report has this link: check that it was copied whole.")

_PIXELS = bytes([255, 0] + [0] * 254)  # a module: 1 (dark) -> black, 0 -> white


class Progress(enum.StrEnum):
    RECEIVED = "received"  # 已收到: waiting in the school's triage
    ACCEPTED = "accepted"  # 已受理为隐患: a hazard, not yet given to anyone to fix
    RECTIFYING = "rectifying"  # 整改中: someone is fixing it, or it waits to be checked
    CLOSED = "closed"  # 已整改销号
    NOT_ACCEPTED = "not_accepted"  # 未受理: dismissed, or the hazard voided


@dataclass
class ReportProgress:
    status: Progress
    school: str
    sent_on: date
    closed_on: date | None = None
    reason: str = ""


def status_url(token: str) -> str:
    """What the receipt links to, and its QR code encodes."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/r/{token}"


def report_by_status_token(token: str) -> PublicReport:
    report = db.session.scalar(select(PublicReport).where(PublicReport.status_token == token))
    if report is None:
        abort(404, UNKNOWN, error="unknown_status_link")
    return report


def progress(token: str) -> ReportProgress:
    """The state of the report behind a status link, in the words the sender may see."""
    report = report_by_status_token(token)
    answer = ReportProgress(Progress.RECEIVED, report.school.name, _day(report.created_at))
    if report.status is ReportStatus.NEW:
        return answer
    if report.status is ReportStatus.DISMISSED or report.hazard_id is None:
        answer.status, answer.reason = Progress.NOT_ACCEPTED, report.triage_note
        return answer
    hazard = _followed(db.session.get(Hazard, report.hazard_id))
    if hazard.state is State.REPORTED:
        answer.status = Progress.ACCEPTED
    elif hazard.state in (State.ASSIGNED, State.RECTIFIED):
        answer.status = Progress.RECTIFYING
    elif hazard.state is State.CLOSED:
        answer.status, answer.closed_on = Progress.CLOSED, _day(hazard.closed_at)
    else:
        # a voided hazard's note is the staff's record about the hazard (which may gather several
        # reports), not written to this sender: no reason is given
        answer.status, answer.reason = Progress.NOT_ACCEPTED, ""
    return answer


def _followed(hazard: Hazard) -> Hazard:
    """The hazard a report's hazard was merged into (and so on), whose fate is the report's."""
    seen = {hazard.id}
    while hazard.state is State.VOIDED and hazard.duplicate_of_id and hazard.duplicate_of_id not in seen:
        hazard = db.session.get(Hazard, hazard.duplicate_of_id)
        seen.add(hazard.id)
    return hazard


def _day(moment: datetime | None) -> date | None:
    """The school's calendar day of a moment: what a sender reads, not the minute."""
    return moment.astimezone(school_zone()).date() if moment else None


def status_qr_png(url: str, scale: int = 8, quiet: int = 4) -> bytes:
    """The QR code of a status link as a black-and-white PNG, `scale` pixels a module, with its quiet zone."""
    matrix = qr_matrix(url)
    size = len(matrix)
    image = Image.frombytes("L", (size, size), b"".join(matrix).translate(_PIXELS))
    image = ImageOps.expand(image, quiet, fill=255).resize(((size + 2 * quiet) * scale,) * 2, Image.Resampling.NEAREST)
    buf = io.BytesIO()
    image.convert("1").save(buf, "PNG", optimize=True)
    return buf.getvalue()
