"""activity required: whether completing the activity counts toward completing its course

Revision ID: 0024_activity_required
Revises: 0023_catalog_trgm
Create Date: 2026-12-07 14:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_activity_required'
down_revision = '0023_catalog_trgm'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('required')
