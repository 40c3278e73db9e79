"""a secret calendar address per user (the learner's due dates as an iCalendar feed)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 13:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("calendar_token", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_users_calendar_token", ["calendar_token"])


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_calendar_token", type_="unique")
        batch.drop_column("calendar_token")
