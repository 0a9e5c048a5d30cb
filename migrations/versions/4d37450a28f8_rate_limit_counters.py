"""Throttle counts in the database, so every gunicorn worker and server shares them

Revision ID: 4d37450a28f8
Revises: bdc6bd7c486b
Create Date: 2026-12-07 12:42:25.949572

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d37450a28f8'
down_revision = 'bdc6bd7c486b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters'))
    )


def downgrade():
    op.drop_table('rate_limit_counters')
