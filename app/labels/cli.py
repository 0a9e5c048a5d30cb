"""`flask qr print` and `flask qr reissue`: label batches from a terminal."""

import sys
from pathlib import Path

import click
from flask import Blueprint, current_app
from sqlalchemy import select

from app.extensions import db
from app.labels.batches import BatchError, Selection, batch_folder, create_batch
from app.labels.fonts import LabelFontMissing
from app.labels.runner import run_batch
from app.labels.sheets import DEFAULT_TEMPLATE, TEMPLATES
from app.orgs.models import Grid, OrgKind, OrgUnit
from app.points.models import RiskPoint
from app.points.services import reissue_token

bp = Blueprint("qr", __name__, cli_group="qr")


def _county() -> OrgUnit:
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.kind == OrgKind.COUNTY).order_by(OrgUnit.id))
    if root is None:
        raise click.ClickException("there is no county yet: nothing to print")
    return root


def _scope(school_id: int | None, grid_id: int | None) -> OrgUnit:
    if grid_id is not None:
        grid = db.session.get(Grid, grid_id)
        if grid is None:
            raise click.ClickException(f"no grid with id {grid_id}")
        return grid.school
    if school_id is not None:
        school = db.session.get(OrgUnit, school_id)
        if school is None or school.kind is not OrgKind.SCHOOL:
            raise click.ClickException(f"no school with id {school_id}")
        return school
    return _county()


@bp.cli.command("print")
@click.option("--school", "school_id", type=int, help="All active points of this school (its id).")
@click.option("--grid", "grid_id", type=int, help="Only the points of this grid.")
@click.option("--level", "risk_level", help="Only points of this risk level (red, orange, yellow, blue).")
@click.option("--new", "unprinted", is_flag=True, help="Only points whose current label was never printed.")
@click.option("--points", "point_ids", help="A hand-picked list of point ids: 12,15,40.")
@click.option("--template", type=click.Choice(list(TEMPLATES)), default=DEFAULT_TEMPLATE, show_default=True)
@click.option("--out", type=click.Path(file_okay=False), help="Folder for batches (default: QR_BATCH_DIR).")
@click.option("--no-png", is_flag=True, help="Only the PDF and the manifest.")
def print_command(school_id, grid_id, risk_level, unprinted, point_ids, template, out, no_png):
    """Print a batch of QR labels; the last line of output is the batch folder."""
    if out:
        current_app.config["QR_BATCH_DIR"] = str(Path(out).resolve())
    try:
        ids = [int(part) for part in point_ids.split(",") if part.strip()] if point_ids else []
    except ValueError:
        raise click.ClickException("--points takes point ids separated by commas, e.g. 12,15,40") from None
    selection = Selection(school_id, grid_id, risk_level, unprinted, ids)
    try:
        batch = create_batch(_scope(school_id, grid_id), selection, template)
        db.session.commit()
        with click.progressbar(length=batch.total, label=f"{batch.total} labels", file=sys.stderr) as bar:
            run_batch(batch.id, pngs=not no_png, on_label=lambda done, total: bar.update(1))
    except (BatchError, LabelFontMissing) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(str(batch_folder(batch)))


@bp.cli.command("reissue")
@click.argument("point_id", type=int)
def reissue_command(point_id: int):
    """Give a point a new QR token (its old label stops working); print it with --new."""
    point = db.session.get(RiskPoint, point_id)
    if point is None or not point.active:
        raise click.ClickException(f"no active point with id {point_id}")
    reissue_token(point)
    db.session.commit()
    click.echo(f"{point.name}: new code {point.short_code}; the old label now answers that it was replaced")
