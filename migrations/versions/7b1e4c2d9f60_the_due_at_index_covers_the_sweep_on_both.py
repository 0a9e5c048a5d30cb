"""the due_at index covers the sweep on both databases (key columns, not PostgreSQL's INCLUDE)

On SQLite the index held due_at alone, so the sweep read a table page for every overdue
point. With its columns as keys it answers the sweep's reads of overdue points by itself
on SQLite as on PostgreSQL.

Revision ID: 7b1e4c2d9f60
Revises: 035e03156541
Create Date: 2026-11-24 20:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7b1e4c2d9f60'
down_revision = '035e03156541'
branch_labels = None
depends_on = None

COLUMNS = ['due_at', 'id', 'active', 'school_id', 'grid_id', 'risk_level']


def upgrade():
    with op.batch_alter_table('risk_points', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_points_due_at')
        batch_op.create_index('ix_risk_points_due_at', COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('risk_points', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_points_due_at')
        batch_op.create_index('ix_risk_points_due_at', ['due_at'], unique=False,
                              postgresql_include=['id', 'active', 'school_id', 'grid_id', 'risk_level'])
