"""escalation steps lose a redundant index: the unique (escalation_id, level) begins with escalation_id

Every step the sweep writes updated both; the unique one serves every lookup by escalation.

Revision ID: 9c3a5e7f1b24
Revises: 7b1e4c2d9f60
Create Date: 2026-11-24 20:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '9c3a5e7f1b24'
down_revision = '7b1e4c2d9f60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('escalation_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_escalation_steps_escalation_id')


def downgrade():
    with op.batch_alter_table('escalation_steps', schema=None) as batch_op:
        batch_op.create_index('ix_escalation_steps_escalation_id', ['escalation_id'], unique=False)
