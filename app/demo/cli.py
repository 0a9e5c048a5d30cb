"""`flask demo seed`: the demo county for trying Huxiao."""

import click
from flask import Blueprint, current_app

from sqlalchemy import select

from app.demo.history import add_history
from app.demo.seed import DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.inspections.models import Inspection
from app.orgs.models import OrgUnit

bp = Blueprint("demo", __name__, cli_group="demo")


@bp.cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no org units yet.")
@click.option("--history-days", type=click.IntRange(0, 366), default=90, show_default=True,
              help="Days of made-up patrols and hazards before today, for the reports (0: none).")
def seed_command(if_empty: bool, history_days: int):
    """Create the demo county 演示县 and one account per role, with a past of patrols (idempotent)."""
    if current_app.config["HUXIAO_ENV"] == "production":
        raise click.ClickException("refusing to seed demo data: HUXIAO_ENV is production")
    if if_empty and db.session.scalar(select(OrgUnit.id).limit(1)) is not None:
        click.echo("The database already holds data: demo seed skipped.")
        return
    accounts = seed_demo()
    if history_days and db.session.scalar(select(Inspection.id).limit(1)) is None:
        add_history(days=history_days)
        click.echo(f"Added {history_days} days of patrols and hazards, so the reports have a past.")
    click.echo("Demo county 演示县 is ready. Accounts (password: %s):" % DEMO_PASSWORD)
    for account in accounts:
        click.echo(f"  {account.username:<11} {account.role.value:<20} {account.display_name}")
