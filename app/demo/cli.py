"""`flask demo seed`: the demo county for trying Huxiao."""

import click
from flask import Blueprint, current_app

from app.demo.seed import DEMO_PASSWORD, seed_demo

bp = Blueprint("demo", __name__, cli_group="demo")


@bp.cli.command("seed")
def seed_command():
    """Create the demo county 演示县 and one account per role (idempotent)."""
    if current_app.config["HUXIAO_ENV"] == "production":
        raise click.ClickException("refusing to seed demo data: HUXIAO_ENV is production")
    accounts = seed_demo()
    click.echo("Demo county 演示县 is ready. Accounts (password: %s):" % DEMO_PASSWORD)
    for account in accounts:
        click.echo(f"  {account.username:<11} {account.role.value:<20} {account.display_name}")
