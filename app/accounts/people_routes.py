"""People over HTTP: accounts within the caller's area, and everyone's own password."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.accounts.management import (
    add_person, change_person, managed_person, people_in_scope, reset_password,
)
from app.accounts.models import Role
from app.accounts.schemas import UserOut
from app.blueprint import Blueprint
from app.fields import Id, Line, Secret
from app.idempotency import idempotent_write

blp = Blueprint("people", __name__, url_prefix="/api", description="People and their accounts")


class PersonIn(Schema):
    username = Line(64, required=True, validate=validate.Length(min=3))
    display_name = Line(100, required=True, required_text=True)
    role = fields.Enum(Role, by_value=True, required=True)
    org_unit_id = Id(required=True)
    password = Secret(required=True, metadata={"description": "a first password; the person must change it"})


class PersonPatch(Schema):
    display_name = Line(100, required_text=True)
    role = fields.Enum(Role, by_value=True)
    org_unit_id = Id()
    active = fields.Boolean()


class PersonOut(UserOut):
    active = fields.Boolean()
    must_change_password = fields.Boolean()


class PasswordIn(Schema):
    password = Secret(required=True)


class OwnPasswordIn(Schema):
    old_password = Secret(required=True)
    new_password = Secret(required=True)


@blp.route("/users")
class People(MethodView):
    @blp.response(200, PersonOut(many=True))
    def get(self):
        """The people in the caller's area."""
        return people_in_scope(current_user)

    @idempotent_write("users.create")
    @blp.arguments(PersonIn)
    @blp.response(201, PersonOut)
    def post(self, data):
        """Create an account of a lower rank in the caller's area; its password must be changed at first login."""
        return add_person(current_user, data)


@blp.route("/users/<id:person_id>")
class Person(MethodView):
    @idempotent_write("users.update")
    @blp.arguments(PersonPatch)
    @blp.response(200, PersonOut)
    def patch(self, data, person_id):
        """Change a person's name, role (lower than the caller's), place, or deactivate them."""
        return change_person(current_user, managed_person(current_user, person_id), data)


@blp.route("/users/<id:person_id>/password")
class ResetPassword(MethodView):
    @idempotent_write("users.reset_password")
    @blp.arguments(PasswordIn)
    @blp.response(200, PersonOut)
    def post(self, data, person_id):
        """Reset a person's password; they must change it at their next login."""
        return reset_password(current_user, managed_person(current_user, person_id), data["password"])
