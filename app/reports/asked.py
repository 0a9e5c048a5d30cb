"""A report as a request asks for it: the caller's unit (in their area) and period, built, its snapshots kept.

Shared by the JSON endpoints and the printouts, so both read and refuse alike. The completion of
finished spans is kept as it is computed; the routes commit it (`one_transaction`).
"""

from flask_login import current_user

from app.db_types import utcnow
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
    return build(unit, parse_period(kind, query.get("period"), now), now)  # keeps finished spans: flushed
