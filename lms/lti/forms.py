"""Forms of a launch whose email or NIP belongs to an account here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from lms.forms import Form


class LinkForm(Form):
    """Prove the account is yours: sign in to it with its password."""

    login = StringField(
        _l("Email or NIP"), validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class SeparateAccountForm(Form):
    """Go on with a new, separate account (a POST with a CSRF token)."""
