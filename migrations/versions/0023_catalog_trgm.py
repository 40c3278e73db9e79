"""the catalogue's word search: a trigram index on course titles and summaries

On PostgreSQL, pg_trgm lets a GIN index answer `ILIKE '%word%'`; the extension ships with
PostgreSQL (contrib) and is trusted, so the database owner may create it. SQLite has no such
index: it gets a plain one of the same name (so models and migrations agree) and scans.

Revision ID: 0023_catalog_trgm
Revises: 0020a
Create Date: 2026-12-07 14:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023_catalog_trgm'
down_revision = '0020a'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_courses_words",
        "courses",
        ["title", "summary"],
        postgresql_using="gin",
        postgresql_ops={"title": "gin_trgm_ops", "summary": "gin_trgm_ops"},
    )


def downgrade():
    op.drop_index("ix_courses_words", table_name="courses")
