"""`flask outbox deliver`: send what the outbox holds; `flask outbox prune`: forget what is done;
`flask push keys`: make a VAPID key pair."""

import click
from flask import Blueprint, current_app

from app.escalation.cli import moment_option, repeat
from app.outbox.prune import prune
from app.outbox.push import new_private_key, public_key
from app.outbox.send import deliver_due

bp = Blueprint("outbox_cli", __name__, cli_group=None)


def deliver_and_report(now) -> None:
    """Send what is due, then forget what was done long ago (whichever process sends, prunes)."""
    counts = deliver_due(now)
    if any(counts.values()):
        click.echo("deliveries: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    prune_and_report(now)


@bp.cli.group("outbox")
def outbox_group():
    """The outbox of webhook and Web Push deliveries."""


@outbox_group.command("deliver")
@moment_option
@click.option("--every", type=click.IntRange(min=1), help="Keep delivering, every this many seconds.")
def deliver_command(moment, every: int | None):
    """Send the deliveries that are due (failed ones wait with backoff), then forget those done more than
    OUTBOX_KEEP_DAYS ago. `flask escalate` does this too."""
    repeat(deliver_and_report, moment, every, "delivery")


def prune_and_report(now, keep_days: int | None = None) -> None:
    pruned = prune(now, keep_days or current_app.config["OUTBOX_KEEP_DAYS"])
    if pruned:
        click.echo(f"outbox: forgot {pruned} sent or dropped deliveries")


@outbox_group.command("prune")
@moment_option
@click.option("--days", type=click.IntRange(min=1), help="Keep this many days (default: OUTBOX_KEEP_DAYS, 90).")
def prune_command(moment, days: int | None):
    """Forget sent and dropped deliveries handled more than the kept days ago. Pending and dead ones stay,
    and so does every notification. `flask escalate` does this too."""
    repeat(lambda now: prune_and_report(now, days), moment, None, "prune")


@bp.cli.group("push")
def push_group():
    """Web Push (VAPID) keys."""


@push_group.command("keys")
def keys_command():
    """Print a new VAPID key pair: put the private key in VAPID_PRIVATE_KEY (and keep it: changing it
    unsubscribes every phone)."""
    private = new_private_key()
    click.echo(f"VAPID_PRIVATE_KEY={private}")
    click.echo(f"# public key (browsers get it from /api/push/key): {public_key(private)}")
