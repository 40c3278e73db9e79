"""emails carry an HTML part beside the plain text; a secret calendar address per user

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
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("calendar_token", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_users_calendar_token", ["calendar_token"])


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_calendar_token", type_="unique")
        batch.drop_column("calendar_token")
    with op.batch_alter_table("outgoing_emails") as batch:
        batch.drop_column("body_html")
