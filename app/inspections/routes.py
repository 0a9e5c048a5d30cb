"""Submit and read inspections."""

from flask.views import MethodView
from flask_login import current_user

from app.blueprint import Blueprint
from app.idempotency import idempotent_write
from app.inspections.schemas import InspectionIn, InspectionOut, InspectionReceipt
from app.inspections.services import recent_inspections, submit_inspection, visible_inspection

blp = Blueprint("inspections", __name__, url_prefix="/api/inspections", description="Inspections of risk points")


@blp.route("")
class Inspections(MethodView):
    @idempotent_write("inspections.create")
    @blp.arguments(InspectionIn)
    @blp.response(201, InspectionReceipt)
    @blp.alt_response(409, description="Idempotency-Key reused with a different body")
    @blp.alt_response(410, description="The code was replaced or its point retired")
    def post(self, data):
        """Record one inspection of a scanned point."""
        return submit_inspection(current_user, data)

    @blp.response(200, InspectionOut(many=True))
    def get(self):
        """List the caller's own latest inspections."""
        return recent_inspections(current_user)


@blp.route("/<id:inspection_id>")
class InspectionDetail(MethodView):
    @blp.response(200, InspectionOut)
    def get(self, inspection_id):
        """Return one inspection with every answer, within the caller's scope."""
        return visible_inspection(current_user, inspection_id)
