"""A report as a request asks for it: the caller's unit (in their area) and period, built, its snapshots kept.

Shared by the JSON endpoints and the printouts, so both read and refuse alike.
"""

from flask_login import current_user

from app.db_types import utcnow
from app.extensions import db
from app.orgs.models import OrgKind
from app.reports.daily import daily_report
from app.reports.monthly import monthly_report
from app.reports.periods import parse_period
from app.reports.units import report_unit
from app.reports.weekly import weekly_report

_REPORTS = {
    "day": (daily_report, tuple(OrgKind)),
    "week": (weekly_report, (OrgKind.SCHOOL,)),
    "month": (monthly_report, tuple(OrgKind)),
}


def asked_report(kind: str, query: dict) -> dict:
    """The report of `kind` ("day", "week", "month") for `?unit_id=&period=`; aborts with 403/404/422."""
    build, kinds = _REPORTS[kind]
    now = utcnow()
    unit = report_unit(current_user, query.get("unit_id"), kinds)
    report = build(unit, parse_period(kind, query.get("period"), now), now)
    db.session.commit()  # the completion of finished spans is kept
    return report
