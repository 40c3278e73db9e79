"""office tools: external JP waits for approval (status, reviewer, reason); work units retire;
certificates carry their issuing office, signatory, logo and language

Existing external records stay approved: they have counted in learners' totals and supervisors'
reports until now, and taking hours back without anyone having looked again would be a surprise
to both; an admin who doubts one can still open its proof.

Revision ID: 0017
Revises: 0018
Create Date: 2026-12-07 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('signatory_name', sa.String(length=200), nullable=False),
    sa.Column('signatory_title', sa.String(length=200), nullable=False),
    sa.Column('signatory_nip', sa.String(length=18), nullable=True),
    sa.Column('logo_path', sa.String(length=300), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_certificate_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_settings'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='id'))
        batch_op.add_column(sa.Column('issuer', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signatory_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signatory_title', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signatory_nip', sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column('logo_path', sa.String(length=300), nullable=True))
    # Certificates issued so far take their course's language from now on.
    op.execute("UPDATE certificates SET language = COALESCE((SELECT courses.language FROM courses"
               " WHERE courses.id = certificates.course_id), 'id')")
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
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        for column in ('logo_path', 'signatory_nip', 'signatory_title', 'signatory_name', 'issuer', 'language'):
            batch_op.drop_column(column)
    op.drop_table('certificate_settings')
    with op.batch_alter_table('jp_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jp_records_status'))
        batch_op.drop_constraint(batch_op.f('fk_jp_records_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('status')
    with op.batch_alter_table('work_units', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
