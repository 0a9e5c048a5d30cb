"""Bodies of the inspection endpoints."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.fields import Choice, Id, Line, Moment, Text
from app.inspections.models import ItemResult
from app.points.schemas import PersonRef

RESULTS = [r.value for r in ItemResult]


class ResultIn(Schema):
    item_id = Id(required=True)
    result = Choice(RESULTS, required=True)
    note = Text(1000, load_default="")
    photo_ids = fields.List(
        Id(),
        load_default=list,
        validate=validate.Length(max=10),
        metadata={"description": "Photos showing this item's failure"},
    )


class LocationIn(Schema):
    latitude = fields.Float(required=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(required=True, validate=validate.Range(-180, 180))
    accuracy = fields.Float(load_default=None, validate=validate.Range(0, 100_000),
                            metadata={"description": "Metres, as the device reports it"})


class InspectionIn(Schema):
    token = Line(64, required=True, required_text=True)
    results = fields.List(fields.Nested(ResultIn), required=True, validate=validate.Length(min=1, max=200))
    photo_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20))
    captured_at = Moment(load_default=None, metadata={"description": "When the phone recorded it (ISO 8601 with offset)"})
    opened_at = Moment(load_default=None,
                       metadata={"description": "When the phone opened the checklist (ISO 8601 with offset)"})
    location = fields.Nested(LocationIn, load_default=None, allow_none=True)
    note = Text(2000, load_default="")

    @validates_schema
    def _opened_before_captured(self, data, **kwargs):
        if data.get("opened_at") and data.get("captured_at") and data["opened_at"] > data["captured_at"]:
            raise ValidationError("the checklist cannot be opened after it was recorded", "opened_at")


class ResultOut(Schema):
    item_id = fields.Integer()
    text = fields.String(attribute="item_text")
    result = fields.String()
    note = fields.String()


class LocationOut(Schema):
    latitude = fields.Float()
    longitude = fields.Float()
    accuracy = fields.Float(allow_none=True)


class InspectionReceipt(Schema):
    """What a submission answers: short, since phones send it on weak mobile data."""

    id = fields.Integer()
    point_id = fields.Integer()
    token = fields.String()
    submitted_at = fields.DateTime()
    captured_at = fields.DateTime(allow_none=True)
    failed_count = fields.Integer()
    photo_ids = fields.List(fields.Integer())


class InspectionOut(Schema):
    id = fields.Integer()
    point_id = fields.Integer()
    token = fields.String()
    inspector = fields.Nested(PersonRef)
    submitted_at = fields.DateTime()
    captured_at = fields.DateTime(allow_none=True)
    opened_at = fields.DateTime(allow_none=True, metadata={"description": "when the phone opened the checklist"})
    location = fields.Nested(LocationOut, allow_none=True)
    failed_count = fields.Integer()
    note = fields.String()
    results = fields.List(fields.Nested(ResultOut))
    photo_ids = fields.List(fields.Integer())
