"""Database connections: SQLite runs with WAL and foreign keys on; reports may read from a replica."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from lms.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL keeps the database consistent on a crash and skips an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def report_bind() -> dict:
    """Return the `bind_arguments` that send a report's queries to the read replica, if configured.

    `LMS_REPORTS_DATABASE_URL` names a replica of the primary (PostgreSQL streaming replication):
    reports (cohort figures, exports, the list of cohorts) then read there and leave the primary
    to the learners' writes. A replica may be a moment behind; the reports show figures "as of"
    anyway. Without it, reports read the primary like everything else.
    """
    engine = db.engines.get("reports")
    return {"bind": engine} if engine is not None else {}


def report_execute(statement, params=None):
    """Execute a report's read-only statement, on the read replica when there is one."""
    return db.session.execute(statement, params, bind_arguments=report_bind())


def init_app(app: Flask) -> None:
    """Set per-connection pragmas on SQLite engines."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
