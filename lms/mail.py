"""Email through an outbox: queued in the database with the change that causes it, sent by a worker.

A slow or absent mail server never blocks a page. Without `LMS_SMTP_HOST` mail is written to the
log instead (development). The worker (`flask --app wsgi lms worker`) sends it through the shared
outbox loop (`lms.jobs.outbox`); `lms send-mail` drains it once. Only with `LMS_MAIL_BACKGROUND`
on (off by default) does a web process also send, in a background thread.
"""

from __future__ import annotations

import smtplib
import threading
from datetime import datetime
from email.message import EmailMessage

from flask import Flask, current_app, has_request_context, request, url_for
from sqlalchemy import insert

from lms.extensions import db
from lms.jobs.outbox import Outbox, drain
from lms.models import OutgoingEmail

#: Give up on a message after this many failed tries (it stays in the outbox with its error).
MAX_ATTEMPTS = 5
_drain_lock = threading.Lock()


def queue_email(to: str, subject: str, body: str) -> OutgoingEmail:
    """Put a message, with its HTML part, in the outbox (committed by the caller's transaction).

    Compose it in the recipient's language (`lms.mail_format.recipient_language`).
    """
    message = OutgoingEmail(to=to, subject=subject, body=body,
                            body_html=_html(body, subject), attempts=0, last_error="")  # fmt: skip
    db.session.add(message)
    return message


def queue_emails(messages: list[tuple[str, str, str]]) -> None:
    """Put many (to, subject, body) messages in the outbox in one statement (not committed)."""
    if messages:
        db.session.execute(
            insert(OutgoingEmail),
            [{"to": to, "subject": subject, "body": body, "body_html": _html(body, subject),
              "attempts": 0, "last_error": ""} for to, subject, body in messages],
        )  # fmt: skip


def _html(body: str, subject: str) -> str:
    from flask_babel import get_locale

    from lms.mail_format import html_from_text

    return html_from_text(body, subject, str(get_locale() or "id"))


#: Where email links point when neither `LMS_BASE_URL` nor a request says (`make run`'s address).
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def absolute_url(endpoint: str, **values) -> str:
    """Return a link for an email: under `LMS_BASE_URL`, else the address the request came in on.

    Outside a request (a command) without `LMS_BASE_URL`, under `DEVELOPMENT_BASE_URL`, with a
    warning in the log.
    """
    base = current_app.config.get("LMS_BASE_URL")
    if not base and has_request_context():
        base = request.host_url
    if not base:
        current_app.logger.warning("LMS_BASE_URL is not set: email links point to %s",
                                   DEVELOPMENT_BASE_URL)  # fmt: skip
        base = DEVELOPMENT_BASE_URL
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base.rstrip("/") + path


def send_pending(limit: int = 100, now: datetime | None = None) -> tuple[int, int]:
    """Send due messages; return (sent, failed). Each is marked sent only after the server took it."""
    return drain(OUTBOX, limit, now)


def message_id(message: OutgoingEmail) -> str:
    """Return the message's stable Message-ID: a resend after a crash is recognisably the same."""
    domain = current_app.config["LMS_MAIL_SENDER"].rpartition("@")[2].strip("> ")
    stamp = int(message.created_at.timestamp()) if message.created_at else 0
    return f"<kelas-asn.{message.id}.{stamp}@{domain or 'localhost'}>"


def _deliver(config, message: OutgoingEmail) -> None:
    host = config.get("LMS_SMTP_HOST")
    if not host:
        current_app.logger.info(
            "mail to %s: %s\n%s", message.to, message.subject, message.body
        )
        return
    email = EmailMessage()
    email["From"] = config["LMS_MAIL_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = message_id(message)
    email.set_content(message.body)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    with smtplib.SMTP(host, config["LMS_SMTP_PORT"], timeout=10) as smtp:
        if config.get("LMS_SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("LMS_SMTP_USER"):
            smtp.login(config["LMS_SMTP_USER"], config["LMS_SMTP_PASSWORD"])
        smtp.send_message(email)


#: The mail outbox: a message is given up after MAX_ATTEMPTS tries (it stays with its error).
OUTBOX = Outbox(
    name="mail",
    model=OutgoingEmail,
    deliver=lambda message, context: _deliver(current_app.config, message) or "",
    errors=(OSError, smtplib.SMTPException),
    max_attempts=MAX_ATTEMPTS,
)


def send_in_background(app: Flask) -> None:
    """Drain the outbox in a background thread, if the app is configured to."""
    if not app.config.get("LMS_MAIL_BACKGROUND"):
        return

    def drain():
        if not _drain_lock.acquire(blocking=False):
            return
        try:
            with app.app_context():
                send_pending()
        finally:
            _drain_lock.release()

    threading.Thread(target=drain, daemon=True).start()
