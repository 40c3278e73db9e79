"""Database connections: SQLite runs with WAL and foreign keys on; PostgreSQL connections idle
for a while are checked before use; reports may read from a replica."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError

from lms.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL keeps the database consistent on a crash and skips an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


#: A pooled PostgreSQL connection idle longer than this is pinged before use (a database restarted
#: meanwhile is noticed then, not by the request); one in steady use is not.
PING_AFTER_IDLE_SECONDS = 1.0


def _returned(_dbapi_connection, record) -> None:
    record.info["lms.returned_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    """Check a connection that has been idle before handing it out; a dead one is replaced.

    SQLAlchemy's `pool_pre_ping` pings on every check-out: a round trip per request. A server
    restart is what the ping is for, and a connection in use a moment ago has seen none, so only
    connections idle for `PING_AFTER_IDLE_SECONDS` are pinged. Raising `DisconnectionError` makes
    the pool drop this connection (and older ones) and connect afresh.
    """
    returned = record.info.get("lms.returned_at")
    if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        raise DisconnectionError("the database connection is gone") from exc


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
    """Set per-connection pragmas on SQLite; on PostgreSQL, check idle connections before use."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            elif engine.dialect.name == "postgresql":
                event.listen(engine, "checkout", _ping_if_idle)
                event.listen(engine, "checkin", _returned)
