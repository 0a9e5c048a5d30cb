"""The audit trail keeps where each change came from: the client's address

Revision ID: f1524019cb5c
Revises: 4d37450a28f8
Create Date: 2026-12-07 13:35:05.423919

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1524019cb5c'
down_revision = '4d37450a28f8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('address')

