"""Administrators' pages: the audit log; finding, unlocking, signing out and deactivating accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select

from lms.audit import record
from lms.auth import sessions
from lms.auth.accounts import unlock
from lms.extensions import db
from lms.models import AuditEvent, User
from lms.models.types import utcnow
from lms.permissions import require

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 100


@bp.get("/audit")
@login_required
def audit():
    """List audit events, newest first, filtered by action prefix and actor."""
    require("admin.view")
    page = max(request.args.get("page", 1, type=int), 1)
    action = request.args.get("action", "").strip()
    query = select(AuditEvent, User.name).outerjoin(
        User, User.id == AuditEvent.actor_id
    )
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE + 1)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return render_template("admin/audit.html", rows=rows[:PER_PAGE], page=page, more=len(rows) > PER_PAGE,
                           action=action)  # fmt: skip


@bp.get("/users")
@login_required
def users():
    """Find accounts by name, email or NIP; show which are locked."""
    require("admin.view")
    q = request.args.get("q", "").strip()
    query = select(User).order_by(User.name).limit(100)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(User.name).like(like),
                func.lower(User.email).like(like),
                User.nip == q,
            )
        )
    else:
        query = query.where(User.locked_until > utcnow())
    return render_template("admin/users.html", users=db.session.scalars(query).all(), q=q, now=utcnow(),
                           form=FlaskForm())  # fmt: skip


@bp.post("/users/<int:user_id>/unlock")
@login_required
def unlock_user(user_id: int):
    """Lift a sign-in lock."""
    require("admin.view")
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
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
