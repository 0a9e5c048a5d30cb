"""Checklist templates over HTTP: list, read, copy, rename, and replace (edit, reorder) the items."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.audit.services import history
from app.blueprint import Blueprint
from app.checklists.management import (copy_template, may_edit, owner, rename, replace_items, visible_template,
                                       visible_templates)
from app.checklists.models import ChecklistTemplate
from app.extensions import db
from app.fields import Choice, Count, Id, Line
from app.idempotency import idempotent_write
from app.points.levels import CATEGORIES
from app.points.schemas import AuditOut, NamedRef

blp = Blueprint("checklists", __name__, url_prefix="/api/checklist-templates",
                description="Checklist templates: shipped defaults and units' own copies")


class TemplateItemOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    text = fields.String()


class TemplateOut(Schema):
    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    org_unit = fields.Nested(NamedRef, allow_none=True, metadata={"description": "the owner; null when shipped"})
    shipped = fields.Boolean(metadata={"description": "a shipped default: read-only, copy it to edit"})
    editable = fields.Boolean(metadata={"description": "whether the caller may rename it and edit its items"})
    item_count = fields.Integer()


class TemplateDetailOut(TemplateOut):
    items = fields.List(fields.Nested(TemplateItemOut), metadata={"description": "the active items, in order"})


class TemplateQuery(Schema):
    category = Choice(CATEGORIES)


class TemplateIn(Schema):
    source_id = Id(required=True, metadata={"description": "the template to copy"})
    org_unit_id = Id(required=True, metadata={"description": "the unit (county, township, school) to own it"})
    name = Line(100, required_text=True, metadata={"description": "defaults to the source's name"})


class TemplatePatch(Schema):
    name = Line(100, required=True, required_text=True)


class ItemIn(Schema):
    id = Id(allow_none=True, load_default=None, metadata={"description": "an existing item's id; omit for a new item"})
    text = Line(200, required=True, required_text=True)
    position = Count(0, 10_000,
                     metadata={"description": "ignored (an item read back may keep it): the list's order counts"})


class ItemsIn(Schema):
    error_code = "invalid_items"

    items = fields.List(fields.Nested(ItemIn), required=True, validate=validate.Length(min=1, max=200),
                        metadata={"description": "the complete new list, in order; items left out are retired"})


def _shape(user, template: ChecklistTemplate, unit, item_count: int) -> dict:
    return {"id": template.id, "name": template.name, "category": template.category,
            "org_unit": {"id": unit.id, "name": unit.name} if unit else None, "shipped": unit is None,
            "editable": may_edit(user, unit), "item_count": item_count}


def _detail(template: ChecklistTemplate) -> dict:
    items = template.items
    return {**_shape(current_user, template, owner(template), len(items)),
            "items": [{"id": i.id, "position": i.position, "text": i.text} for i in items]}


@blp.route("")
class Templates(MethodView):
    @blp.arguments(TemplateQuery, location="query")
    @blp.response(200, TemplateOut(many=True))
    def get(self, query):
        """The shipped templates, and those of the caller's area and of the units above it."""
        rows = db.session.execute(visible_templates(current_user, query.get("category")))
        return [_shape(current_user, template, unit, count) for template, unit, count in rows]

    @idempotent_write("checklist_templates.create")
    @blp.arguments(TemplateIn)
    @blp.response(201, TemplateDetailOut)
    def post(self, data):
        """Copy a template (a shipped one or a unit's) for a unit of the caller's area, to edit it."""
        return _detail(copy_template(current_user, data["source_id"], data["org_unit_id"], data.get("name")))


@blp.route("/<id:template_id>")
class TemplateDetail(MethodView):
    @blp.response(200, TemplateDetailOut)
    def get(self, template_id):
        """One template with its active items in order."""
        return _detail(visible_template(current_user, template_id))

    @idempotent_write("checklist_templates.update")
    @blp.arguments(TemplatePatch)
    @blp.response(200, TemplateDetailOut)
    def patch(self, data, template_id):
        """Rename a unit's template."""
        return _detail(rename(current_user, template_id, data["name"]))


@blp.route("/<id:template_id>/items")
class TemplateItems(MethodView):
    @idempotent_write("checklist_templates.items")
    @blp.arguments(ItemsIn)
    @blp.response(200, TemplateDetailOut)
    def put(self, data, template_id):
        """Replace the items: edit, add, remove and reorder in one go.

        An item keeps its id while its text is unchanged; a changed item gets a new id and
        the old one is retired, so past inspections keep what they answered.
        """
        return _detail(replace_items(current_user, template_id, data["items"]))


@blp.route("/<id:template_id>/history")
class TemplateHistory(MethodView):
    @blp.response(200, AuditOut(many=True))
    def get(self, template_id):
        """Every change to a template: who, when, before and after."""
        return history("checklist_template", visible_template(current_user, template_id).id)
