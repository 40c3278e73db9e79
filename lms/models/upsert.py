"""Portable INSERT ... ON CONFLICT for the two databases we run on (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from lms.extensions import db


def insert_on_conflict(
    model,
    values: dict[str, Any],
    conflict: list[str],
    update: dict[str, Any] | None = None,
):
    """Insert a row; when `conflict` columns clash, update `update` (or do nothing). Return the result."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values)
    if update:
        statement = statement.on_conflict_do_update(
            index_elements=conflict, set_=update
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=conflict)
    return db.session.execute(statement)


def insert_if_absent(model, values: dict[str, Any], conflict: list[str]) -> bool:
    """Insert a row unless one with the same `conflict` columns exists; tell whether it was inserted.

    (The driver's rowcount is not reliable for INSERT ... ON CONFLICT on every database; a
    RETURNING clause is.)
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict)
        .returning(*model.__table__.primary_key.columns)
    )
    return db.session.execute(statement).first() is not None
