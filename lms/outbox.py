"""The outbox as people read it: queued and sent messages, for `lms outbox` and /admin/mail."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutgoingEmail
from lms.permissions import require

bp = Blueprint("mail_admin", __name__, url_prefix="/admin/mail")
#: Messages listed on a page of /admin/mail.
PER_PAGE = 50
#: The states a message can be in, as the filter names them.
STATES = ("queued", "sent", "failed")


def messages(
    state: str | None = None, limit: int = PER_PAGE, offset: int = 0
) -> list[OutgoingEmail]:
    """Return the outbox's messages, newest first: all, or only those queued, sent or failed."""
    query = select(OutgoingEmail).order_by(OutgoingEmail.id.desc())
    if state == "queued":
        query = query.where(
            OutgoingEmail.sent_at.is_(None), OutgoingEmail.last_error == ""
        )
    elif state == "sent":
        query = query.where(OutgoingEmail.sent_at.is_not(None))
    elif state == "failed":
        query = query.where(
            OutgoingEmail.sent_at.is_(None), OutgoingEmail.last_error != ""
        )
    return list(db.session.scalars(query.limit(limit).offset(offset)))


def state_of(message: OutgoingEmail) -> str:
    """Return whether a message is queued, sent or failed (still queued, with an error)."""
    if message.sent_at is not None:
        return "sent"
    return "failed" if message.last_error else "queued"


@bp.get("/")
@login_required
def index():
    """List the outbox's messages with their bodies (admins; where demo mail can be read)."""
    require("admin.view")
    state = request.args.get("state") if request.args.get("state") in STATES else None
    page = max(request.args.get("page", 1, type=int), 1)
    rows = messages(state, PER_PAGE + 1, (page - 1) * PER_PAGE)
    return render_template("admin/mail.html", rows=rows[:PER_PAGE], more=len(rows) > PER_PAGE,
                           page=page, state=state, states=STATES, state_of=state_of)  # fmt: skip
