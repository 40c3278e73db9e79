"""Administrators' pages: the audit log, and finding and unlocking accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select

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
