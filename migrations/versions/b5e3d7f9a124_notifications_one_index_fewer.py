"""notifications: one index fewer; the unique (step_id, user_id) also finds who a step told

Before, a unique (user_id, step_id) and an index on step_id: every notification the sweep
wrote went into both. The inbox keeps its (user_id, read_at).

Revision ID: b5e3d7f9a124
Revises: a4d2c6e8f013
Create Date: 2026-11-24 21:15:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5e3d7f9a124'
down_revision = 'a4d2c6e8f013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_notifications_step_id_user_id'), ['step_id', 'user_id'])
        batch_op.drop_constraint('uq_notifications_user_id_step_id', type_='unique')
        batch_op.drop_index('ix_notifications_step_id')


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_step_id', ['step_id'], unique=False)
        batch_op.create_unique_constraint('uq_notifications_user_id_step_id', ['user_id', 'step_id'])
        batch_op.drop_constraint('uq_notifications_step_id_user_id', type_='unique')
