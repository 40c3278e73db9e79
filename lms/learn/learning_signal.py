"""Which learners' progress or enrollment changed, told by PostgreSQL as each change commits.

A kept lesson page still asked the database for the learner's state on every view: one round trip,
the biggest part of the page on PostgreSQL. Triggers (migration 0012) send `NOTIFY learning` with
`u:<user id>` for every row of `activity_progress` and `enrollments` written, and `c` for any
write to `courses`, `modules` or `activities`: they see every write, the app's, a bulk update's or
SQL typed by hand. Each process listens on a connection of its own and counts, per learner and for
the content, the notifications it has read.

A state read from the database is kept with the counts as they were *before* it was read
(`tags`); it may be used while the counts are still the same. A change that commits while the
state is being read, or whose notification has not been read yet when the state is kept, moves
the counts, so the state is not used. A notification is normally read by the next request after
its commit (within a millisecond), and a lost connection by the next request after its loss (a
change committed in that instant is seen as late); the connection is also checked every
`PING_SECONDS`, and while it is lost nothing kept is used. SQLite has no NOTIFY: there is no signal.
"""

from __future__ import annotations

import logging
import threading
import time

import psycopg
from flask import Flask, current_app
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CHANNEL = "learning"
#: How long after a failure to listen again.
RETRY_SECONDS = 1.0
#: How often the listening connection is checked (a connection lost without a word tells nothing).
PING_SECONDS = 10.0
#: Learners counted per process at most (beyond that, all counts start again and kept states go).
LIMIT = 100_000


class LearningSignal:
    """One process's listening connection and its counts."""

    def __init__(self, conninfo: str):
        self._conninfo = conninfo
        self._lock = threading.Lock()
        self._connection: psycopg.Connection | None = None
        self._retry_at = self._pinged_at = 0.0
        #: changes whenever listening starts or stops: what was kept before is not used again
        self._epoch = 0
        self._content = 0
        self._learners: dict[int, int] = {}

    def tags(self, user_id: int) -> tuple[int, int, int] | None:
        """Return the counts a state of the learner's must be kept under, or None when not listening."""
        # Another thread reading (or connecting, which may take seconds when the database is
        # away): read the database instead of waiting for it.
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if not self._drain():
                return None
            return self._epoch, self._content, self._learners.get(user_id, 0)
        finally:
            self._lock.release()

    def close(self) -> None:
        """Stop listening (a test's app, or a process that ends)."""
        with self._lock:
            self._drop(retry=False)

    def _drain(self) -> bool:
        now = time.monotonic()
        if self._connection is None:
            if now < self._retry_at:
                return False
            try:
                self._listen()
            except Exception:
                log.exception("Could not listen for learning notifications")
                self._retry_at = now + RETRY_SECONDS
                return False
        try:
            if now - self._pinged_at > PING_SECONDS:
                self._connection.execute("SELECT 1")
                self._pinged_at = now
            self._read(self._connection.pgconn)
        except Exception:
            log.warning("The learning notifications connection failed", exc_info=True)
            self._drop(retry=True)
            return False
        return True

    def _read(self, pgconn) -> None:
        """Read what the server sent without waiting: its notifications, or its going away.

        A server that ends the connection sends an error, then closes: the first read takes the
        error without a word, the second finds the connection closed (and raises), so read twice.
        """
        for _ in range(2):
            pgconn.consume_input()
        while (note := pgconn.notifies()) is not None:
            self._note(note.extra.decode())

    def _listen(self) -> None:
        # TCP keepalives and a user timeout: a connection lost without a word fails within seconds
        connection = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=2,
                                     keepalives=1, keepalives_idle=5, keepalives_interval=2,
                                     keepalives_count=2, tcp_user_timeout=5000)  # fmt: skip
        # A notification that arrives while the connection runs a statement (the ping) is taken
        # by psycopg and handed to its handlers, not left for `_read`: count it there.
        connection.add_notify_handler(lambda note: self._note(note.payload))
        connection.execute(f"LISTEN {CHANNEL}")
        self._connection, self._pinged_at = connection, time.monotonic()
        self._restart()

    def _note(self, payload: str) -> None:
        if payload.startswith("u:"):
            user_id = int(payload[2:])
            if len(self._learners) >= LIMIT:
                self._restart()
            self._learners[user_id] = self._learners.get(user_id, 0) + 1
        else:
            self._content += 1

    def _restart(self) -> None:
        self._epoch += 1
        self._learners.clear()

    def _drop(self, retry: bool) -> None:
        connection, self._connection = self._connection, None
        self._restart()
        self._retry_at = time.monotonic() + (RETRY_SECONDS if retry else 0.0)
        if connection is not None:
            try:
                connection.close()
            except psycopg.Error:  # already gone
                log.debug("The learning notifications connection was already closed")


def for_app(app: Flask | None = None) -> LearningSignal | None:
    """Return the app's learning signal (None on SQLite, or with `LMS_LEARNING_SIGNAL` off)."""
    return (app or current_app).extensions.get("lms.learning_signal")


def init_app(app: Flask) -> None:
    """Listen for learning notifications on PostgreSQL unless `LMS_LEARNING_SIGNAL` is off.

    `LMS_LEARNING_SIGNAL` is "1" (listen where the app's database is), a PostgreSQL URL (listen
    there: LISTEN needs a session of its own, which a transaction pooler does not keep), or off.
    """
    setting = app.config["LMS_LEARNING_SIGNAL"]
    if setting in (False, None, "", "0", "false", "no"):
        return
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return
    if isinstance(setting, str) and "://" in setting:
        url = make_url(setting)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    app.extensions["lms.learning_signal"] = LearningSignal(conninfo)
