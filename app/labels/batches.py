"""Print batches: choose points, record the batch, render it into its folder."""

import json
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app.db_types import utcnow
from app.extensions import db
from app.labels.content import label_data
from app.labels.models import BatchStatus, PrintBatch, PrintBatchItem
from app.labels.render import label_file, render_batch
from app.labels.sheets import DEFAULT_TEMPLATE, TEMPLATES
from app.orgs.models import OrgUnit
from app.timezones import school_zone
from app.points.models import QrToken, RiskPoint



class BatchError(ValueError):
    """A batch that cannot be made as asked."""


class NothingToPrint(BatchError):
    """A selection that matches no active point (e.g. "changed labels" when none changed)."""


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
    """Record a queued batch of the selected points; commit. Rendering is `run_batch`."""
    if template not in TEMPLATES:
        raise BatchError(f"unknown template {template!r}: choose one of {', '.join(TEMPLATES)}")
    points = select_points(scope, selection)
    if not points:
        raise NothingToPrint("no active point matches this selection: nothing to print")
    today = datetime.now(school_zone()).date().isoformat()
    batch = PrintBatch(
        folder=_folder_name(f"{today}-{_scope_slug(scope, selection)}"),
        template=template,
        selection=json.dumps(asdict(selection), ensure_ascii=False),
        scope_org_id=scope.id,
        created_by_id=created_by_id,
        status=BatchStatus.QUEUED,
        total=len(points),
    )
    batch.items = [
        PrintBatchItem(point_id=p.id, token=p.token, token_version=p.token_version, label_version=p.label_version,
                       position=i,
                       label_file=label_file(i, p.id))
        for i, p in enumerate(points)
    ]
    db.session.add(batch)
    db.session.commit()
    return batch


def batch_folder(batch: PrintBatch) -> Path:
    return Path(current_app.config["QR_BATCH_DIR"]) / batch.folder


def run_batch(batch_id: int, pngs: bool = True, on_label=lambda done, total: None) -> PrintBatch:
    """Render a queued batch into its folder, keeping its progress in the database."""
    batch = db.session.get(PrintBatch, batch_id)
    batch.status = BatchStatus.RUNNING
    db.session.commit()
    base_url = current_app.config["PUBLIC_BASE_URL"]
    step = max(1, batch.total // 50)

    def progress(done: int) -> None:
        on_label(done, batch.total)
        if done % step == 0 or done == batch.total:
            batch.done = done
            db.session.commit()

    def labels():
        for item in batch.items:
            point = db.session.get(RiskPoint, item.point_id)
            # the label carries the token recorded for the batch, even if reissued since
            yield item.point_id, label_data(point, base_url, db.session.get(QrToken, item.token))

    folder = batch_folder(batch)
    try:
        render_batch(folder, labels(), TEMPLATES[batch.template], title=f"护校二维码标签 {batch.folder}",
                     pngs=pngs, progress=progress)
    except Exception as exc:
        db.session.rollback()
        batch = db.session.get(PrintBatch, batch_id)
        batch.status, batch.error, batch.finished_at = BatchStatus.FAILED, str(exc), utcnow()
        db.session.commit()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    batch.status, batch.done, batch.finished_at = BatchStatus.DONE, batch.total, utcnow()
    db.session.commit()
    return batch
