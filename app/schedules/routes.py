"""The county's school calendar and its inspection cadence per risk level, over HTTP."""

from flask.views import MethodView
from flask_login import current_user

from app.blueprint import Blueprint
from app.db_types import utcnow
from app.idempotency import idempotent_write
from app.schedules.management import add_entry, calendar_of, policy_of, remove_entry, set_policy
from app.schedules.schemas import CalendarOut, CalendarQuery, EntryIn, EntryOut, PolicyIn, PolicyOut
from app.schedules.services import local_today

# not "schedules": the CLI's blueprint has that name
blp = Blueprint("calendar", __name__, url_prefix="/api", description="School calendar and inspection cadences")


@blp.route("/calendar")
class Calendar(MethodView):
    @blp.arguments(CalendarQuery, location="query")
    @blp.response(200, CalendarOut)
    def get(self, query):
        """My county's holidays, make-up working days and vacations of a year; whether its statutory days are known."""
        return calendar_of(current_user, query.get("year") or local_today(utcnow()).year)

    @idempotent_write("calendar.create")
    @blp.arguments(EntryIn)
    @blp.response(201, EntryOut)
    def post(self, data):
        """Enter a holiday, a make-up working day or a vacation for my county (county admins); due times follow."""
        return add_entry(current_user, data)


@blp.route("/calendar/<id:entry_id>")
class CalendarEntryView(MethodView):
    @idempotent_write("calendar.delete")
    @blp.response(204)
    def delete(self, entry_id):
        """Remove one of my county's entries (county admins); due times follow."""
        remove_entry(current_user, entry_id)


@blp.route("/schedule-policy")
class Policy(MethodView):
    @blp.response(200, PolicyOut)
    def get(self):
        """My county's inspection cadence per risk level, and the defaults."""
        return policy_of(current_user)

    @idempotent_write("schedule_policy.update")
    @blp.arguments(PolicyIn)
    @blp.response(200, PolicyOut)
    def put(self, data):
        """Set my county's cadence per risk level (county admins); levels left out follow the defaults."""
        return set_policy(current_user, data["level_frequencies"])
