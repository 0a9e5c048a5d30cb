"""Print batches: choose points, record the batch, render it into its folder."""

import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app.db_types import utcnow
from app.extensions import db
from app.labels.content import label_data
from app.labels.fonts import font_path, missing_glyphs
from app.labels.models import BatchStatus, PrintBatch, PrintBatchItem
from app.labels.render import label_file
from app.labels.sheets import DEFAULT_TEMPLATE, TEMPLATES
from app.orgs.models import OrgUnit
from app.points.models import RiskPoint
from app.timezones import school_zone

#: how long a batch stays with its process without word from it; renewed while labels are drawn
LEASE = timedelta(minutes=2)


_worker: tuple[int, str] | None = None


def worker_id() -> str:
    """This process, as the holder of the batches it renders (a forked worker is another process)."""
    global _worker
    if _worker is None or _worker[0] != os.getpid():
        _worker = (os.getpid(), f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    return _worker[1]


class BatchError(ValueError):
    """A batch that cannot be made as asked."""


class NothingToPrint(BatchError):
    """A selection that matches no active point (e.g. "changed labels" when none changed)."""


class UndrawableText(BatchError):
    """A label with a character the font has no glyph for: point id -> the characters."""

    def __init__(self, message: str, missing: dict[int, str]):
        super().__init__(message)
        self.missing = missing


@dataclass
class Selection:
    """Which points a batch prints: every given criterion must hold."""

    school_id: int | None = None
    grid_id: int | None = None
    risk_level: str | None = None
    unprinted: bool = False  # only points whose current label was never printed: new, reissued or changed
    point_ids: list[int] = field(default_factory=list)


def _printed_current_label():
    """Whether a finished batch already printed the point's current token."""
    return exists().where(
        PrintBatchItem.point_id == RiskPoint.id,
        PrintBatchItem.token == RiskPoint.token,
        PrintBatchItem.label_version == RiskPoint.label_version,
        PrintBatchItem.batch_id == PrintBatch.id,
        PrintBatch.status == BatchStatus.DONE,
    )


def select_points(scope: OrgUnit, selection: Selection) -> list[RiskPoint]:
    """Return the active points in `scope` that the selection picks, in print order."""
    stmt = (
        select(RiskPoint)
        .join(OrgUnit, OrgUnit.id == RiskPoint.school_id)
        .where(RiskPoint.active, OrgUnit.path.startswith(scope.path, autoescape=True))
        .options(joinedload(RiskPoint.school))
        .order_by(RiskPoint.school_id, RiskPoint.grid_id, RiskPoint.id)
    )
    conditions = {
        RiskPoint.school_id: selection.school_id,
        RiskPoint.grid_id: selection.grid_id,
        RiskPoint.risk_level: selection.risk_level,
    }
    for column, value in conditions.items():
        if value is not None:
            stmt = stmt.where(column == value)
    if selection.point_ids:
        stmt = stmt.where(RiskPoint.id.in_(selection.point_ids))
    if selection.unprinted:
        stmt = stmt.where(~_printed_current_label())
    points = list(db.session.scalars(stmt))
    if selection.point_ids:
        missing = set(selection.point_ids) - {p.id for p in points}
        if missing:
            raise BatchError(f"points not found among the active points you may print: {sorted(missing)}")
    return points


def _scope_slug(scope: OrgUnit, selection: Selection) -> str:
    if selection.point_ids:
        slug = "points"
    elif selection.grid_id:
        slug = f"grid{selection.grid_id}"
    elif selection.school_id:
        slug = f"school{selection.school_id}"
    else:
        slug = f"{scope.kind.value}{scope.id}"
    if selection.risk_level:
        slug += f"-{selection.risk_level}"
    return slug + ("-new" if selection.unprinted else "")


def _folder_name(prefix: str) -> str:
    taken = set(db.session.scalars(select(PrintBatch.folder).where(PrintBatch.folder.startswith(prefix))))
    base = Path(current_app.config["QR_BATCH_DIR"])
    n = 1
    while f"{prefix}-{n}" in taken or (base / f"{prefix}-{n}").exists():
        n += 1
    return f"{prefix}-{n}"


def create_batch(scope: OrgUnit, selection: Selection, template: str = DEFAULT_TEMPLATE,
                 created_by_id: int | None = None) -> PrintBatch:
    """Record a queued batch of the selected points, held by this process; flush. Rendering is the runner's.

    Refused at once, before anything is recorded, if the label font cannot draw a character
    of a label: a batch that would fail in the background, or print empty boxes, is no batch.
    """
    if template not in TEMPLATES:
        raise BatchError(f"unknown template {template!r}: choose one of {', '.join(TEMPLATES)}")
    points = select_points(scope, selection)
    if not points:
        raise NothingToPrint("no active point matches this selection: nothing to print")
    _check_drawable(points)
    today = datetime.now(school_zone()).date().isoformat()
    batch = PrintBatch(
        folder=_folder_name(f"{today}-{_scope_slug(scope, selection)}"),
        template=template,
        selection=json.dumps(asdict(selection), ensure_ascii=False),
        scope_org_id=scope.id,
        created_by_id=created_by_id,
        status=BatchStatus.QUEUED,
        total=len(points),
        worker=worker_id(),
        lease_until=utcnow() + LEASE,
    )
    batch.items = [
        PrintBatchItem(point_id=p.id, token=p.token, token_version=p.token_version, label_version=p.label_version,
                       position=i,
                       label_file=label_file(i, p.id))
        for i, p in enumerate(points)
    ]
    db.session.add(batch)
    db.session.flush()
    return batch


def _check_drawable(points: list[RiskPoint]) -> None:
    font, base_url = font_path(), current_app.config["PUBLIC_BASE_URL"]
    missing = {p.id: "".join(sorted(chars)) for p in points
               if (chars := missing_glyphs(font, label_data(p, base_url).printed_text))}
    if missing:
        first = next(p for p in points if p.id in missing)
        raise UndrawableText(f"the label font has no glyph for {missing[first.id]!r} in point {first.id} "
                             f"({first.name}): correct the text, or set LABEL_FONT_PATH to a fuller CJK font",
                             missing)


def batch_folder(batch: PrintBatch) -> Path:
    return Path(current_app.config["QR_BATCH_DIR"]) / batch.folder
