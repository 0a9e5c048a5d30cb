"""the sweep finds open hazards by state: (state, deadline) and (state, rejections)

Without them, the sweep's hazards past their deadline were found through the deadline index,
which holds every closed-out hazard too (all their deadlines are past), and those rejected
twice by reading the whole table: both grew with the county's history on every sweep.

Revision ID: c7f1a3e5b902
Revises: b5e3d7f9a124
Create Date: 2026-11-24 21:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7f1a3e5b902'
down_revision = 'b5e3d7f9a124'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('hazards', schema=None) as batch_op:
        batch_op.create_index('ix_hazards_state_deadline', ['state', 'deadline'], unique=False)
        batch_op.create_index('ix_hazards_state_rejections', ['state', 'rejections'], unique=False)


def downgrade():
    with op.batch_alter_table('hazards', schema=None) as batch_op:
        batch_op.drop_index('ix_hazards_state_rejections')
        batch_op.drop_index('ix_hazards_state_deadline')
