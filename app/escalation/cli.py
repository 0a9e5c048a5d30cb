"""`flask escalate`: one sweep (or one every N seconds), at a given moment for tests and replays."""

import time
from datetime import datetime, timezone

import click
from flask import Blueprint

from app.db_types import utcnow
from app.escalation.sweep import sweep
from app.extensions import db

bp = Blueprint("escalate", __name__, cli_group=None)


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {text!r}", param_hint="--now") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give the time with its offset, e.g. 2026-11-25T08:00:00+08:00", param_hint="--now")
    return moment.astimezone(timezone.utc)


@bp.cli.command("escalate")
@click.option("--now", "now_text", help="Sweep as if at this ISO 8601 time (default: now).")
@click.option("--every", type=click.IntRange(min=1), help="Keep sweeping, every this many seconds.")
def escalate_command(now_text: str | None, every: int | None):
    """Escalate what is overdue or failing, and notify each new step's people. Safe to run twice or at once."""
    moment = _moment(now_text)
    if every and moment:
        raise click.UsageError("--every sweeps at the real time: it cannot be combined with --now")
    while True:
        started = time.monotonic()
        sweep(moment or utcnow())
        db.session.commit()
        click.echo(f"swept in {time.monotonic() - started:.2f} s")
        if not every:
            return
        time.sleep(max(0.0, every - (time.monotonic() - started)))
