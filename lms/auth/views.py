"""Sign-in, registration and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lms.api.auth import bearer_token_user
from lms.auth import sessions
from lms.auth.accounts import authenticate
from lms.auth.forms import (
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    RegisterForm,
    SetPasswordForm,
)
from lms.auth.passwords import password_problem
from lms.auth.registration import register_learner, send_confirmation
from lms.auth.tokens import confirm_email as confirm_email_token
from lms.auth.tokens import issue_password_token, token_user, use_password_token
from lms.extensions import db, limiter, login_manager
from lms.mail import absolute_url, queue_email, send_in_background
from lms.mail_format import recipient_language
from lms.models import User, WorkUnit

bp = Blueprint("auth", __name__)


def is_safe_next(target: str | None) -> bool:
    """Tell whether `target` is a path on this site (no scheme, no host, no backslash tricks)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _login_key() -> str:
    """Limit sign-in attempts per address and per account tried."""
    return f"{get_remote_address()}|{request.form.get('login', '').strip().lower()}"


def _form_key(name: str):
    """Count per value of a form field (an email, a NIP), or per address when it is empty."""

    def key() -> str:
        value = request.form.get(name, "").strip().lower()
        return f"{name}|{value}" if value else get_remote_address()

    return key


#: Said for an unknown login, a wrong password and a paused account alike.
SIGN_IN_FAILED = _l(
    "Sign-in failed: the email/NIP or password is wrong. After many failed attempts, sign-in "
    "pauses for a while; “Forgot your password?” sends a link that lets you in at once."
)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"], key_func=_login_key)
@limiter.limit("30 per minute;300 per hour", methods=["POST"])
def login():
    """Sign in and go where the user was going."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = authenticate(form.login.data, form.password.data)
        if result.problem == "unconfirmed":  # only said to whoever knows the password
            send_confirmation(result.user)
            flash(_("Confirm your email first: we have sent a new link to %(email)s.",
                    email=result.user.email), "info")  # fmt: skip
        elif result.user is None:
            flash(str(SIGN_IN_FAILED), "error")
        else:
            sessions.sign_in(result.user)
            target = form.next.data
            return redirect(
                target if is_safe_next(target) else url_for("learn.my_courses")
            )
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
# a whole office signs up behind one address; a script is stopped per email and per NIP
@limiter.limit("60 per hour", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_form_key("email"))
@limiter.limit("3 per hour", methods=["POST"], key_func=_form_key("nip"))
def register():
    """Register a learner; whatever happens the page says "check your email" (no one learns who exists)."""
    form = RegisterForm()
    units = db.session.scalars(
        select(WorkUnit).where(WorkUnit.retired_at.is_(None)).order_by(WorkUnit.name)
    )
    form.work_unit.choices = [SelectChoice(0, _("Choose your work unit"))] + [
        SelectChoice(u.id, u.name) for u in units
    ]
    if form.validate_on_submit():
        unit = db.session.get(WorkUnit, form.work_unit.data)
        if unit is None or unit.retired_at is not None:
            form.work_unit.errors.append(_("Choose your work unit."))
        else:
            register_learner(form.email.data, form.name.data, form.password.data,
                             form.nip.data, unit, form.position.data)  # fmt: skip
            send_in_background(current_app._get_current_object())
            flash(_("Check your email: we have sent a message to %(email)s to finish your "
                    "registration.", email=form.email.data.strip().lower()), "info")  # fmt: skip
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Confirm a new account's email with the emailed link (a button: mail scanners only GET)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        user = confirm_email_token(token)
        if user is not None and user.active:
            sessions.sign_in(user)
            flash(
                _("Welcome, %(name)s! Your account is ready.", name=user.name),
                "success",
            )
            return redirect(url_for("learn.catalog"))
        flash(
            _("This link is not valid any more. Sign in, or register again."), "error"
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/confirm_email.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("20 per minute;100 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_form_key("email"))
def forgot_password():
    """Send a single-use link to set a new password; say the same whether the account exists or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(User).where(User.email == form.email.data.strip().lower())
        )
        if user is not None and user.active:
            token = issue_password_token(user, "reset", commit=False)
            link = absolute_url("auth.set_password", token=token)
            with recipient_language(user.locale):
                queue_email(user.email, _("Reset your Kelas ASN password"),
                            _("Dear %(name)s,\n\nset a new password here (the link works once, for 2 hours): %(link)s\n\n"
                              "If you did not ask for this, ignore this message.\n", name=user.name, link=link))  # fmt: skip
            db.session.commit()
            send_in_background(current_app._get_current_object())
        flash(
            _(
                "If an account has that email, a link to set a new password is on its way."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/set/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Set a password with a single-use link (first login of an imported account, or a reset)."""
    user = token_user(token)
    if user is None:
        flash(
            _(
                "This link is not valid any more. Ask your organiser or use password reset."
            ),
            "error",
        )
        return redirect(url_for("auth.login"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(
            form.password.data, user.email, user.name, user.nip or ""
        )
        if problem:
            form.password.errors.append(problem)
        elif use_password_token(token, form.password.data) is not None:
            sessions.sign_in(user)
            flash(
                _("Your password is set. Welcome, %(name)s!", name=user.name), "success"
            )
            return redirect(url_for("learn.my_courses"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.post("/logout")
@login_required
def logout():
    """Sign out."""
    if LogoutForm().validate_on_submit():
        sessions.sign_out()
    response = redirect(url_for("learn.catalog"))
    # A shared device keeps nothing of the learner: saved courses, queued progress, cached pages.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/language")
def set_language():
    """Switch the interface language (and remember it on the account)."""
    from lms.i18n import choose_language

    choose_language(request.form.get("locale", ""))
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("learn.catalog"))


def init_app(app: Flask) -> None:
    """Configure Flask-Login: a session names a user only while it is live on the server."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(sessions.signed_in_user)
    login_manager.request_loader(bearer_token_user)
    sessions.init_app(app)
