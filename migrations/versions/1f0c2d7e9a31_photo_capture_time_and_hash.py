"""photos keep their capture time and a similarity hash; public photos have no uploader

Revision ID: 1f0c2d7e9a31
Revises: 8a9f859ae408
Create Date: 2026-11-24 09:23:19.448665

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f0c2d7e9a31'
down_revision = '8a9f859ae408'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('captured_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('dhash', sa.String(length=16), nullable=True))
        batch_op.alter_column('uploader_id',
               existing_type=sa.INTEGER(),
               nullable=True)


def downgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.alter_column('uploader_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('dhash')
        batch_op.drop_column('captured_at')
