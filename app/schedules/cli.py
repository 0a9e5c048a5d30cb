"""`flask schedules refresh`: recompute when every point is due (after an upgrade, or a calendar change)."""

from datetime import datetime, timezone

import click
from flask import Blueprint

from app.extensions import db
from app.schedules.services import refresh_county

bp = Blueprint("schedules", __name__, cli_group="schedules")


@bp.cli.command("refresh")
@click.option("--county", "county_id", type=int, help="Only this county's points (its org unit id).")
@click.option("--now", "now_text", help="As if at this ISO 8601 time (default: now).")
def refresh_command(county_id: int | None, now_text: str | None):
    """Recompute every active point's due time from its schedule, calendar and recent inspections."""
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter(f"not an ISO 8601 time: {now_text!r}", param_hint="--now") from None
        if now.tzinfo is None:
            raise click.BadParameter("give the time with its offset, e.g. 2026-11-25T08:00:00+08:00",
                                     param_hint="--now")
        now = now.astimezone(timezone.utc)
    click.echo(f"{refresh_county(county_id, now, after_batch=db.session.commit)} points refreshed.")
