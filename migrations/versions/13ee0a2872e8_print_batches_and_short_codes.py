"""print batches and short codes

Every token gets a short code (8 Crockford base-32 characters, printed XXXX-XXXX) for
when a camera cannot read the label; existing tokens are given one here, and each
point carries its current token's code.

Revision ID: 13ee0a2872e8
Revises: 6ba11acecc77
Create Date: 2026-11-24 06:24:49.704880

"""
import secrets

from alembic import op
import sqlalchemy as sa

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _code(taken):
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if code not in taken:
            taken.add(code)
            return code


def _backfill():
    """Give every existing token a code, and every point its current token's."""
    conn = op.get_bind()
    qr_tokens = sa.table("qr_tokens", sa.column("token", sa.String), sa.column("short_code", sa.String))
    risk_points = sa.table("risk_points", sa.column("token", sa.String), sa.column("short_code", sa.String))
    taken = set()
    for (token,) in conn.execute(sa.select(qr_tokens.c.token)).all():
        code = _code(taken)
        conn.execute(qr_tokens.update().where(qr_tokens.c.token == token).values(short_code=code))
        conn.execute(risk_points.update().where(risk_points.c.token == token).values(short_code=code))


# revision identifiers, used by Alembic.
revision = '13ee0a2872e8'
down_revision = '6ba11acecc77'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('print_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('folder', sa.String(length=120), nullable=False),
    sa.Column('template', sa.String(length=16), nullable=False),
    sa.Column('selection', sa.Text(), nullable=False),
    sa.Column('scope_org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='batchstatus', native_enum=False, length=16), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_print_batches_created_by_id_users')),
    sa.ForeignKeyConstraint(['scope_org_id'], ['org_units.id'], name=op.f('fk_print_batches_scope_org_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_batches')),
    sa.UniqueConstraint('folder', name=op.f('uq_print_batches_folder'))
    )
    op.create_table('print_batch_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('point_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('token_version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label_file', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['print_batches.id'], name=op.f('fk_print_batch_items_batch_id_print_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['point_id'], ['risk_points.id'], name=op.f('fk_print_batch_items_point_id_risk_points')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_batch_items')),
    sa.UniqueConstraint('batch_id', 'position', name=op.f('uq_print_batch_items_batch_id_position'))
    )
    with op.batch_alter_table('print_batch_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_batch_items_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_batch_items_point_id'), ['point_id'], unique=False)

    for table in ('qr_tokens', 'risk_points'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('short_code', sa.String(length=9), nullable=True))
    _backfill()
    for table in ('qr_tokens', 'risk_points'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('short_code', existing_type=sa.String(length=9), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_short_code'), ['short_code'])


def downgrade():
    with op.batch_alter_table('risk_points', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_risk_points_short_code'), type_='unique')
        batch_op.drop_column('short_code')

    with op.batch_alter_table('qr_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_qr_tokens_short_code'), type_='unique')
        batch_op.drop_column('short_code')

    with op.batch_alter_table('print_batch_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_batch_items_point_id'))
        batch_op.drop_index(batch_op.f('ix_print_batch_items_batch_id'))

    op.drop_table('print_batch_items')
    op.drop_table('print_batches')
