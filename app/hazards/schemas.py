"""Bodies of the hazard endpoints."""

import json

from marshmallow import Schema, fields, validate

from app.fields import Choice, Id, Level, Line, Moment, Money, Text
from app.hazards.models import Source, State
from app.hazards.queries import VIEWS
from app.hazards.services import URGENCY_LEVEL
from app.points.levels import CATEGORIES
from app.points.schemas import NamedRef, PersonRef

_photos = fields.List(Id(), load_default=list, validate=validate.Length(max=9),
                      metadata={"description": "ids from POST /api/photos"})
_note = Text(2000, load_default="")


class HazardIn(Schema):
    # where, as `report_hazard` checks: a point, or a place and a category (a point brings its own)
    JSON_SCHEMA = {"anyOf": [
        {"required": ["point_id"], "properties": {"point_id": {"type": "integer"}}},
        {"required": ["place", "category"],
         "properties": {"place": {"pattern": "[^\\s]"}, "category": {"type": "string"}}},
    ]}

    point_id = Id(allow_none=True, metadata={"description": "the risk point, when there is one"})
    school_id = Id(allow_none=True, metadata={"description": "needed only above school level"})
    place = Line(200, load_default="", metadata={"description": "a building or place in free text, when no point"})
    category = Choice(CATEGORIES, allow_none=True, metadata={"description": "defaults to the point's category"})
    urgency = Choice(URGENCY_LEVEL, allow_none=True,
                     metadata={"description": "how urgent it looks: urgent, soon or normal"})
    description = Text(2000, required=True, required_text=True)
    photo_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=9))


class HazardQuery(Schema):
    view = Choice(VIEWS, metadata={"description": ", ".join(VIEWS)})
    state = fields.Enum(State, by_value=True)
    open = fields.Boolean(load_default=False, metadata={"description": "reported, assigned or rectified"})
    school_id = Id()
    point_id = Id()
    category = Choice(CATEGORIES)
    risk_level = Level()
    source = fields.Enum(Source, by_value=True)
    supervised = fields.Boolean(metadata={"description": "under listed supervision (挂牌督办)"})
    reported_from = Moment()
    reported_to = Moment()


class AssignIn(Schema):
    rectifier_id = Id(required=True)
    deadline = Moment(allow_none=True,
                      metadata={"description": "defaults to the risk level's time (red 24 h ... blue 15 days)"})
    risk_level = Level(allow_none=True)
    responsibility = Line(200)
    measures = Text(2000)
    funds_yuan = Money(allow_none=True)
    note = _note


class NoteIn(Schema):
    note = _note
    photo_ids = _photos


class PassUpIn(NoteIn):
    to = Choice(["township", "county"], allow_none=True,
                metadata={"description": "defaults to the unit just above the current holder"})


class MergeIn(NoteIn):
    into_id = Id(required=True, metadata={"description": "the open hazard this one duplicates"})


class HolderOut(NamedRef):
    kind = fields.String()


class PointRef(NamedRef):
    location = fields.String()


class HazardOut(Schema):
    id = fields.Integer()
    number = fields.String(metadata={"description": "as printed on the notice and the ledger"})
    state = fields.String()
    source = fields.String()
    school = fields.Nested(NamedRef)
    holder = fields.Nested(HolderOut, metadata={"description": "who answers for it: the school, or above"})
    point = fields.Nested(PointRef, allow_none=True)
    place = fields.String()
    category = fields.String()
    risk_level = fields.String()
    risk_level_name = fields.String()
    category_name = fields.String()
    description = fields.String()
    reporter = fields.Nested(PersonRef, allow_none=True)
    reported_at = fields.DateTime()
    rectifier = fields.Nested(PersonRef, allow_none=True)
    assigned_by = fields.Nested(PersonRef, allow_none=True)
    assigned_at = fields.DateTime(allow_none=True)
    responsibility = fields.String()
    measures = fields.String()
    funds_yuan = Money(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    rectified_at = fields.DateTime(allow_none=True)
    verified_by = fields.Nested(PersonRef, allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    rejections = fields.Integer()
    supervised = fields.Boolean()
    duplicate_of_id = fields.Integer(allow_none=True)
    inspection_id = fields.Integer(allow_none=True)
    photo_ids = fields.Method("_before", metadata={"description": "the hazard as found"})
    after_photo_ids = fields.Method("_after", metadata={"description": "after rectification"})

    def _before(self, hazard):
        return hazard.photo_ids("report", "found_again", "merged")

    def _after(self, hazard):
        return hazard.photo_ids("rectify")


class EventOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.Nested(PersonRef, allow_none=True)
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    note = fields.String()
    details = fields.Method("_details")
    photo_ids = fields.Method("_photos")

    def _details(self, event):
        return json.loads(event.details or "{}")

    def _photos(self, event):
        return [link.photo_id for link in event.photos]


class DuplicateOut(Schema):
    id = fields.Integer(attribute="hazard.id")
    number = fields.String(attribute="hazard.number")
    description = fields.String(attribute="hazard.description")
    state = fields.String(attribute="hazard.state")
    place = fields.String(attribute="hazard.place")
    point = fields.Nested(PointRef, attribute="hazard.point", allow_none=True)
    reported_at = fields.DateTime(attribute="hazard.reported_at")
    reasons = fields.List(fields.String(), metadata={"description": "same_point, same_place, similar_photo"})


class HazardDetailOut(HazardOut):
    events = fields.Nested(EventOut, many=True, metadata={"description": "the timeline, oldest first"})
    allowed_actions = fields.List(fields.String(), metadata={"description": "what the caller may do now"})
    possible_duplicates = fields.Nested(DuplicateOut, many=True)
    deadline_hours = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True, metadata={
        "description": "when the caller may assign: the default hours to rectify per risk level"})

