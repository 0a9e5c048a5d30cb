"""Townships, schools and grids over HTTP."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.accounts.scope import units_in_scope
from app.blueprint import Blueprint
from app.extensions import db
from app.fields import Id, Line
from app.idempotency import idempotent_write
from app.orgs.management import add_unit, change_grid, create_grid
from app.orgs.models import Grid, OrgKind, OrgUnit
from app.points.schemas import PersonRef

blp = Blueprint("orgs", __name__, url_prefix="/api", description="Townships, schools and grids")


class UnitIn(Schema):
    kind = fields.Enum(OrgKind, by_value=True, required=True)
    name = Line(100, required=True, required_text=True)
    parent_id = Id(required=True)


class UnitOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    parent_id = fields.Integer(allow_none=True)


class GridIn(Schema):
    school_id = Id(required=True)
    name = Line(100, required=True, required_text=True)
    leader_id = Id(allow_none=True, load_default=None)
    patroller_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=500))


class GridPatch(Schema):
    name = Line(100, required_text=True)
    leader_id = Id(allow_none=True)
    patroller_ids = fields.List(Id(), validate=validate.Length(max=500))


class GridOut(Schema):
    id = fields.Integer()
    school_id = fields.Integer()
    name = fields.String()
    leader = fields.Nested(PersonRef, allow_none=True)
    patrollers = fields.List(fields.Nested(PersonRef))


class GridQuery(Schema):
    school_id = Id()


@blp.route("/org-units")
class Units(MethodView):
    @blp.response(200, UnitOut(many=True))
    def get(self):
        """The county, townships and schools in the caller's area."""
        return db.session.scalars(select(OrgUnit).where(units_in_scope(current_user)).order_by(OrgUnit.path))

    @idempotent_write("org_units.create")
    @blp.arguments(UnitIn)
    @blp.response(201, UnitOut)
    def post(self, data):
        """Add a township to the county or a school to a township (county admins)."""
        return add_unit(current_user, data["kind"], data["name"].strip(), data["parent_id"])


@blp.route("/grids")
class Grids(MethodView):
    @blp.arguments(GridQuery, location="query")
    @blp.response(200, GridOut(many=True))
    def get(self, query):
        """The grids of the schools in the caller's area."""
        stmt = (select(Grid).join(OrgUnit, OrgUnit.id == Grid.school_id).where(units_in_scope(current_user))
                .order_by(Grid.school_id, Grid.id))
        if "school_id" in query:
            stmt = stmt.where(Grid.school_id == query["school_id"])
        return db.session.scalars(stmt)

    @idempotent_write("grids.create")
    @blp.arguments(GridIn)
    @blp.response(201, GridOut)
    def post(self, data):
        """Add a grid to a school, with its leader and patrollers."""
        return create_grid(current_user, data)


@blp.route("/grids/<id:grid_id>")
class GridDetail(MethodView):
    @idempotent_write("grids.update")
    @blp.arguments(GridPatch)
    @blp.response(200, GridOut)
    def patch(self, data, grid_id):
        """Rename a grid or change its leader or patrollers."""
        return change_grid(current_user, grid_id, data)
