"""Bodies of the photo endpoints."""

from flask import url_for
from marshmallow import Schema, fields

from app.fields import Choice, File


class PhotoUpload(Schema):
    file = File(required=True, metadata={"description": "a JPEG, PNG or WebP image"})


class PhotoQuery(Schema):
    size = Choice(["full", "thumb"], load_default="full",
                         metadata={"description": "`thumb`: a JPEG of at most 320 px; `full`: the stored image"})


class PhotoOut(Schema):
    id = fields.Integer()
    content_type = fields.String()
    size = fields.Integer(metadata={"description": "bytes of the stored image"})
    width = fields.Integer(metadata={"description": "of the stored image, upright, at most 2560 px"})
    height = fields.Integer()
    captured_at = fields.DateTime(allow_none=True, metadata={"description": "when the camera says it was taken, if it says"})
    created_at = fields.DateTime()
    url = fields.Function(lambda photo: url_for("photos.PhotoFile", photo_id=photo.id),
                          metadata={"type": "string", "description": "the stored image"})
    thumb_url = fields.Function(lambda photo: url_for("photos.PhotoFile", photo_id=photo.id, size="thumb"),
                                metadata={"type": "string", "description": "its JPEG thumbnail, 320 px"})
