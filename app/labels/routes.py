"""Print batches over HTTP: start one, follow its progress, download its PDF; reissue a label."""

from flask import Response, current_app, send_file
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import PRINT_LABELS, REISSUE_LABELS, require
from app.accounts.scope import in_scope, units_in_scope
from app.blueprint import Blueprint
from app.errors import abort
from app.extensions import db
from app.idempotency import idempotent_write
from app.labels.batches import BatchError, NothingToPrint, Selection, UndrawableText, batch_folder, create_batch
from app.labels.content import label_data
from app.labels.fonts import LabelFontMissing
from app.labels.models import BatchStatus, PrintBatch
from app.labels.preview import preview_png
from app.labels.runner import start_batch, take_up_interrupted
from app.labels.schemas import BatchIn, BatchOut, LabelTemplateOut, PreviewQuery
from app.labels.sheets import DEFAULT_TEMPLATE, TEMPLATES
from app.orgs.models import OrgUnit
from app.points.management import visible_point
from app.points.schemas import PointOut
from app.points.services import reissue_token

blp = Blueprint("labels", __name__, url_prefix="/api", description="QR label print batches")


def _visible_batch(batch_id: int) -> PrintBatch:
    batch = db.session.get(PrintBatch, batch_id)
    if batch is None or not in_scope(current_user, db.session.get(OrgUnit, batch.scope_org_id).path):
        abort(404, "No such print batch.", error="unknown_batch")
    return batch


def _done_file(batch_id: int, name: str, mimetype: str, download_name: str):
    batch = _visible_batch(batch_id)
    if batch.status is not BatchStatus.DONE:
        abort(409, f"The batch is {batch.status.value}, not done yet.", error="batch_not_done")
    return send_file(batch_folder(batch) / name, mimetype=mimetype, as_attachment=True,
                     download_name=download_name)


@blp.route("/qr-batches")
class Batches(MethodView):
    @blp.arguments(BatchIn)
    @blp.response(202, BatchOut)
    @blp.alt_response(422, description="Nothing to print, a point not in scope, or a character the font cannot "
                                       "draw (undrawable_text: `errors.point_ids` names each point and character)")
    def post(self, data):
        """Start printing a batch of labels; it renders in the background (follow it with GET)."""
        require(current_user, PRINT_LABELS, "print QR labels")
        template = data.pop("template")
        scope = db.session.get(OrgUnit, current_user.org_unit.id)
        try:
            batch = create_batch(scope, Selection(**data), template, created_by_id=current_user.id)
        except UndrawableText as exc:
            abort(422, str(exc), error="undrawable_text",
                  errors={"point_ids": {str(point_id): [f"no glyph for {chars}"] for point_id, chars in exc.missing.items()}})
        except BatchError as exc:
            abort(422, str(exc), error="nothing_to_print" if isinstance(exc, NothingToPrint) else "bad_selection")
        except LabelFontMissing as exc:
            abort(503, str(exc), error="label_font_missing")
        db.session.commit()  # the background thread reads the batch from the database
        start_batch(batch.id)
        return batch

    @blp.response(200, BatchOut(many=True))
    def get(self):
        """List the latest print batches in the caller's scope."""
        require(current_user, PRINT_LABELS, "see print batches")
        take_up_interrupted()
        return db.session.scalars(
            select(PrintBatch).join(OrgUnit, OrgUnit.id == PrintBatch.scope_org_id)
            .where(units_in_scope(current_user)).order_by(PrintBatch.id.desc()).limit(100)
        )


@blp.route("/qr-batches/<id:batch_id>")
class Batch(MethodView):
    @blp.response(200, BatchOut)
    def get(self, batch_id):
        """Follow a batch: status, labels done of total."""
        require(current_user, PRINT_LABELS, "see print batches")
        take_up_interrupted()
        return _visible_batch(batch_id)


@blp.route("/qr-batches/<id:batch_id>/pdf")
class BatchPdf(MethodView):
    @blp.response(200, description="The A4 label sheets", content_type="application/pdf")
    def get(self, batch_id):
        """Download the batch's PDF once it is done."""
        require(current_user, PRINT_LABELS, "download print batches")
        return _done_file(batch_id, "labels.pdf", "application/pdf", f"huxiao-labels-{batch_id}.pdf")


@blp.route("/qr-batches/<id:batch_id>/manifest")
class BatchManifest(MethodView):
    @blp.response(200, description="manifest.csv", content_type="text/csv")
    def get(self, batch_id):
        """Download the batch's manifest: which label, which point, which token."""
        require(current_user, PRINT_LABELS, "download print batches")
        return _done_file(batch_id, "manifest.csv", "text/csv", f"huxiao-labels-{batch_id}.csv")


@blp.route("/label-templates")
class LabelTemplates(MethodView):
    @blp.response(200, LabelTemplateOut(many=True))
    def get(self):
        """The label sheets a batch can be printed on; the first is the default."""
        default = TEMPLATES[DEFAULT_TEMPLATE]
        return [default, *(t for t in TEMPLATES.values() if t is not default)]


@blp.route("/points/<id:point_id>/label")
class LabelPreview(MethodView):
    @blp.arguments(PreviewQuery, location="query")
    @blp.response(200, description="The point's current label, 150 dpi", content_type="image/png")
    def get(self, query, point_id):
        """Preview a point's label as it would print on a template, before starting a batch."""
        require(current_user, PRINT_LABELS, "preview QR labels")
        point = visible_point(current_user, point_id)
        data = label_data(point, current_app.config["PUBLIC_BASE_URL"])
        response = Response(preview_png(data, TEMPLATES[query["template"]]), mimetype="image/png")
        response.headers["Cache-Control"] = "private, no-cache"  # the label changes with the point
        return response


@blp.route("/points/<id:point_id>/reissue")
class Reissue(MethodView):
    @idempotent_write("points.reissue")
    @blp.response(200, PointOut)
    def post(self, point_id):
        """Give a damaged or stolen label a new token; the old code answers "replaced" from now on."""
        require(current_user, REISSUE_LABELS, "reissue QR labels")
        point = visible_point(current_user, point_id)
        if not point.active:
            abort(409, "This point is retired: its label cannot be reissued.", error="point_retired")
        reissue_token(point)
        return point
