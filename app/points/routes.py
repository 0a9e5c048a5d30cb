"""Risk-point list and scan endpoints."""

from flask.views import MethodView
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.accounts.scope import unit_ids_in_scope
from app.audit.services import history
from app.blueprint import Blueprint
from app.idempotency import idempotent_write
from app.db_types import utcnow
from app.orgs.models import Grid, grid_members
from app.pagination import SelectPage
from app.points.models import RiskPoint
from app.points.scan import last_inspections, scan
from app.points.management import add_point, change_point, managed_point, retire, visible_point
from app.points.schemas import AuditOut, PointIn, PointOut, PointPatch, PointQuery, RetireIn, ScanOut

blp = Blueprint("points", __name__, url_prefix="/api", description="Risk points and scanning their QR codes")


class PointPage(SelectPage):
    """A page of points, each with its last inspection, read in one more query for the page."""

    @property
    def items(self) -> list:
        points = super().items
        last = last_inspections([p.id for p in points])
        for point in points:
            point.last_inspection = last.get(point.id)
        return points


def visible_points(user, filters: dict):
    """Return a select of the points in the user's scope, filtered."""
    stmt = (
        select(RiskPoint)
        .where(RiskPoint.school_id.in_(unit_ids_in_scope(user)))
        .options(joinedload(RiskPoint.school), joinedload(RiskPoint.grid))
        .order_by(RiskPoint.school_id, RiskPoint.id)
    )
    if not filters.pop("include_retired", False):
        stmt = stmt.where(RiskPoint.active)
    if filters.pop("order", "school") == "due":  # overdue first, then by when they fall due; never due last
        stmt = stmt.order_by(None).order_by(RiskPoint.due_at.is_(None), RiskPoint.due_at, RiskPoint.id)
    if filters.pop("overdue", False):
        stmt = stmt.where(RiskPoint.due_at <= utcnow())
    if filters.pop("my_grids", False):
        stmt = stmt.where(RiskPoint.grid_id.in_(
            select(Grid.id).where(or_(Grid.leader_id == user.id, Grid.id.in_(
                select(grid_members.c.grid_id).where(grid_members.c.user_id == user.id))))
        ))
    for field, value in filters.items():
        stmt = stmt.where(getattr(RiskPoint, field) == value)
    return stmt


@blp.route("/points")
class Points(MethodView):
    @blp.arguments(PointQuery, location="query")
    @blp.response(200, PointOut(many=True))
    @blp.paginate(PointPage, page_size=100, max_page_size=1000)
    def get(self, filters):
        """List the risk points the caller may see."""
        return visible_points(current_user, filters)

    @idempotent_write("points.create")
    @blp.arguments(PointIn)
    @blp.response(201, PointOut)
    def post(self, data):
        """Create a risk point at a school in the caller's area; answers it with its QR token."""
        return add_point(current_user, data)


@blp.route("/scan/<token:token>")
class Scan(MethodView):
    @blp.response(200, ScanOut)
    @blp.alt_response(404, description="Unknown code, or outside the caller's scope")
    @blp.alt_response(410, description="The code was replaced or its point retired")
    def get(self, token):
        """Open a scanned point: its details, last inspection and checklist."""
        return scan(current_user, token)


@blp.route("/points/<id:point_id>")
class PointDetail(MethodView):
    @blp.response(200, PointOut)
    def get(self, point_id):
        """One risk point in the caller's scope."""
        point = visible_point(current_user, point_id)
        point.last_inspection = last_inspections([point.id]).get(point.id)
        return point

    @idempotent_write("points.update")
    @blp.arguments(PointPatch)
    @blp.response(200, PointOut)
    def patch(self, data, point_id):
        """Change a point; a change of risk level needs a `reason` and flags its label out of date."""
        return change_point(current_user, managed_point(current_user, point_id), data)


@blp.route("/points/<id:point_id>/retire")
class RetirePoint(MethodView):
    @idempotent_write("points.retire")
    @blp.arguments(RetireIn)
    @blp.response(200, PointOut)
    def post(self, data, point_id):
        """Retire a point: its QR code stops working; its history stays."""
        return retire(current_user, managed_point(current_user, point_id), data["reason"])


@blp.route("/points/<id:point_id>/history")
class PointHistory(MethodView):
    @blp.response(200, AuditOut(many=True))
    def get(self, point_id):
        """Every change to a point: who, when, before and after, and why."""
        return history("risk_point", visible_point(current_user, point_id).id)
