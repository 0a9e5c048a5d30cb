"""Import endpoints: download a template, upload a sheet for a dry run or to apply it."""

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields

from app.accounts.permissions import MANAGERS, require
from app.blueprint import Blueprint
from app.errors import ErrorSchema, abort
from app.extensions import db
from app.fields import Choice, File
from app.imports import calendar, people, points, schools
from app.imports.sheets import SheetError, read_rows, template

blp = Blueprint("imports", __name__, url_prefix="/api/imports", description="Imports from spreadsheets")

#: what can be imported: risk points (school managers and above), schools (county admins only),
#: people (each manager, within their area, people of a lower rank)
KINDS = {"points": points, "schools": schools, "people": people, "calendar": calendar}


class TemplateQuery(Schema):
    format = Choice(["xlsx", "csv"], load_default="xlsx")


class ImportForm(Schema):
    dry_run = fields.Boolean(load_default=True)
    file = File(required=True, metadata={"description": "the filled-in sheet: XLSX, or CSV in UTF-8 or GB18030"})


class RowOut(Schema):
    row = fields.Integer()
    action = fields.String(metadata={"description": "create, update, unchanged or refuse"})
    reasons = fields.List(fields.String())
    name = fields.String()


class ImportOut(Schema):
    kind = fields.String()
    dry_run = fields.Boolean()
    applied = fields.Boolean()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.Nested(RowOut))


class ImportRefusedOut(ErrorSchema, ImportOut):
    """A 422: the error of every refusal, and, when rows were refused, the plan saying which and why."""


@blp.route(f"/<any({','.join(KINDS)}):kind>/template")
class Template(MethodView):
    @blp.arguments(TemplateQuery, location="query")
    @blp.response(200, description="A sheet with the Chinese headers and an example row")
    def get(self, query, kind):
        """Download the import template (XLSX or CSV in UTF-8 with BOM)."""
        data, mimetype = template(KINDS[kind].COLUMNS, query["format"])
        return Response(data, mimetype=mimetype, headers={
            "Content-Disposition": f"attachment; filename=huxiao-{kind}-template.{query['format']}"})


@blp.route(f"/<any({','.join(KINDS)}):kind>")
class Import(MethodView):
    @blp.arguments(ImportForm, location="multipart")
    @blp.response(200, ImportOut)
    @blp.alt_response(422, schema=ImportRefusedOut,
                      description="Refused rows (refused_rows, with the plan) or an unreadable sheet: nothing was applied")
    def post(self, form, kind):
        """Import a sheet: `dry_run=true` shows what each row would do; `false` applies all rows or none."""
        require(current_user, MANAGERS, "import")
        module = KINDS[kind]
        try:
            rows = read_rows(form["file"].read(), module.COLUMNS)
        except SheetError as exc:
            abort(422, str(exc), error="unreadable_sheet")
        plans = module.plan(current_user, rows)
        refused = any(p.action == "refuse" for p in plans)
        applied = not form["dry_run"] and not refused
        if applied:
            module.apply(current_user, plans)
            db.session.commit()
        else:
            db.session.rollback()
        summary = {action: sum(p.action == action for p in plans) for action in ("create", "update", "unchanged", "refuse")}
        body = {"kind": kind, "dry_run": form["dry_run"], "applied": applied, "summary": summary, "rows": plans}
        if refused and not form["dry_run"]:
            abort(422, f"{summary['refuse']} 行有问题，什么都没有导入：见 rows。/ "
                       f"{summary['refuse']} rows were refused, so nothing was imported: see rows.",
                  error="refused_rows", body=ImportOut().dump(body))
        return body
