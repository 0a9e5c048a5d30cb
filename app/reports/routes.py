"""/api/reports/daily, weekly and monthly: every figure the oversight screens show."""

from flask.views import MethodView

from app.blueprint import Blueprint
from app.idempotency import one_transaction
from app.reports.asked import asked_report
from app.reports.schemas import DailyOut, MonthlyOut, ReportQuery, WeeklyOut

blp = Blueprint("reports", __name__, url_prefix="/api/reports",
                description="日排查、周研判、月调度: the daily, weekly and monthly figures of the caller's area")


@blp.route("/daily")
class Daily(MethodView):
    @one_transaction
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, DailyOut)
    @blp.alt_response(403, description="Managers only")
    @blp.alt_response(404, description="No such unit in the caller's area")
    @blp.alt_response(422, description="A period that cannot be read, or has not begun")
    def get(self, query):
        """日排查: a day's points due, inspected and overdue, failures and hazards, per school and in total."""
        return asked_report("day", query)


@blp.route("/weekly")
class Weekly(MethodView):
    @one_transaction
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, WeeklyOut)
    @blp.alt_response(403, description="Managers only")
    @blp.alt_response(404, description="No such unit in the caller's area")
    @blp.alt_response(422, description="Not a school, or a period that cannot be read")
    def get(self, query):
        """周研判: one school's ISO week (Monday to Sunday) for its weekly safety meeting."""
        return asked_report("week", query)


@blp.route("/monthly")
class Monthly(MethodView):
    @one_transaction
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, MonthlyOut)
    @blp.alt_response(403, description="Managers only")
    @blp.alt_response(404, description="No such unit in the caller's area")
    @blp.alt_response(422, description="A period that cannot be read, or has not begun")
    def get(self, query):
        """月调度: every school of a township or county ranked for the month, supervision, escalations, trend."""
        return asked_report("month", query)
