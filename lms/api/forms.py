"""The form that creates a personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.forms import Form


class TokenForm(Form):
    """Name a new token, choose its scope and, if wanted, when it expires."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    scope = SelectField(
        _l("Scope"),
        choices=[
            SelectChoice("read", _l("Read: only look at data")),
            SelectChoice(
                "write", _l("Write: also enroll, complete lessons and take quizzes")
            ),
        ],
    )
    days = IntegerField(
        _l("Expires after (days)"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
    )
