"""A public report carries its sender's status token: the link to follow its progress without an account

Reports sent before this get a fresh token each here (128 random bits, as
app.points.tokens.new_token makes them), so the column can be NOT NULL and unique.

Revision ID: 7071d9452ff0
Revises: f1524019cb5c
Create Date: 2026-12-07 15:50:52.177698

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7071d9452ff0'
down_revision = 'f1524019cb5c'
branch_labels = None
depends_on = None


def _backfill():
    """Give every existing report a token of its own (the app's new_token, copied: a migration stands alone)."""
    conn = op.get_bind()
    reports = sa.table("public_reports", sa.column("id", sa.Integer), sa.column("status_token", sa.String))
    for (report_id,) in conn.execute(sa.select(reports.c.id)).all():
        conn.execute(reports.update().where(reports.c.id == report_id)
                     .values(status_token=secrets.token_urlsafe(16)))


def upgrade():
    with op.batch_alter_table('public_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_token', sa.String(length=32), nullable=True))
    _backfill()
    with op.batch_alter_table('public_reports', schema=None) as batch_op:
        batch_op.alter_column('status_token', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_public_reports_status_token'), ['status_token'])


def downgrade():
    with op.batch_alter_table('public_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_public_reports_status_token'), type_='unique')
        batch_op.drop_column('status_token')
