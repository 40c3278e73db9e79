"""A launch whose email or NIP belongs to an account here: its owner signs in to link it, or goes
on with a new, separate account (see `lms.lti.identities`)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from lms.auth.accounts import authenticate
from lms.auth.registration import send_confirmation
from lms.auth.views import SIGN_IN_FAILED
from lms.extensions import limiter
from lms.lti import identities
from lms.lti import launch as lti
from lms.lti.forms import LinkForm, SeparateAccountForm
from lms.lti.views import PENDING_LINK_KEY, refuse_launch, sign_in

bp = Blueprint("lti_link", __name__, url_prefix="/lti/link")


def _login_key() -> str:
    """Limit attempts per address and per account tried, as the sign-in page does."""
    return f"{get_remote_address()}|{request.form.get('login', '').strip().lower()}"


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"], key_func=_login_key)
@limiter.limit("30 per minute;300 per hour", methods=["POST"])
def link():
    """Sign in to the account the launch matched, to link the platform's user to it."""
    pending = identities.pending_launch(session.get(PENDING_LINK_KEY))
    if pending is None:
        return _expired()
    claims = pending.claims
    form = LinkForm(
        login=identities.launch_email(claims) or identities.launch_nip(claims)
    )
    if form.validate_on_submit():
        result = authenticate(form.login.data, form.password.data)
        user = result.user
        if result.problem == "unconfirmed":
            send_confirmation(user)
            flash(_("Confirm your email first: we have sent a new link to %(email)s.",
                    email=user.email), "info")  # fmt: skip
        elif user is None:
            flash(str(SIGN_IN_FAILED), "error")
        elif not identities.is_plain_learner(user):
            flash(_("An instructor's, supervisor's or administrator's account is linked to a "
                    "learning platform only by an administrator of Kelas ASN."), "error")  # fmt: skip
        else:
            try:
                identities.use_pending(pending)
                identities.link_identity(
                    pending.platform, str(claims["sub"]), user, "password", user.id
                )
                return sign_in(pending.platform, user, claims)
            except lti.LaunchError as exc:
                return refuse_launch(exc)
    return render_template("lti/link.html", form=form, platform=pending.platform,
                           separate=SeparateAccountForm())  # fmt: skip


@bp.post("/separate")
def separate():
    """Go on with a new account that takes neither the launch's email nor its NIP."""
    pending = identities.pending_launch(session.get(PENDING_LINK_KEY))
    if pending is None:
        return _expired()
    if not SeparateAccountForm().validate_on_submit():
        return redirect(url_for("lti_link.link"))
    try:
        identities.use_pending(pending)
        user = identities.separate_account(pending.platform, pending.claims)
        return sign_in(pending.platform, user, pending.claims)
    except lti.LaunchError as exc:
        return refuse_launch(exc)


def _expired():
    html = render_template("lti/link_expired.html")
    return html, 400
