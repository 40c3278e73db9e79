"""discussion attachments: a file kept with a post (its path, name and type)

Revision ID: 0020a
Revises: 0022
Create Date: 2026-12-07 13:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020a'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_path', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('file_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('file_type', sa.String(length=100), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('discussion_posts', schema=None) as batch_op:
        batch_op.drop_column('file_type')
        batch_op.drop_column('file_name')
        batch_op.drop_column('file_path')
