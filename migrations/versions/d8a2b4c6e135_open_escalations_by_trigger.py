"""ix_escalations_open on (resolved_at, trigger): the sweep's reads of open escalations by trigger

With a long resolved history (a million past escalations in the benchmark), PostgreSQL read
the open hazard escalations by ANDing this index with a whole scan of the unique index on
trigger, and the new-cause checks probed every cause ever. With the trigger in the key, each
statement reads the open escalations of its triggers and nothing of the past. A climb still
changes no indexed column (HOT on PostgreSQL).

Revision ID: d8a2b4c6e135
Revises: c7f1a3e5b902
Create Date: 2026-11-24 21:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd8a2b4c6e135'
down_revision = 'c7f1a3e5b902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_open')
        batch_op.create_index('ix_escalations_open', ['resolved_at', 'trigger'], unique=False)


def downgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_open')
        batch_op.create_index('ix_escalations_open', ['resolved_at'], unique=False)
