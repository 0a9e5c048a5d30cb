"""risk points may override their inspection frequency

NULL (every existing point) keeps following the risk level's default cadence.

Revision ID: 8a9f859ae408
Revises: adcafcddc13e
Create Date: 2026-11-24 08:02:42.673505

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a9f859ae408'
down_revision = 'adcafcddc13e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('risk_points', schema=None) as batch_op:
        batch_op.add_column(sa.Column('frequency', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('risk_points', schema=None) as batch_op:
        batch_op.drop_column('frequency')
