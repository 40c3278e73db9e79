"""office tools: external JP waits for approval (status, reviewer, reason); work units retire

Existing external records stay approved: they have counted in learners' totals and supervisors'
reports until now, and taking hours back without anyone having looked again would be a surprise
to both; an admin who doubts one can still open its proof.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('jp_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='approved'))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sa.String(length=500), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_jp_records_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_jp_records_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('jp_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jp_records_status'))
        batch_op.drop_constraint(batch_op.f('fk_jp_records_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('status')
    with op.batch_alter_table('work_units', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
