"""The account page where people create and revoke their personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.api.forms import TokenForm
from lms.api.tokens import create_token, own_token, revoke_token, user_tokens
from lms.models.types import utcnow

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


def _page(form: TokenForm, secret: str | None = None, status: int = 200):
    html = render_template(
        "api/tokens.html",
        form=form,
        tokens=user_tokens(current_user.id),
        revoke_form=FlaskForm(),
        secret=secret,
        now=utcnow(),
    )
    # The secret is on this page only: never cache it.
    return html, status, {"Cache-Control": "no-store"}


@bp.get("/")
@login_required
def index():
    """List the user's API tokens, with the form to create one."""
    return _page(TokenForm())


@bp.post("/")
@login_required
def create():
    """Create a token and show its secret, once (it is never stored, nor put in the session)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    expires = utcnow() + timedelta(days=form.days.data) if form.days.data else None
    _token, secret = create_token(
        current_user, form.name.data, form.scope.data, expires
    )
    return _page(TokenForm(formdata=None), secret=secret, status=201)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the user's tokens; programs using it are refused from now on."""
    token = own_token(current_user.id, token_id)
    if token is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if revoke_token(token):
        flash(_("The token %(prefix)s… is revoked.", prefix=token.prefix), "success")
    return redirect(url_for("api_tokens.index"))


def init_app(app: Flask) -> None:
    """Register the token pages."""
    app.register_blueprint(bp)
