"""Import every model, so the metadata (and Alembic) sees the whole schema."""

from app.accounts.models import LoginSession, PasswordHistory, User  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.checklists.models import ChecklistItem, ChecklistTemplate  # noqa: F401
from app.escalation.models import Escalation, EscalationPolicy, EscalationStep, Handoff, Notification  # noqa: F401
from app.hazards.models import Hazard, HazardEvent, HazardEventPhoto  # noqa: F401
from app.inspections.models import (  # noqa: F401
    IdempotencyKey,
    Inspection,
    InspectionPhoto,
    InspectionFlag,
    InspectionResult,
)
from app.orgs.models import Grid, OrgUnit, grid_members  # noqa: F401
from app.outbox.models import Delivery, PushSubscription, Webhook  # noqa: F401
from app.photos.models import Photo  # noqa: F401
from app.reports.models import CompletionSnapshot, HazardSnapshot  # noqa: F401
from app.labels.models import PrintBatch, PrintBatchItem  # noqa: F401
from app.points.models import QrToken, RiskPoint  # noqa: F401
from app.rate_limits import counters  # noqa: F401  (and its storage: RATELIMIT_STORAGE_URI=huxiao+db://)
from app.schedules.models import CalendarEntry, SchedulePolicy  # noqa: F401
from app.snaps.models import PublicReport, PublicReportPhoto, SnapCode  # noqa: F401
