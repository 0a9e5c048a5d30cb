"""Hazard endpoints: list, report, detail, and one endpoint per step of the closed loop."""

from flask.views import MethodView
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.blueprint import Blueprint
from app.hazards.deadlines import hours_by_level
from app.hazards.models import Hazard, HazardEvent
from app.hazards.queries import duplicates_of, hazards_in_scope
from app.hazards.schemas import AssignIn, HazardDetailOut, HazardIn, HazardOut, HazardQuery, MergeIn, NoteIn, PassUpIn
from app.hazards.services import act, actor, report_hazard, visible_hazard
from app.hazards.transitions import Action, allowed_actions
from app.idempotency import idempotent_write
from app.orgs.models import OrgKind
from app.pagination import SelectPage

blp = Blueprint("hazards", __name__, url_prefix="/api/hazards",
                description="Hazards and their closed loop: report, assign, rectify, verify, close out")

def detail(hazard: Hazard) -> Hazard:
    """The hazard with what the caller may do now and what it may duplicate."""
    hazard.allowed_actions = [a.value for a in allowed_actions(
        hazard.state, actor(current_user, hazard), hazard.supervised, hazard.holder.kind is OrgKind.COUNTY)]
    hazard.possible_duplicates = duplicates_of(hazard) if "merge" in hazard.allowed_actions else []
    hazard.deadline_hours = hours_by_level() if "assign" in hazard.allowed_actions else None
    return hazard


@blp.route("")
class Hazards(MethodView):
    @blp.arguments(HazardQuery, location="query")
    @blp.response(200, HazardOut(many=True))
    @blp.paginate(SelectPage, page_size=50, max_page_size=500)
    def get(self, filters):
        """List the hazards of the caller's area, newest first; `view` picks a work list."""
        # each hazard's photos come from its events: read them in two queries per page, not two per hazard
        return hazards_in_scope(current_user, filters).options(
            selectinload(Hazard.events).selectinload(HazardEvent.photos))

    @idempotent_write("hazards.create")
    @blp.arguments(HazardIn)
    @blp.response(201, HazardDetailOut)
    def post(self, data):
        """Report a hazard: at least one photo, a description, a point or a place, a category, how urgent."""
        return detail(report_hazard(current_user, data))


@blp.route("/<id:hazard_id>")
class HazardDetail(MethodView):
    @blp.response(200, HazardDetailOut)
    def get(self, hazard_id):
        """One hazard with its timeline, the caller's possible actions and possible duplicates."""
        return detail(visible_hazard(current_user, hazard_id))


#: action -> (body, summary)
ACTIONS = {
    Action.ASSIGN: (AssignIn, "Assign a rectifier, responsibility, measures, funds and a deadline (交办)."),
    Action.RECTIFY: (NoteIn, "The rectifier reports the work done, with an after-photo (整改完成)."),
    Action.VERIFY: (NoteIn, "Someone other than the rectifier accepts the work: the hazard is closed out (验收销号)."),
    Action.REJECT: (NoteIn, "The work is not accepted: back to the rectifier, with the reason (验收不通过)."),
    Action.PASS_UP: (PassUpIn, "Beyond the school's means: pass it to the township or county, with the reason."),
    Action.VOID: (NoteIn, "Void a false report, with the reason."),
    Action.MERGE: (MergeIn, "Void a duplicate, adding its report and photos to the hazard it duplicates."),
    Action.SUPERVISE: (NoteIn, "County only: put the hazard under listed supervision (挂牌督办)."),
    Action.UNSUPERVISE: (NoteIn, "County only: take the hazard off listed supervision."),
}


def _action_view(action: Action, schema, summary: str):
    def view(data, hazard_id):
        return detail(act(current_user, visible_hazard(current_user, hazard_id), action, data))

    view.__name__ = f"hazard_{action.value}"
    view.__doc__ = summary
    view = blp.alt_response(409, description="Not a legal move from the hazard's state")(
        blp.response(200, HazardDetailOut)(blp.arguments(schema)(view)))
    view = idempotent_write(f"hazards.{action.value}")(view)
    blp.route(f"/<id:hazard_id>/{action.value.replace('_', '-')}", methods=["POST"],
              endpoint=f"hazard_{action.value}")(view)


for _action, (_schema, _summary) in ACTIONS.items():
    _action_view(_action, _schema, _summary)
