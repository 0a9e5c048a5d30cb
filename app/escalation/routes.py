"""Escalations of the caller's area, acknowledging one, and the caller's notification inbox."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.blueprint import Blueprint
from app.db_types import utcnow
from app.escalation.policy import TRIGGERS
from app.escalation.describe import describe, describe_notices
from app.escalation.handoffs import KINDS as HANDOFF_KINDS
from app.escalation.services import acknowledge, escalations_in_scope, inbox, mark_read, visible_escalation
from app.escalation.settings import HOURS_RANGE, policy_of, set_policy
from app.fields import Choice, Clock, Count, Id, Level, LevelMap, Text
from app.idempotency import idempotent_write
from app.pagination import SelectPage

blp = Blueprint("escalation", __name__, url_prefix="/api", description="Escalation along the chain, and notifications")


class ToldOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()


class StepOut(Schema):
    level = fields.Integer()
    at = fields.DateTime()
    told = fields.Nested(ToldOut, many=True, metadata={"description": "who this step notified"})
    acknowledged_by_id = fields.Integer(allow_none=True)
    acknowledged_by_name = fields.String(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    note = fields.String()


class EscalationOut(Schema):
    id = fields.Integer()
    subject = fields.String(metadata={"description": "point, hazard or report (a 随手拍 report)"})
    subject_id = fields.Integer()
    title = fields.String(metadata={"description": "the point's name, or the hazard's number and place"})
    trigger = fields.String(metadata={"description": ", ".join(TRIGGERS)})
    began_at = fields.DateTime()
    school_id = fields.Integer()
    school_name = fields.String()
    risk_level = fields.String()
    level = fields.Integer(metadata={"description": "1 grid leader, 2 school, 3 township, 4 county"})
    held_until = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    steps = fields.Nested(StepOut, many=True)


class EscalationQuery(Schema):
    open = fields.Boolean(load_default=False)
    min_level = Count(1, 4, metadata={"description": "e.g. 3: reached the township"})
    subject = Choice(["point", "hazard", "report"])
    subject_id = Id()
    school_id = Id()


class AckIn(Schema):
    note = Text(2000, required=True)


class EscalationRef(EscalationOut):
    class Meta:
        exclude = ("steps",)


class NoticeDetails(Schema):
    deadline = fields.String(metadata={"description": "assigned, rejected: the rectification's deadline"})
    from_unit = fields.String(metadata={"description": "passed up: the unit that held it before"})
    count = fields.Integer(metadata={"description": "reports_new: how many reports came in"})


class NotificationOut(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    kind = fields.String(metadata={"description": "escalation (a step of one), or the hand-off's kind: "
                                                  + ", ".join(HANDOFF_KINDS)})
    subject = fields.String(metadata={"description": "point, hazard, report, or school (its new reports)"})
    subject_id = fields.Integer()
    title = fields.String(metadata={"description": "the point's name, or the hazard's number and place"})
    school_name = fields.String()
    risk_level = fields.String()
    path = fields.String(metadata={"description": "where in the app the notice opens"})
    actor_name = fields.String(allow_none=True, metadata={"description": "a hand-off: who made the move"})
    details = fields.Nested(NoticeDetails)
    escalation = fields.Nested(EscalationRef, attribute="step.escalation", allow_none=True)
    level = fields.Integer(attribute="step.level", allow_none=True,
                           metadata={"description": "an escalation step: the level that told me"})


class InboxQuery(Schema):
    unread = fields.Boolean(load_default=False)


class ReadIn(Schema):
    ids = fields.List(Id(), allow_none=True, load_default=None, validate=validate.Length(max=1000),
                      metadata={"description": "which to mark read; omitted: all"})


class EscalationPage(SelectPage):
    @property
    def items(self) -> list:
        return describe(super().items)


class InboxPage(SelectPage):
    @property
    def items(self) -> list:
        return describe_notices(super().items)


@blp.route("/escalations")
class Escalations(MethodView):
    @blp.arguments(EscalationQuery, location="query")
    @blp.response(200, EscalationOut(many=True))
    @blp.paginate(EscalationPage, page_size=50, max_page_size=500)
    def get(self, filters):
        """Escalations of the caller's area, newest first, each with its steps (the county's list)."""
        return escalations_in_scope(current_user, filters)


@blp.route("/escalations/<id:escalation_id>/acknowledge")
class Acknowledge(MethodView):
    @idempotent_write("escalations.acknowledge")
    @blp.arguments(AckIn)
    @blp.response(200, EscalationOut)
    def post(self, data, escalation_id):
        """Someone at the current level is on it: the climb waits (24 h), with the note on record."""
        found = acknowledge(current_user, visible_escalation(current_user, escalation_id), data["note"], utcnow())
        return describe([found])[0]


@blp.route("/notifications")
class Inbox(MethodView):
    @blp.arguments(InboxQuery, location="query")
    @blp.response(200, NotificationOut(many=True))
    @blp.paginate(InboxPage, page_size=50, max_page_size=200)
    def get(self, query):
        """The caller's notifications, newest first; with unread=true, X-Pagination's total is the badge."""
        return inbox(current_user, query["unread"])

    @idempotent_write("notifications.read")
    @blp.arguments(ReadIn, required=False)
    @blp.response(200, Schema.from_dict({"marked": fields.Integer()}, name="Marked")())
    def post(self, data):
        """Mark notifications read (the given ids, or all)."""
        return {"marked": mark_read(current_user, data["ids"], utcnow())}



class SpeedsOut(Schema):
    climb_hours = fields.Dict(keys=fields.String(), values=fields.Integer(),
                              metadata={"description": "risk level -> hours at each level before the next"})
    hold_hours = fields.Integer(metadata={"description": "how long an acknowledgement holds the climb"})
    at_once_levels = fields.List(fields.String(), metadata={
        "description": "risk levels whose hazards nobody assigned go to the school (level 2) at once, and whose "
                       "hazards unassigned or past their deadline are sent even outside working hours"})
    triage_hours = fields.Integer(metadata={"description": "a 随手拍 report untriaged this long climbs"})
    verify_hours = fields.Integer(metadata={"description": "a rectified hazard unverified this long climbs"})
    working_hours = fields.Nested(Schema.from_dict({"start": fields.String(), "end": fields.String()},
                                                   name="WorkingHoursOut")(), metadata={
        "description": "people's working hours on working days: an overdue patrol climbs only through them, and "
                       "notices that can wait are sent when they begin; 00:00-24:00 is round the clock"})


class EscalationPolicyOut(SpeedsOut):
    defaults = fields.Nested(SpeedsOut)


class WorkingHoursIn(Schema):
    start = Clock(required=True)
    end = Clock(required=True)


class EscalationPolicyIn(Schema):
    error_code = "invalid_escalation_policy"

    climb_hours = LevelMap(Count(*HOURS_RANGE))
    hold_hours = Count(*HOURS_RANGE)
    at_once_levels = fields.List(Level(), validate=validate.Length(max=16))
    triage_hours = Count(*HOURS_RANGE)
    verify_hours = Count(*HOURS_RANGE)
    working_hours = fields.Nested(WorkingHoursIn)


@blp.route("/escalation-policy")
class Policy(MethodView):
    @blp.response(200, EscalationPolicyOut)
    def get(self):
        """My county's escalation speeds (defaults filled in), and the defaults."""
        return policy_of(current_user)

    @idempotent_write("escalation_policy.update")
    @blp.arguments(EscalationPolicyIn)
    @blp.response(200, EscalationPolicyOut)
    def put(self, data):
        """Set my county's speeds (county admins); fields left out keep their value. Open escalations follow."""
        return set_policy(current_user, data)
