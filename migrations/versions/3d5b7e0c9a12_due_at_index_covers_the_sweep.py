"""the due_at index carries what the escalation sweep copies (PostgreSQL INCLUDE)

Revision ID: 3d5b7e0c9a12
Revises: fcf65830ccdf
Create Date: 2026-11-24 13:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '3d5b7e0c9a12'
down_revision = 'fcf65830ccdf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('risk_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_points_due_at'))
        batch_op.create_index('ix_risk_points_due_at', ['due_at'], unique=False,
                              postgresql_include=['id', 'active', 'school_id', 'grid_id', 'risk_level'])


def downgrade():
    with op.batch_alter_table('risk_points', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_points_due_at')
        batch_op.create_index(batch_op.f('ix_risk_points_due_at'), ['due_at'], unique=False)
