"""learning notifications: PostgreSQL tells listening processes whose progress or enrollment changed

Row triggers on activity_progress and enrollments send NOTIFY learning 'u:<user id>'; statement
triggers on courses, modules and activities (and a TRUNCATE of the first two) send 'c'. Each app
process listens and drops what it kept for those learners (lms/learn/learning_signal.py). SQLite
has no NOTIFY: nothing to do there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 09:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

LEARNER_TABLES = ("activity_progress", "enrollments")
CONTENT_TABLES = ("courses", "modules", "activities")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION lms_notify_learner() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM pg_notify('learning', 'u:' || OLD.user_id);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                PERFORM pg_notify('learning', 'u:' || NEW.user_id);
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION lms_notify_content() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('learning', 'c');
            RETURN NULL;
        END $$
        """
    )
    for table in LEARNER_TABLES:
        op.execute(
            f"CREATE TRIGGER lms_notify_learner AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION lms_notify_learner()"
        )
        op.execute(
            f"CREATE TRIGGER lms_notify_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION lms_notify_content()"
        )
    for table in CONTENT_TABLES:
        op.execute(
            f"CREATE TRIGGER lms_notify_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION lms_notify_content()"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in LEARNER_TABLES:
        op.execute(f"DROP TRIGGER lms_notify_learner ON {table}")
        op.execute(f"DROP TRIGGER lms_notify_truncate ON {table}")
    for table in CONTENT_TABLES:
        op.execute(f"DROP TRIGGER lms_notify_content ON {table}")
    op.execute("DROP FUNCTION lms_notify_learner()")
    op.execute("DROP FUNCTION lms_notify_content()")
