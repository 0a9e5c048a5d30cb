"""a climb writes no index entry: the open-escalations index on resolved_at alone; room for HOT updates

The sweep's climb updates level and last_step_at of every escalation whose time is up. With
level in ix_escalations_open each of those updates wrote a new entry in all four indexes of
the table. Without it, and with 15 % of each page left free on PostgreSQL, the update stays
in its page (a HOT update) and writes none.

Revision ID: a4d2c6e8f013
Revises: 9c3a5e7f1b24
Create Date: 2026-11-24 21:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4d2c6e8f013'
down_revision = '9c3a5e7f1b24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_open')
        batch_op.create_index('ix_escalations_open', ['resolved_at'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':  # pages filled later keep the room; a VACUUM FULL repacks
        op.execute('ALTER TABLE escalations SET (fillfactor = 85)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE escalations RESET (fillfactor)')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_open')
        batch_op.create_index('ix_escalations_open', ['resolved_at', 'level'], unique=False)
