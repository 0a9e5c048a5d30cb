"""`flask demo seed`: the demo county for trying Huxiao."""

import click
from flask import Blueprint, current_app

from sqlalchemy import select

from app.demo.seed import DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.orgs.models import OrgUnit

bp = Blueprint("demo", __name__, cli_group="demo")


@bp.cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no org units yet.")
def seed_command(if_empty: bool):
    """Create the demo county 演示县 and one account per role (idempotent)."""
    if current_app.config["HUXIAO_ENV"] == "production":
        raise click.ClickException("refusing to seed demo data: HUXIAO_ENV is production")
    if if_empty and db.session.scalar(select(OrgUnit.id).limit(1)) is not None:
        click.echo("The database already holds data: demo seed skipped.")
        return
    accounts = seed_demo()
    click.echo("Demo county 演示县 is ready. Accounts (password: %s):" % DEMO_PASSWORD)
    for account in accounts:
        click.echo(f"  {account.username:<11} {account.role.value:<20} {account.display_name}")
