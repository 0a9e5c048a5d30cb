"""Bodies of the risk-point and scan endpoints."""

import json
from datetime import date, timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.db_types import utcnow
from app.fields import Choice, Count, Id, Level, Line, Text
from app.points.levels import CATEGORIES
from app.points.frequencies import FREQUENCIES
from app.schedules.status import due_status

FREQUENCY_DOC = f"inspection cadence overriding the risk level's: {', '.join(FREQUENCIES)}; null follows the level"


class NamedRef(Schema):
    id = fields.Integer()
    name = fields.String()


class PersonRef(Schema):
    id = fields.Integer()
    display_name = fields.String()


class LastInspectionOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    by = fields.Nested(PersonRef)
    failed_count = fields.Integer()


class DueOut(Schema):
    state = fields.String(metadata={"description": "not_due (done for now), due, overdue, or none (never asked)"})
    due_at = fields.DateTime(allow_none=True, metadata={"description": "overdue from this moment if not inspected"})
    missed_periods = fields.Integer(metadata={"description": "periods ended without their inspections, when overdue"})


class PointOut(Schema):
    id = fields.Integer()
    name = fields.String()
    location = fields.String()
    token = fields.String()
    short_code = fields.String(metadata={"description": "printed beside the QR code, typed when a camera fails"})
    token_version = fields.Integer()
    risk_level = fields.String(metadata={"description": "red, orange, yellow or blue (configurable)"})
    risk_level_name = fields.String()
    category = fields.String()
    category_name = fields.String()
    responsible = fields.String()
    frequency = fields.String(allow_none=True, metadata={"description": FREQUENCY_DOC})
    frequency_name = fields.String()
    active = fields.Boolean()
    label_version = fields.Integer()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    template_id = fields.Integer()
    school_id = fields.Integer()
    school = fields.Nested(NamedRef)
    grid = fields.Nested(NamedRef, allow_none=True)
    last_inspection = fields.Nested(LastInspectionOut, allow_none=True)
    school_days_only = fields.Boolean()
    seasons = fields.Function(lambda p: json.loads(p.seasons or "[]"))
    due = fields.Method("_due", metadata={"description": "not yet due, due, or overdue since when"})

    def _due(self, point):
        return DueOut().dump(due_status(point, utcnow()))


class PointQuery(Schema):
    my_grids = fields.Boolean(load_default=False, metadata={"description": "only the grids I patrol or lead"})
    school_id = Id()
    grid_id = Id()
    risk_level = Level()
    category = Choice(CATEGORIES)
    include_retired = fields.Boolean(load_default=False)
    overdue = fields.Boolean(metadata={"description": "only points overdue now"})
    order = Choice(["school", "due"], load_default="school",
                          metadata={"description": "due: overdue first, then by when they fall due"})


class ScanPointOut(PointOut):
    class Meta:
        exclude = ("seasons", "school_days_only", "due")  # the scan's hot query reads only what it shows

    last_inspection = fields.Nested(LastInspectionOut, allow_none=True)
    last_inspected_at = fields.DateTime(allow_none=True)
    last_inspected_by = fields.Nested(PersonRef, allow_none=True)


class ItemOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    text = fields.String()


class ScanOut(Schema):
    point = fields.Nested(ScanPointOut)
    items = fields.Nested(ItemOut, many=True)


#: every [month, day] of a year, 29 February included: what `start` and `end` may be, as the document lists them
DAYS_OF_YEAR = [[day.month, day.day] for day in (date(2024, 1, 1) + timedelta(n) for n in range(366))]
DAY_OF_YEAR_DOC = {"description": "[month, day], a day of the year", "enum": DAYS_OF_YEAR}


class SeasonIn(Schema):
    """Another cadence for part of the year: from `start` to `end` ([month, day], inclusive), or a vacation."""

    # either both days or a vacation, as `_one_kind` checks
    JSON_SCHEMA = {"oneOf": [
        {"required": ["start", "end"], "not": {"required": ["vacation"]}},
        {"required": ["vacation"], "not": {"anyOf": [{"required": ["start"]}, {"required": ["end"]}]}},
    ]}

    frequency = Choice(FREQUENCIES, required=True)
    start = fields.List(Count(1, 31), validate=validate.Length(equal=2), metadata={"example": [4, 1], **DAY_OF_YEAR_DOC})
    end = fields.List(Count(1, 31), validate=validate.Length(equal=2), metadata={"example": [10, 31], **DAY_OF_YEAR_DOC})
    vacation = Line(50, required_text=True,
                             metadata={"description": "a vacation's name in the county calendar, e.g. 暑假"})

    @validates_schema
    def _one_kind(self, data, **_):
        dates = "start" in data or "end" in data
        if dates == ("vacation" in data) or (dates and not ("start" in data and "end" in data)):
            raise ValidationError("give either start and end ([month, day]) or a vacation's name")
        for key in ("start", "end"):
            if key in data:
                try:
                    date(2024, *data[key])  # a leap year: 29 February is a day
                except ValueError:
                    raise ValidationError(f"{key}: not a day of the year: {data[key]}") from None


SCHEDULE_DOC = "seasons with another cadence, the first that covers a day wins"


class PointIn(Schema):
    school_id = Id(required=True)
    name = Line(100, required=True, required_text=True)
    category = Choice(CATEGORIES, required=True)
    risk_level = Level(required=True)
    grid_id = Id(allow_none=True, load_default=None)
    location = Line(200, load_default="")
    responsible = Line(64, load_default="")
    frequency = Choice(FREQUENCIES, allow_none=True, load_default=None, metadata={"description": FREQUENCY_DOC})
    template_id = Id(allow_none=True, load_default=None)
    school_days_only = fields.Boolean(load_default=False,
                                      metadata={"description": "not due on weekends, holidays and vacations"})
    seasons = fields.List(fields.Nested(SeasonIn), load_default=list, validate=validate.Length(max=12),
                          metadata={"description": SCHEDULE_DOC})
    latitude = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-180, 180))


class PointPatch(Schema):
    name = Line(100, required_text=True)
    category = Choice(CATEGORIES)
    risk_level = Level()
    grid_id = Id(allow_none=True)
    location = Line(200)
    responsible = Line(64)
    frequency = Choice(FREQUENCIES, allow_none=True, metadata={"description": FREQUENCY_DOC})
    template_id = Id()
    school_days_only = fields.Boolean()
    seasons = fields.List(fields.Nested(SeasonIn), validate=validate.Length(max=12),
                          metadata={"description": SCHEDULE_DOC})
    latitude = fields.Float(allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(-180, 180))
    reason = Text(500, metadata={"description": "why; required when risk_level changes"})


class RetireIn(Schema):
    reason = Text(500, required=True, required_text=True)


class AuditOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    action = fields.String()
    before = fields.Function(lambda e: json.loads(e.before or "{}"))
    after = fields.Function(lambda e: json.loads(e.after or "{}"))
    reason = fields.String()
    address = fields.String(metadata={"description": "where the change came from: the client's address"})
