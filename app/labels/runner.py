"""Render print batches in the background, one at a time per process, each on a lease.

The process that records a batch holds it and renews its lease while labels are drawn. If
that process dies (a restart, a killed worker), the lease runs out and whoever next looks at
the batches takes it up and renders it again from the start; after MAX_ATTEMPTS such
interruptions it is failed with the reason. So no batch stays `queued` or `running` for good.
This module is the batches' edge: it commits, as a request or a CLI command does.
"""

import shutil
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import Flask, current_app
from sqlalchemy import select, update

from app.db_types import utcnow
from app.extensions import db
from app.labels.batches import LEASE, batch_folder, worker_id
from app.labels.content import label_data
from app.labels.models import BatchStatus, PrintBatch
from app.labels.render import render_batch
from app.labels.sheets import TEMPLATES
from app.points.models import QrToken, RiskPoint

#: a batch whose rendering was cut off this often is failed rather than started again
MAX_ATTEMPTS = 3
INTERRUPTED = ("渲染这批标签的进程 {n} 次都中断了（服务器重启或进程被终止）：请重新打印。"
               " / The process rendering this batch stopped {n} times (a restart or a killed worker): print it again.")
_PENDING = (BatchStatus.QUEUED, BatchStatus.RUNNING)

_executor: ThreadPoolExecutor | None = None
_futures: list[Future] = []
_lock = threading.Lock()  # gunicorn's threads share this module: one renderer per process


def start_batch(batch_id: int) -> Future:
    """Render a recorded (committed) batch in this process's background thread."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qr-batch")
        future = _executor.submit(_run, current_app._get_current_object(), batch_id)
        _futures[:] = [f for f in _futures if not f.done()] + [future]
    return future


def drain(timeout: float | None = None) -> None:
    """Wait for the batches already started to finish (shutdown, tests)."""
    wait(list(_futures), timeout=timeout)


def _run(app: Flask, batch_id: int) -> None:
    with app.app_context():
        try:
            run_batch(batch_id)
        except Exception:  # already recorded on the batch as failed, with its message
            app.logger.exception("print batch %s failed", batch_id)
        finally:
            db.session.remove()


def _renew() -> None:
    """Extend the lease of every batch this process holds: the one it draws and those waiting behind it."""
    db.session.execute(update(PrintBatch).where(PrintBatch.worker == worker_id(), PrintBatch.status.in_(_PENDING))
                       .values(lease_until=utcnow() + LEASE))


def run_batch(batch_id: int, pngs: bool = True, on_label=lambda done, total: None) -> PrintBatch | None:
    """Render a batch this process holds into its folder, keeping its progress and lease in the database.

    Returns None if another process has taken the batch up meanwhile (this one's lease ran out).
    """
    started = db.session.execute(
        update(PrintBatch).where(PrintBatch.id == batch_id, PrintBatch.worker == worker_id(),
                                 PrintBatch.status.in_(_PENDING))
        .values(status=BatchStatus.RUNNING, attempts=PrintBatch.attempts + 1, lease_until=utcnow() + LEASE))
    db.session.commit()
    if started.rowcount == 0:
        return None
    batch = db.session.get(PrintBatch, batch_id)
    base_url = current_app.config["PUBLIC_BASE_URL"]
    step, renewed = max(1, batch.total // 50), [time.monotonic()]

    def progress(done: int) -> None:
        on_label(done, batch.total)
        if done % step == 0 or done == batch.total or time.monotonic() - renewed[0] > LEASE.total_seconds() / 4:
            held = _hold(batch_id, done=done)
            _renew()
            db.session.commit()
            if not held:  # its lease ran out and another process took it up: that one draws it now
                raise LostLease(batch_id)
            renewed[0] = time.monotonic()

    def labels():
        for item in batch.items:
            point = db.session.get(RiskPoint, item.point_id)
            # the label carries the token recorded for the batch, even if reissued since
            yield item.point_id, label_data(point, base_url, db.session.get(QrToken, item.token))

    folder = batch_folder(batch)
    shutil.rmtree(folder, ignore_errors=True)  # what an interrupted attempt left
    try:
        render_batch(folder, labels(), TEMPLATES[batch.template], title=f"护校二维码标签 {batch.folder}",
                     pngs=pngs, progress=progress)
    except LostLease:
        db.session.rollback()
        return None
    except Exception as exc:
        db.session.rollback()
        if _hold(batch_id, status=BatchStatus.FAILED, error=str(exc), finished_at=utcnow(), lease_until=None):
            shutil.rmtree(folder, ignore_errors=True)
        db.session.commit()
        raise
    finished = _hold(batch_id, status=BatchStatus.DONE, done=batch.total, finished_at=utcnow(), lease_until=None)
    db.session.commit()
    db.session.refresh(batch)
    return batch if finished else None


class LostLease(Exception):
    """Another process took the batch up after this one's lease ran out: this one stops drawing it."""


def _hold(batch_id: int, **values) -> bool:
    """Write to a batch this process still holds (and renew its lease); False if it no longer holds it."""
    held = update(PrintBatch).where(PrintBatch.id == batch_id, PrintBatch.worker == worker_id(),
                                    PrintBatch.status.in_(_PENDING))
    return db.session.execute(held.values(**{"lease_until": utcnow() + LEASE, **values})).rowcount > 0


def take_up_interrupted() -> int:
    """Start again here, or fail with the reason, every batch whose process let its lease run out; commit.

    Called whenever someone looks at batches. Taking one up is a compare-and-set on its lease,
    so of two processes looking at once only one renders it. Returns how many were taken up.
    """
    now = utcnow()
    stale = list(db.session.execute(select(PrintBatch.id, PrintBatch.attempts).where(
        PrintBatch.status.in_(_PENDING), PrintBatch.lease_until < now)))
    taken = []
    for batch_id, attempts in stale:
        lapsed = update(PrintBatch).where(PrintBatch.id == batch_id, PrintBatch.status.in_(_PENDING),
                                          PrintBatch.lease_until < now)
        if attempts >= MAX_ATTEMPTS:
            db.session.execute(lapsed.values(status=BatchStatus.FAILED, error=INTERRUPTED.format(n=attempts),
                                             finished_at=now, lease_until=None))
        elif db.session.execute(lapsed.values(worker=worker_id(), lease_until=now + LEASE)).rowcount:
            taken.append(batch_id)
    if stale:
        db.session.commit()
    for batch_id in taken:
        start_batch(batch_id)
    return len(taken)
