"""The school calendar and the level cadences over HTTP."""

from marshmallow import Schema, fields

from app.fields import Choice, Count, Day, LevelMap, Line
from app.points.frequencies import FREQUENCIES
from app.schedules.calendar import DayKind

KIND_DOC = "holiday (a day off), workday (a make-up working day, 调休) or vacation (寒假, 暑假: needs its name)"


class CalendarQuery(Schema):
    year = Count(2000, 2100,
                          metadata={"description": "the calendar year (default: this year, in the school's zone)"})


class EntryIn(Schema):
    kind = fields.Enum(DayKind, by_value=True, required=True, metadata={"description": KIND_DOC})
    start = Day(required=True)
    end = Day(allow_none=True, load_default=None, metadata={"description": "inclusive; default: start"})
    name = Line(50, load_default="", metadata={"description": "e.g. 国庆节, 暑假"})


class EntryOut(Schema):
    id = fields.Integer()
    kind = fields.Enum(DayKind, by_value=True)
    start = fields.Date()
    end = fields.Date()
    name = fields.String()
    created_by_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class CalendarOut(Schema):
    year = fields.Integer()
    statutory_known = fields.Boolean(metadata={
        "description": "whether China's statutory holidays of the year are known; if not, weekends are the only "
                       "days off until the county enters the year's holidays and make-up working days"})
    entries = fields.List(fields.Nested(EntryOut), metadata={"description": "the county's entries touching the year"})


class PolicyIn(Schema):
    error_code = "invalid_schedule_policy"

    level_frequencies = LevelMap(Choice(FREQUENCIES), required=True, metadata={
        "description": "risk level -> daily, twice_weekly, weekly, biweekly or monthly; levels left out follow "
                       "the defaults"})


class PolicyOut(Schema):
    level_frequencies = fields.Dict(keys=fields.String(), values=fields.String(),
                                    metadata={"description": "every level's cadence, defaults filled in"})
    defaults = fields.Dict(keys=fields.String(), values=fields.String())
