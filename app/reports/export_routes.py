"""The reports on paper: the weekly brief (周研判简报) and the monthly dispatch report (月调度通报) as PDF and XLSX.

Same query, same areas and the same refusals as /api/reports/weekly and monthly, whose
figures they print.
"""

from flask.views import MethodView

from app.blueprint import Blueprint
from app.db_types import utcnow
from app.hazards.export_routes import attachment
from app.hazards.ledger import XLSX
from app.idempotency import one_transaction
from app.reports.asked import asked_report
from app.reports.brief_pdf import brief_pdf
from app.reports.monthly_pdf import monthly_pdf
from app.reports.schemas import ReportQuery
from app.reports.workbook import monthly_workbook

blp = Blueprint("report_exports", __name__, url_prefix="/api/reports",
                description="周研判简报 and 月调度通报 to print and hand on: PDF and XLSX")


def _refusals(unreadable: str):
    """The JSON reports' refusals, documented: 403, 404 and 422."""

    def document(view):
        for code, description in ((403, "Managers only"), (404, "No such unit in the caller's area"),
                                  (422, unreadable)):
            view = blp.alt_response(code, description=description)(view)
        return view

    return document


MONTH_REFUSED = "A period that cannot be read, or has not begun"


@blp.route("/weekly.pdf")
class WeeklyBrief(MethodView):
    @one_transaction
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, description="One A4 page", content_type="application/pdf")
    @_refusals("Not a school, or a period that cannot be read")
    def get(self, query):
        """周研判简报: one school's week on one A4 page for its safety meeting, with room for attendance and signatures."""
        report = asked_report("week", query)
        school = report["unit"]
        return attachment(brief_pdf(report, utcnow()), "application/pdf",
                          f"周研判简报-{school['name']}-{report['period']}.pdf",
                          f"weekly-brief-{school['id']}-{report['period']}.pdf")


@blp.route("/monthly.pdf")
class MonthlyPdf(MethodView):
    @one_transaction
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, description="A4 pages, numbered", content_type="application/pdf")
    @_refusals(MONTH_REFUSED)
    def get(self, query):
        """月调度通报: the month's ranking of every school, township subtotals, supervision, escalations and trend."""
        report = asked_report("month", query)
        unit = report["unit"]
        return attachment(monthly_pdf(report, utcnow()), "application/pdf",
                          f"月调度通报-{unit['name']}-{report['period']}.pdf",
                          f"monthly-report-{unit['id']}-{report['period']}.pdf")


@blp.route("/monthly.xlsx")
class MonthlyXlsx(MethodView):
    @one_transaction
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, description="Sheets 排名, 乡镇汇总, 挂牌督办, 升级督办 and 趋势", content_type=XLSX)
    @_refusals(MONTH_REFUSED)
    def get(self, query):
        """月调度通报 as a workbook: the same tables with real numbers, rates as percentages, for sorting and charts."""
        report = asked_report("month", query)
        unit = report["unit"]
        return attachment(monthly_workbook(report), XLSX, f"月调度通报-{unit['name']}-{report['period']}.xlsx",
                          f"monthly-report-{unit['id']}-{report['period']}.xlsx")
