"""Request and response bodies for login and the current user."""

from marshmallow import Schema, fields, validate

from app.fields import Line, Secret


class LoginIn(Schema):
    username = Line(64, required=True, required_text=True)
    password = Secret(required=True, validate=validate.Length(min=1))


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
