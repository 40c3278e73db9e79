"""The signed-in user's account: their details, a new password, and where they are signed in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.audit import record
from lms.auth import sessions
from lms.auth.forms import ChangePasswordForm, ConfirmForm
from lms.auth.passwords import password_problem
from lms.extensions import db, limiter

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(form: ChangePasswordForm, status: int = 200):
    return render_template("auth/account.html", form=form, confirm=ConfirmForm(),
                           sessions=sessions.live_sessions(current_user.id),
                           current=sessions.current_key_hash()), status  # fmt: skip


@bp.get("/")
@login_required
def index():
    """Show the account, the password form and the sessions signed in."""
    return _page(ChangePasswordForm())


@bp.post("/password")
@login_required
@limiter.limit("10 per hour")
def change_password():
    """Set a new password; every other session ends, this one starts afresh."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if not form.validate_on_submit():
        return _page(form, 400)
    if not user.check_password(form.current.data):
        form.current.errors.append(_("The current password is wrong."))
        return _page(form, 400)
    problem = password_problem(
        form.password.data, user.email, user.name, user.nip or ""
    )
    if problem:
        form.password.errors.append(problem)
        return _page(form, 400)
    user.set_password(form.password.data)
    ended = sessions.end_all(user.id)
    record("auth.password_changed", user.id, user, ended_sessions=ended)
    db.session.commit()
    sessions.sign_in(user)
    flash(
        _("Your password is changed. You were signed out everywhere else."), "success"
    )
    return redirect(url_for("account.index"))


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    """Sign out of every other browser and device."""
    if ConfirmForm().validate_on_submit():
        ended = sessions.end_all(current_user.id, keep_current=True)
        record("auth.sessions_ended", current_user.id, current_user, ended=ended)
        db.session.commit()
        flash(_("You were signed out everywhere else."), "success")
    return redirect(url_for("account.index"))
