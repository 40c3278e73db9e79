"""emails carry an HTML part beside the plain text

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outgoing_emails") as batch:
        batch.add_column(sa.Column("body_html", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("outgoing_emails") as batch:
        batch.drop_column("body_html")
