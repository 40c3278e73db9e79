"""The outboxes' state for admins (mail, xAPI statements, LTI scores), and retrying what failed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import and_, func, select, update

from lms.audit import record
from lms.extensions import db
from lms.forms import Form
from lms.mail import MAX_ATTEMPTS
from lms.models import LtiScore, OutgoingEmail, XapiStatement
from lms.models.types import utcnow
from lms.permissions import require

bp = Blueprint("admin_outboxes", __name__, url_prefix="/admin/outboxes")

#: name → (label, model). Mail gives up after MAX_ATTEMPTS; the others retry with a back-off.
OUTBOXES = {
    "mail": (_l("Email"), OutgoingEmail),
    "xapi": (_l("xAPI statements"), XapiStatement),
    "lti_scores": (_l("LTI scores"), LtiScore),
}


@dataclass
class OutboxState:
    """How many items of one outbox wait, have failed at least once, or were sent."""

    name: str
    label: str
    queued: int
    failed: int
    sent: int


def _failed(model):
    """Return the condition of unsent items that failed (mail: given up)."""
    if model is OutgoingEmail:
        return and_(model.sent_at.is_(None), model.attempts >= MAX_ATTEMPTS)
    return and_(model.sent_at.is_(None), model.attempts > 0)


def outbox_states() -> list[OutboxState]:
    """Count each outbox's queued, failed and sent items (one query per outbox)."""
    states = []
    for name, (label, model) in OUTBOXES.items():
        queued, failed, sent = db.session.execute(
            select(
                func.count().filter(model.sent_at.is_(None)),
                func.count().filter(_failed(model)),
                func.count().filter(model.sent_at.is_not(None)),
            ).select_from(model)
        ).one()
        states.append(OutboxState(name, str(label), queued, failed, sent))
    return states


def retry_failed(name: str, actor_id: int) -> int:
    """Make an outbox's failed items due again now; return how many (audited, committed)."""
    model = OUTBOXES[name][1]
    values = (
        {"attempts": 0} if model is OutgoingEmail else {"next_attempt_at": utcnow()}
    )
    result = db.session.execute(update(model).where(_failed(model)).values(**values))
    record("outbox.retry", actor_id, None, outbox=name, items=result.rowcount)
    db.session.commit()
    return result.rowcount


@bp.get("/")
@login_required
def index():
    """Show each outbox's counts, with a retry button for failed items."""
    require("admin.view")
    return render_template("admin/outboxes.html", states=outbox_states(), form=Form())


@bp.post("/<name>/retry")
@login_required
def retry(name: str):
    """Send an outbox's failed items again at the next run of its worker."""
    require("admin.view")
    if name not in OUTBOXES:
        abort(404)
    if not Form().validate_on_submit():
        abort(400)
    count = retry_failed(name, current_user.id)
    flash(_("%(n)d items will be tried again.", n=count), "success")
    return redirect(url_for("admin_outboxes.index"))
