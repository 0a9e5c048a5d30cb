"""Bodies of the risk-point and scan endpoints."""

from marshmallow import Schema, fields


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
    active = fields.Boolean()
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
