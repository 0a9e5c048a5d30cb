"""Request and response bodies for login and the current user."""

from marshmallow import Schema, fields, validate


class LoginIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256), load_only=True)


class OrgUnitOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    org_unit = fields.Nested(OrgUnitOut)
    must_change_password = fields.Boolean()


class SessionOut(Schema):
    user = fields.Nested(UserOut)
    csrf_token = fields.String(metadata={"description": "Send back as the X-CSRF-Token header on writes."})


class MessageOut(Schema):
    message = fields.String()
