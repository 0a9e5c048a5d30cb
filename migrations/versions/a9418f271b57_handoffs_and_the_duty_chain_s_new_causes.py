"""Hand-offs tell the next person; notifications and deliveries carry a step or a hand-off;
a county's triage and verification times and working hours; which 随手拍 reports the school was told of

Revision ID: a9418f271b57
Revises: 7071d9452ff0
Create Date: 2026-12-07 15:51:16.245094

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9418f271b57'
down_revision = '7071d9452ff0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('subject', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_handoffs_actor_id_users')),
    sa.ForeignKeyConstraint(['school_id'], ['org_units.id'], name=op.f('fk_handoffs_school_id_org_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_handoffs_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoffs'))
    )
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoffs_school_id'), ['school_id'], unique=False)

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handoff_id', sa.Integer(), nullable=True))
        batch_op.alter_column('step_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_deliveries_handoff_id'), ['handoff_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_deliveries_channel_target_id_handoff_id'), ['channel', 'target_id', 'handoff_id'])
        batch_op.create_foreign_key(batch_op.f('fk_deliveries_handoff_id_handoffs'), 'handoffs', ['handoff_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_deliveries_one_cause'), '(step_id IS NULL) <> (handoff_id IS NULL)')

    with op.batch_alter_table('escalation_policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('triage_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verify_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('work_start', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('work_end', sa.String(length=5), nullable=True))

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handoff_id', sa.Integer(), nullable=True))
        batch_op.alter_column('step_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_notifications_handoff_id_user_id'), ['handoff_id', 'user_id'])
        batch_op.create_foreign_key(batch_op.f('fk_notifications_handoff_id_handoffs'), 'handoffs', ['handoff_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_notifications_one_cause'), '(step_id IS NULL) <> (handoff_id IS NULL)')

    with op.batch_alter_table('public_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_public_reports_untold', ['school_id'], unique=False,
                              postgresql_where=sa.text('told_at IS NULL'), sqlite_where=sa.text('told_at IS NULL'))
    # the reports already there are not news: the first sweep after the upgrade tells of none of them
    op.execute("UPDATE public_reports SET told_at = created_at")



def downgrade():
    # the hand-offs' notices and deliveries go with them: the older schema has room for steps only
    op.execute("DELETE FROM notifications WHERE handoff_id IS NOT NULL")
    op.execute("DELETE FROM deliveries WHERE handoff_id IS NOT NULL")
    with op.batch_alter_table('public_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_public_reports_untold', postgresql_where=sa.text('told_at IS NULL'),
                            sqlite_where=sa.text('told_at IS NULL'))
        batch_op.drop_column('told_at')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_one_cause'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_notifications_handoff_id_handoffs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_notifications_handoff_id_user_id'), type_='unique')
        batch_op.alter_column('step_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('handoff_id')

    with op.batch_alter_table('escalation_policies', schema=None) as batch_op:
        batch_op.drop_column('work_end')
        batch_op.drop_column('work_start')
        batch_op.drop_column('verify_hours')
        batch_op.drop_column('triage_hours')

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_deliveries_one_cause'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_deliveries_handoff_id_handoffs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_deliveries_channel_target_id_handoff_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_deliveries_handoff_id'))
        batch_op.alter_column('step_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('handoff_id')

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoffs_school_id'))

    op.drop_table('handoffs')
