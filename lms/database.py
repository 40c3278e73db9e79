"""Database connections: SQLite runs with WAL and foreign keys on; PostgreSQL begins a
transaction at the first write; reports may read from a replica."""

from __future__ import annotations

import re
import time
from functools import lru_cache

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


_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_ROW_LOCK = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE
)


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


def _reads_without_transaction(dbapi_connection, _record, _proxy) -> None:
    """Check a PostgreSQL connection out in autocommit: its reads need no BEGIN and no ROLLBACK.

    Most requests only read, and on PostgreSQL a transaction around them costs two round trips
    (BEGIN, and ROLLBACK when the connection returns to the pool) for nothing: under READ
    COMMITTED each statement takes its own snapshot either way. So a connection starts in
    autocommit and `_begin_before_write` leaves it before anything that writes or locks, the way
    Python's sqlite3 module begins a transaction only before the first INSERT/UPDATE/DELETE.
    Only statements that go through SQLAlchemy are seen: code that takes the raw DBAPI connection
    must begin its own transaction (none does). Reads that must share one snapshot (REPEATABLE
    READ) would need a transaction of their own; none here do.
    """
    if not dbapi_connection.autocommit:
        dbapi_connection.autocommit = True


def _begin_before_write(
    conn, _cursor, statement, _parameters, _context, _executemany
) -> None:
    """Open the transaction (psycopg sends BEGIN) before the first statement that is not a plain
    read: a write, a SAVEPOINT, or a SELECT ... FOR UPDATE whose locks must last until commit.
    From then on the request's statements commit or roll back together, as usual."""
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection.autocommit and _needs_transaction(statement):
        dbapi_connection.autocommit = False


@lru_cache(maxsize=2048)
def _needs_transaction(statement: str) -> bool:
    """Tell whether a statement writes or locks (the same few statements run again and again, and
    searching a long report's text for a row lock costs more than a small query)."""
    return not _PLAIN_READ.match(statement) or bool(_ROW_LOCK.search(statement))


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
    """Set per-connection pragmas on SQLite; on PostgreSQL, begin transactions at the first write."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            elif engine.dialect.name == "postgresql":
                event.listen(engine, "checkout", _reads_without_transaction)
                event.listen(engine, "checkout", _ping_if_idle)
                event.listen(engine, "checkin", _returned)
                event.listen(engine, "before_cursor_execute", _begin_before_write)
