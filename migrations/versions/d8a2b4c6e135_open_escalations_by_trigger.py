"""ix_escalations_open holds the open escalations only, by (trigger, subject, subject_id, began_at)

With a long resolved history (a million past escalations in the benchmark), PostgreSQL read
the open hazard escalations by ANDing the old (resolved_at) index with a whole scan of the
unique index on trigger, and the new-cause checks probed every cause ever. Partial (WHERE
resolved_at IS NULL, which every query of open escalations says in those words, as SQLite
needs to use it), it holds only what is open: each statement reads the open escalations of
its triggers, and a new cause is checked against them in the index alone. A climb still
changes no indexed column (HOT on PostgreSQL).

Revision ID: d8a2b4c6e135
Revises: c7f1a3e5b902
Create Date: 2026-11-24 21:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd8a2b4c6e135'
down_revision = 'c7f1a3e5b902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_open')
        batch_op.create_index('ix_escalations_open', ['trigger', 'subject', 'subject_id', 'began_at'], unique=False,
                              postgresql_where=sa.text('resolved_at IS NULL'),
                              sqlite_where=sa.text('resolved_at IS NULL'))


def downgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_open')
        batch_op.create_index('ix_escalations_open', ['resolved_at'], unique=False)
