"""The schema the tests run on is built by the migrations, and it matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lms.extensions import db


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations disagree; run `flask db migrate`: {diff}"


def test_schema_comes_from_alembic(app):
    tables = inspect(db.engine).get_table_names()
    assert "alembic_version" in tables
    assert {
        "users",
        "courses",
        "activities",
        "activity_progress",
        "enrollments",
    } <= set(tables)
