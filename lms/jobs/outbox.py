"""The one delivery loop of the three outboxes (mail, xAPI statements, LTI scores).

A row is claimed alone, with `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, and its lock is
held while it is delivered; the row is marked sent and committed at once. So several workers never
take the same row; a worker that dies loses nothing (its transaction rolls back and the row is
due again), and the only row it can have delivered without recording it is the one in flight,
which carries a stable id (Message-ID, statement id) for the receiver to recognise. A failure
leaves the row with its error and a back-off that doubles with each try, up to an hour.
SQLite has no row locks: run one worker there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from lms.extensions import db
from lms.models.types import utcnow

#: First retry after this many seconds, then twice as long each time ...
BACKOFF_SECONDS = 30
#: ... but never longer than this.
MAX_BACKOFF_SECONDS = 3600


def backoff(attempts: int) -> timedelta:
    """Return how long to wait after the `attempts`-th failed try."""
    return timedelta(
        seconds=min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2 ** max(0, attempts - 1))
    )


@dataclass(frozen=True)
class Outbox:
    """One outbox table and how to deliver its rows."""

    #: A short name for logs ("mail", "xapi", "lti-scores").
    name: str
    #: The model: it has sent_at, attempts, next_attempt_at and last_error.
    model: Any
    #: deliver(row, context) -> note; `context` is a dict shared by one drain (tokens, ...).
    deliver: Callable[[Any, dict], str]
    #: The exceptions that mean "not delivered, try again later".
    errors: tuple[type[Exception], ...]
    #: Whether the app is configured to deliver at all (else rows wait).
    ready: Callable[[dict], bool] = field(default=lambda config: True)
    #: Give up after this many tries (the row stays with its error); None: never.
    max_attempts: int | None = None
    #: Stop the drain at the first failure (the receiver is down) rather than go on.
    stop_on_failure: bool = True


def claim_one(outbox: Outbox, now: datetime):
    """Return the oldest due row, locked for this worker on PostgreSQL (None when none is due)."""
    model = outbox.model
    query = (
        select(model)
        .where(model.sent_at.is_(None), model.next_attempt_at <= now)
        .order_by(model.id)
        .limit(1)
    )
    if outbox.max_attempts is not None:
        query = query.where(model.attempts < outbox.max_attempts)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=model)
    return db.session.scalars(query).first()


def drain(
    outbox: Outbox,
    limit: int = 100,
    now: datetime | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> tuple[int, int]:
    """Deliver up to `limit` due rows, each committed as it goes, until `stopping()`; return (sent, failed)."""
    if not outbox.ready(current_app.config):
        return 0, 0
    now = now or utcnow()
    context: dict = {}
    sent = failed = 0
    try:
        for _ in range(limit):
            if stopping():
                break
            row = claim_one(outbox, now)
            if row is None:
                break
            row.attempts += 1
            try:
                note = outbox.deliver(row, context)
            except outbox.errors as exc:
                row.last_error = str(exc)[:500]
                row.next_attempt_at = now + backoff(row.attempts)
                db.session.commit()
                failed += 1
                if outbox.stop_on_failure:
                    break
                continue
            row.sent_at = utcnow()
            row.last_error = note
            db.session.commit()  # releases the row's lock with its new state
            sent += 1
    finally:
        db.session.rollback()
    return sent, failed
