"""Run print batches in the background, one at a time, so no HTTP request waits for one."""

from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import Flask, current_app

_executor: ThreadPoolExecutor | None = None
_futures: list[Future] = []


def _run(app: Flask, batch_id: int) -> None:
    from app.labels.batches import run_batch

    with app.app_context():
        try:
            run_batch(batch_id)
        except Exception:  # already recorded on the batch as failed, with its message
            app.logger.exception("print batch %s failed", batch_id)


def start_batch(batch_id: int):
    """Queue a recorded batch for rendering in this process's background thread."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qr-batch")
    future = _executor.submit(_run, current_app._get_current_object(), batch_id)
    _futures[:] = [f for f in _futures if not f.done()] + [future]
    return future


def drain(timeout: float | None = None) -> None:
    """Wait for the batches already started to finish (shutdown, tests)."""
    wait(list(_futures), timeout=timeout)
