"""Sending queued xAPI statements to the Learning Record Store, through the shared outbox loop.

A statement is marked sent only after the LRS answered 2xx (or 409: it already holds that id, so a
resend after a crash is harmless). A failure leaves it in the outbox with its error and a back-off
(`lms.jobs.outbox`); nothing is ever dropped, and a round stops at the first failure (the LRS is
down). `flask --app wsgi lms worker` sends them.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from datetime import datetime

from flask import current_app

from lms.jobs.outbox import Outbox, backoff, drain
from lms.models import XapiStatement

__all__ = ["OUTBOX", "LrsError", "backoff", "post_statement", "send_pending"]

XAPI_VERSION = "1.0.3"
TIMEOUT_SECONDS = 10


class LrsError(Exception):
    """The LRS did not take a statement; the message says what happened."""


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


def _deliver(statement: XapiStatement, context: dict) -> str:
    status = post_statement(current_app.config, statement.payload)
    return "409: already at the LRS" if status == 409 else ""


#: The xAPI outbox: retried for ever, a round stops when the LRS fails.
OUTBOX = Outbox(
    name="xapi",
    model=XapiStatement,
    deliver=_deliver,
    errors=(LrsError,),
    ready=lambda config: bool(config.get("LMS_XAPI_ENDPOINT")),
)


def send_pending(limit: int = 50, now: datetime | None = None) -> tuple[int, int]:
    """Send due statements; return (sent, failed). Stops at the first failure (the LRS is down)."""
    return drain(OUTBOX, limit, now)
