"""Bodies of the risk-point and scan endpoints."""

import json

from marshmallow import Schema, fields, validate

from app.points.frequencies import FREQUENCIES

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


class PointQuery(Schema):
    my_grids = fields.Boolean(load_default=False, metadata={"description": "only the grids I patrol or lead"})
    school_id = fields.Integer()
    grid_id = fields.Integer()
    risk_level = fields.String()
    category = fields.String()
    include_retired = fields.Boolean(load_default=False)


class ScanPointOut(PointOut):
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


class PointIn(Schema):
    school_id = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    category = fields.String(required=True)
    risk_level = fields.String(required=True)
    grid_id = fields.Integer(allow_none=True, load_default=None)
    location = fields.String(load_default="", validate=validate.Length(max=200))
    responsible = fields.String(load_default="", validate=validate.Length(max=64))
    frequency = fields.String(allow_none=True, load_default=None, metadata={"description": FREQUENCY_DOC})
    template_id = fields.Integer(allow_none=True, load_default=None)
    latitude = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, load_default=None, validate=validate.Range(-180, 180))


class PointPatch(Schema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    category = fields.String()
    risk_level = fields.String()
    grid_id = fields.Integer(allow_none=True)
    location = fields.String(validate=validate.Length(max=200))
    responsible = fields.String(validate=validate.Length(max=64))
    frequency = fields.String(allow_none=True, metadata={"description": FREQUENCY_DOC})
    template_id = fields.Integer()
    latitude = fields.Float(allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(-180, 180))
    reason = fields.String(validate=validate.Length(max=500),
                           metadata={"description": "why; required when risk_level changes"})


class RetireIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AuditOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    action = fields.String()
    before = fields.Function(lambda e: json.loads(e.before or "{}"))
    after = fields.Function(lambda e: json.loads(e.after or "{}"))
    reason = fields.String()
