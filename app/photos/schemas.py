"""Bodies of the photo endpoints."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields


class PhotoUpload(Schema):
    file = Upload(required=True)


class PhotoOut(Schema):
    id = fields.Integer()
    content_type = fields.String()
    size = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    created_at = fields.DateTime()
