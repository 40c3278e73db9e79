"""drop the learning notifications (the kept lesson path that listened for them is gone)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

LEARNER_TABLES = ("activity_progress", "enrollments")
CONTENT_TABLES = ("courses", "modules", "activities")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in LEARNER_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS lms_notify_learner ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS lms_notify_truncate ON {table}")
    for table in CONTENT_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS lms_notify_content ON {table}")
    op.execute("DROP FUNCTION IF EXISTS lms_notify_learner()")
    op.execute("DROP FUNCTION IF EXISTS lms_notify_content()")


def downgrade():
    # Revision 0012 makes them; going back past this one makes them again only from there.
    pass
