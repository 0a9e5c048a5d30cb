"""What the report endpoints take and give, for the OpenAPI document and the county's own dashboards."""

from marshmallow import Schema, fields

from app.fields import Id, Line

_rate = {"allow_none": True, "metadata": {"description": "0..1; null when nothing was asked"}}


class ReportQuery(Schema):
    period = Line(10, metadata={"description": "a date (2026-11-24); for week 2026-W48, for month 2026-11. "
                                                    "Default: the current one, in the school time zone"})
    unit_id = Id(metadata={"description": "an org unit in the caller's subtree; default the caller's own"})


class Unit(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class CompletionOut(Schema):
    asked = fields.Integer(metadata={"description": "inspections the schedules asked for, in periods ended"})
    done = fields.Integer(metadata={"description": "of those, done (a period counts at most what it asked)"})
    rate = fields.Float(**_rate)
    periods = fields.Integer(metadata={"description": "point-periods that asked for an inspection"})
    met = fields.Integer()
    missed = fields.Integer(metadata={"description": "point-periods that got less than they asked (漏检/逾期)"})


class HazardsOut(Schema):
    reported = fields.Integer()
    assigned = fields.Integer()
    closed = fields.Integer(metadata={"description": "closed out (销号) in the period"})
    open_at_end = fields.Integer()
    overdue_at_end = fields.Integer(metadata={"description": "open, past the deadline, not rectified"})
    due = fields.Integer(metadata={"description": "rectification deadlines in the period (passed)"})
    on_time = fields.Integer()
    on_time_rate = fields.Float(**_rate)
    mean_close_out_hours = fields.Float(allow_none=True)


class DailyFigures(Schema):
    points = fields.Integer(metadata={"description": "active points"})
    due = fields.Integer(metadata={"description": "points whose period still asked for an inspection that morning"})
    inspected = fields.Integer(metadata={"description": "of the due points, those inspected that day"})
    overdue = fields.Integer(metadata={"description": "points overdue at the day's end (or now, today)"})
    inspections = fields.Integer()
    failed_items = fields.Integer()
    failed_inspections = fields.Integer()
    hazards_reported = fields.Integer()
    hazards_assigned = fields.Integer()
    hazards_closed = fields.Integer()
    flagged = fields.Integer(metadata={"description": "inspections flagged by the patrol-quality checks"})


class DailySchool(DailyFigures):
    id = fields.Integer()
    name = fields.String()


class DailyPoint(Schema):
    id = fields.Integer()
    name = fields.String()
    risk_level = fields.String()
    due = fields.Boolean()
    inspections = fields.Integer()
    overdue = fields.Boolean()
    due_at = fields.DateTime(allow_none=True)


class DailyOut(Schema):
    unit = fields.Nested(Unit)
    period = fields.String()
    as_of = fields.DateTime()
    total = fields.Nested(DailyFigures)
    schools = fields.List(fields.Nested(DailySchool))
    points = fields.List(fields.Nested(DailyPoint), metadata={"description": "a school's own report only"})


class Split(Schema):
    key = fields.String()
    name = fields.String()
    reported = fields.Integer()
    closed = fields.Integer()
    open_at_end = fields.Integer()
    overdue_at_end = fields.Integer()


class FailedItem(Schema):
    item = fields.String()
    failures = fields.Integer()
    points = fields.Integer()


class NotInspected(Schema):
    id = fields.Integer()
    name = fields.String()
    location = fields.String()
    risk_level = fields.String()
    risk_level_name = fields.String()
    frequency_name = fields.String()
    last_inspected_at = fields.DateTime(allow_none=True)


class Day(Schema):
    date = fields.String()
    inspections = fields.Integer()
    failed_items = fields.Integer()


class Flag(Schema):
    class Meta:
        unknown = "include"

    kind = fields.String(metadata={"description": "rushed, too_fast, far_away or photo_reused"})
    seconds = fields.Float()
    metres = fields.Float(allow_none=True)
    accuracy = fields.Float(allow_none=True)
    checklist_items = fields.Integer()
    other_point = fields.String()
    other_inspection_id = fields.Integer()
    photo_id = fields.Integer()
    other_photo_id = fields.Integer()


class FlaggedInspection(Schema):
    inspection_id = fields.Integer()
    at = fields.DateTime(metadata={"description": "when the phone recorded it"})
    point_id = fields.Integer()
    point = fields.String()
    inspector = fields.String()
    flags = fields.List(fields.Nested(Flag))


class WeeklyOut(Schema):
    unit = fields.Nested(Unit)
    period = fields.String()
    first_day = fields.Date()
    last_day = fields.Date()
    as_of = fields.DateTime()
    completion = fields.Nested(CompletionOut)
    hazards = fields.Nested(HazardsOut)
    by_category = fields.List(fields.Nested(Split))
    by_level = fields.List(fields.Nested(Split))
    top_failed_items = fields.List(fields.Nested(FailedItem))
    not_inspected = fields.List(fields.Nested(NotInspected))
    days = fields.List(fields.Nested(Day))
    flags = fields.List(fields.Nested("FlaggedInspection"),
                        metadata={"description": "the week's inspections the patrol-quality checks flagged"})


class MonthlySchool(Schema):
    rank = fields.Integer()
    id = fields.Integer()
    name = fields.String()
    township = fields.String()
    completion = fields.Nested(CompletionOut)
    hazards = fields.Nested(HazardsOut)
    flagged = fields.Integer(metadata={"description": "inspections flagged by the patrol-quality checks"})


class MonthlyTownship(Schema):
    id = fields.Integer()
    name = fields.String()
    schools = fields.Integer()
    completion = fields.Nested(CompletionOut)
    hazards = fields.Nested(HazardsOut)


class Supervised(Schema):
    id = fields.Integer()
    number = fields.String()
    school = fields.String()
    category = fields.String()
    category_name = fields.String()
    risk_level = fields.String()
    risk_level_name = fields.String()
    description = fields.String()
    state = fields.String()
    deadline = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class ReportEscalation(Schema):
    escalation_id = fields.Integer()
    subject = fields.String()
    subject_id = fields.Integer()
    trigger = fields.String()
    title = fields.String()
    school = fields.String()
    risk_level = fields.String()
    level = fields.Integer(metadata={"description": "3 the township, 4 the county"})
    at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)


class MonthTotals(Schema):
    period = fields.String()
    completion = fields.Nested(CompletionOut)
    hazards = fields.Nested(HazardsOut)


class MonthlyTotal(MonthTotals):
    schools = fields.Integer()


class MonthlyOut(Schema):
    unit = fields.Nested(Unit)
    period = fields.String()
    as_of = fields.DateTime()
    total = fields.Nested(MonthlyTotal)
    schools = fields.List(fields.Nested(MonthlySchool))
    townships = fields.List(fields.Nested(MonthlyTownship))
    supervised = fields.List(fields.Nested(Supervised))
    escalations = fields.List(fields.Nested(ReportEscalation))
    trend = fields.List(fields.Nested(MonthTotals), metadata={"description": "this month and the five before"})
