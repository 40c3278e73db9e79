"""Sending queued xAPI statements to the Learning Record Store: retried with back-off, never twice.

A statement is marked sent only after the LRS answered 2xx (or 409: it already holds that id, so a
resend after a crash is harmless). A failure leaves the statement in the outbox with its error and a
`next_attempt_at` that doubles with each try, up to an hour; nothing is ever dropped. On PostgreSQL
the batch is claimed with SELECT ... FOR UPDATE SKIP LOCKED, so two workers never send the same row.
(SQLite has no row locks: run a single worker there.)
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from lms.extensions import db
from lms.models import XapiStatement
from lms.models.types import utcnow

XAPI_VERSION = "1.0.3"
#: First retry after this many seconds, then twice as long each time ...
BACKOFF_SECONDS = 30
#: ... but never longer than this.
MAX_BACKOFF_SECONDS = 3600
TIMEOUT_SECONDS = 10


class LrsError(Exception):
    """The LRS did not take a statement; the message says what happened."""


def backoff(attempts: int) -> timedelta:
    """Return how long to wait after the `attempts`-th failed try."""
    return timedelta(
        seconds=min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2 ** max(0, attempts - 1))
    )


def claim(now: datetime, limit: int) -> list[XapiStatement]:
    """Return due, unsent statements, locked for this worker on PostgreSQL."""
    query = (
        select(XapiStatement)
        .where(XapiStatement.sent_at.is_(None), XapiStatement.next_attempt_at <= now)
        .order_by(XapiStatement.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def post_statement(config, payload: dict) -> int:
    """POST one statement to `<endpoint>/statements`; return the HTTP status, raise LrsError."""
    url = config["LMS_XAPI_ENDPOINT"].rstrip("/") + "/statements"
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Experience-API-Version": XAPI_VERSION,
    }
    if config.get("LMS_XAPI_USERNAME"):
        pair = f"{config['LMS_XAPI_USERNAME']}:{config['LMS_XAPI_PASSWORD']}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        if exc.code == 409:  # the LRS already has a statement with this id
            return 409
        detail = exc.read(300).decode("utf-8", "replace")
        raise LrsError(f"HTTP {exc.code}: {detail}") from None
    except (OSError, ValueError) as exc:
        raise LrsError(f"{type(exc).__name__}: {exc}") from None


def send_pending(limit: int = 50, now: datetime | None = None) -> tuple[int, int]:
    """Send due statements; return (sent, failed). Stops at the first failure (the LRS is down)."""
    config = current_app.config
    if not config.get("LMS_XAPI_ENDPOINT"):
        return 0, 0
    now = now or utcnow()
    sent = failed = 0
    for statement in claim(now, limit):
        statement.attempts += 1
        try:
            status = post_statement(config, statement.payload)
        except LrsError as exc:
            statement.last_error = str(exc)[:500]
            statement.next_attempt_at = now + backoff(statement.attempts)
            failed += 1
            break
        statement.sent_at = utcnow()
        statement.last_error = "" if status != 409 else "409: already at the LRS"
        sent += 1
    db.session.commit()  # releases the row locks together with the new states
    return sent, failed


def run_forever(interval: float = 30.0, limit: int = 50) -> None:
    """Keep draining the outbox (the `send-xapi --loop` worker)."""
    while True:
        sent, failed = send_pending(limit)
        current_app.logger.info("xAPI: %d sent, %d failed", sent, failed)
        if sent < limit or failed:
            time.sleep(interval)
