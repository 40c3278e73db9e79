"""The admin's form to revoke a certificate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from lms.forms import Form


class RevokeForm(Form):
    """Revoke a certificate, saying why."""

    reason = TextAreaField(
        _l("Reason for revoking"), validators=[DataRequired(), Length(max=500)]
    )
