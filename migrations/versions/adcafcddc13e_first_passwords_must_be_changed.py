"""first passwords must be changed

Revision ID: adcafcddc13e
Revises: de851ea5fcc0
Create Date: 2026-11-24 07:18:51.816753

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'adcafcddc13e'
down_revision = 'de851ea5fcc0'
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))




def downgrade():

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')


