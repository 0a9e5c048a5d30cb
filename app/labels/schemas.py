"""Bodies of the print-batch endpoints."""

from marshmallow import Schema, fields, validate

from app.fields import Choice, Id, Level
from app.labels.sheets import DEFAULT_TEMPLATE, TEMPLATES


class BatchIn(Schema):
    school_id = Id(load_default=None)
    grid_id = Id(load_default=None)
    risk_level = Level(load_default=None)
    unprinted = fields.Boolean(load_default=False, metadata={"description": "only new or reissued labels"})
    point_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20000))
    template = Choice(TEMPLATES, load_default=DEFAULT_TEMPLATE)


class BatchOut(Schema):
    id = fields.Integer()
    folder = fields.String()
    template = fields.String()
    status = fields.String()
    total = fields.Integer()
    done = fields.Integer()
    progress = fields.Function(lambda b: round(b.done / b.total, 3) if b.total else 0.0)
    error = fields.String()
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    pdf_url = fields.Function(lambda b: f"/api/qr-batches/{b.id}/pdf" if b.status == "done" else None)
    manifest_url = fields.Function(lambda b: f"/api/qr-batches/{b.id}/manifest" if b.status == "done" else None)


class PreviewQuery(Schema):
    template = Choice(TEMPLATES, load_default=DEFAULT_TEMPLATE)


class LabelTemplateOut(Schema):
    key = fields.String()
    name_zh = fields.String()
    per_page = fields.Integer()
    label_mm = fields.List(fields.Float(), metadata={"description": "width, height"})
