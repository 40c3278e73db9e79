"""Administrators' pages: the hub, the audit log; finding accounts, their roles, locks and sessions."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.admin import people
from lms.admin.outboxes import outbox_states
from lms.audit import record
from lms.auth import sessions
from lms.auth.accounts import AccountError, unlock
from lms.extensions import db
from lms.models import ROLE_NAMES, User
from lms.models.types import utcnow
from lms.permissions import require

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 100


@bp.get("/")
@login_required
def index():
    """Show the administration hub: accounts, work units, audit log, outboxes, settings."""
    require("admin.view")
    return render_template("admin/index.html", outboxes=outbox_states())


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/audit")
@login_required
def audit():
    """List audit events, newest first, filtered by action prefix, actor and dates."""
    require("admin.view")
    page = max(request.args.get("page", 1, type=int), 1)
    filters = {
        "action": request.args.get("action", "").strip(),
        "actor": request.args.get("actor", "").strip(),
        "since": _date_arg("since"),
        "until": _date_arg("until"),
    }
    query = people.audit_query(**filters)
    rows = db.session.execute(
        query.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template("admin/audit.html", rows=rows[:PER_PAGE], page=page, more=len(rows) > PER_PAGE,
                           filters=filters)  # fmt: skip


@bp.get("/users")
@login_required
def users():
    """Find accounts by name, email, NIP or work unit; show their roles and which are locked."""
    require("admin.view")
    q = request.args.get("q", "").strip()
    return render_template("admin/users.html", users=people.find_users(q), q=q, now=utcnow(),
                           form=FlaskForm(), roles=ROLE_NAMES)  # fmt: skip


@bp.post("/users/<int:user_id>/roles")
@login_required
def set_role(user_id: int):
    """Grant or revoke one role."""
    user = _changed_user(user_id)
    try:
        people.set_role(user, request.form.get("role", ""),
                        request.form.get("granted") == "1", current_user)  # fmt: skip
    except (AccountError, people.RoleError) as error:
        flash(str(error), "error")
    else:
        flash(_("Roles of %(name)s saved.", name=user.name), "success")
    return redirect(url_for("admin.users", q=user.email))


@bp.post("/users/<int:user_id>/password-reset")
@login_required
def send_reset(user_id: int):
    """Email the user a link to set a new password."""
    user = _changed_user(user_id)
    people.send_reset_link(user, current_user.id)
    flash(
        _("A link to set a new password was sent to %(email)s.", email=user.email),
        "success",
    )
    return redirect(url_for("admin.users", q=user.email))


@bp.post("/users/<int:user_id>/unlock")
@login_required
def unlock_user(user_id: int):
    """Lift a sign-in lock."""
    user = _changed_user(user_id)
    unlock(user, current_user.id)
    flash(_("%(name)s can sign in again.", name=user.name), "success")
    return redirect(url_for("admin.users", q=user.email))


@bp.post("/users/<int:user_id>/sessions/end")
@login_required
def end_sessions(user_id: int):
    """Sign the user out everywhere (a lost phone, a shared computer left signed in)."""
    user = _changed_user(user_id)
    ended = sessions.end_all(user.id)
    record("auth.sessions_ended", current_user.id, user, ended=ended)
    db.session.commit()
    flash(_("%(name)s is signed out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.users", q=user.email))


@bp.post("/users/<int:user_id>/active")
@login_required
def set_active(user_id: int):
    """Deactivate an account (signing it out everywhere) or reactivate it."""
    user = _changed_user(user_id)
    active = request.form.get("active") == "1"
    if user.id == current_user.id and not active:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users", q=user.email))
    user.active = active
    ended = 0 if active else sessions.end_all(user.id)
    record("user.activated" if active else "user.deactivated", current_user.id, user,
           ended_sessions=ended)  # fmt: skip
    db.session.commit()
    message = (
        _("%(name)s can sign in again.") if active else _("%(name)s is deactivated.")
    )
    flash(message % {"name": user.name}, "success")
    return redirect(url_for("admin.users", q=user.email))


def _changed_user(user_id: int) -> User:
    """Return the user an admin's POST changes (after the permission and CSRF checks)."""
    require("admin.view")
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user
