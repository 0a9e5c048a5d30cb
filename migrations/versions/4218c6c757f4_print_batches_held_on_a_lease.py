"""Print batches are held on a lease by the process rendering them

A batch rendered on a thread of the worker that received the request stayed `queued` or
`running` for good when that worker died. Now the process holding it renews `lease_until`
as labels are drawn; a lease that ran out is taken up by whoever looks next (`attempts`
counts the tries, `worker` names the holder). Existing batches have no lease: one still
`queued` or `running` is taken up at once.

Revision ID: 4218c6c757f4
Revises: d8a2b4c6e135
Create Date: 2026-12-07 05:54:40

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4218c6c757f4'
down_revision = 'd8a2b4c6e135'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
    # a batch left pending by a version without leases belongs to no living process
    op.execute("UPDATE print_batches SET lease_until = '2000-01-01 00:00:00' "
               "WHERE status IN ('queued', 'running')")


def downgrade():
    with op.batch_alter_table('print_batches', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('worker')
