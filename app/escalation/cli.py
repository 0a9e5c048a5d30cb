"""`flask escalate`: one sweep (or one every N seconds), at a given moment for tests and replays."""

import time
from datetime import datetime, timezone

import click
from flask import Blueprint

from app.db_types import utcnow
from app.escalation.sweep import sweep
from app.extensions import db

bp = Blueprint("escalate", __name__, cli_group=None)


def _moment(ctx, param, text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give the time with its offset, e.g. 2026-11-25T08:00:00+08:00")
    return moment.astimezone(timezone.utc)


def repeat(work, moment: datetime | None, every: int | None, what: str) -> None:
    """Do `work(now)` once, or every `every` seconds at the real time; a long-running loop outlives a
    failed round (a database restart, say): it rolls back, says why and tries again next round."""
    if every and moment:
        raise click.UsageError(f"--every runs each {what} at the real time: it cannot be combined with --now")
    while True:
        started = time.monotonic()
        try:
            work(moment or utcnow())
        except Exception as exc:
            db.session.rollback()
            if not every:
                raise
            click.echo(f"{what} failed, retrying in {every} s: {type(exc).__name__}: {exc}", err=True)
        if not every:
            return
        time.sleep(max(0.0, every - (time.monotonic() - started)))


moment_option = click.option("--now", "moment", callback=_moment,
                             help="As if at this ISO 8601 time, with its offset (default: now).")


@bp.cli.command("escalate")
@moment_option
@click.option("--every", type=click.IntRange(min=1), help="Keep sweeping, every this many seconds.")
@click.option("--no-deliver", is_flag=True, help="Only sweep; leave the outbox to `flask outbox deliver`.")
def escalate_command(moment: datetime | None, every: int | None, no_deliver: bool):
    """Escalate what is overdue or failing, notify each new step's people, then send the outbox.

    Safe to run twice or at once: nobody is told twice of the same step. After a month
    ends, it also keeps every school's figures of that month for the monthly report, and
    it forgets deliveries sent or dropped more than OUTBOX_KEEP_DAYS ago.
    """
    from app.outbox.cli import deliver_and_report
    from app.reports.closing import close_months

    def once(now: datetime) -> None:
        started = time.monotonic()
        sweep(now)
        db.session.commit()  # the steps are safe before any webhook is tried
        click.echo(f"swept in {time.monotonic() - started:.2f} s")
        if not no_deliver:
            deliver_and_report(now)
        started = time.monotonic()
        closed = close_months(now)
        db.session.commit()
        for what in closed:
            click.echo(f"kept the month's figures of {what}")
        if closed:
            click.echo(f"closed the months in {time.monotonic() - started:.2f} s")

    repeat(once, moment, every, "sweep")
