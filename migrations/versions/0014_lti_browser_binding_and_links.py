"""lti: a login keeps the platform's hints (to start again in a new window); launches whose email or
NIP belongs to an account here wait in lti_pending_links until the owner links it

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 08:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lti_logins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login_hint', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('message_hint', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('target_link_uri', sa.Text(), nullable=False, server_default=''))

    op.create_table('lti_pending_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('claims', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platforms.id'], name=op.f('fk_lti_pending_links_platform_id_lti_platforms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_pending_links'))
    )
    with op.batch_alter_table('lti_pending_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_pending_links_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('lti_pending_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_pending_links_created_at'))

    op.drop_table('lti_pending_links')
    with op.batch_alter_table('lti_logins', schema=None) as batch_op:
        batch_op.drop_column('target_link_uri')
        batch_op.drop_column('message_hint')
        batch_op.drop_column('login_hint')
