"""Sign-in and registration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    ValidationError,
)

from lms.auth.nip import nip_problems
from lms.auth.passwords import password_problem
from lms.forms import Form


class LoginForm(Form):
    """Sign in with email (or NIP) and password."""

    login = StringField(
        _l("Email or NIP"), validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()


class RegisterForm(Form):
    """Create a learner account."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    nip = StringField(_l("NIP (18 digits)"), validators=[DataRequired()])
    work_unit = SelectField(
        _l("Work unit (OPD)"), coerce=int, validators=[DataRequired()]
    )
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )

    def validate_nip(self, field) -> None:
        field.data = (field.data or "").replace(" ", "").strip()
        problems = nip_problems(field.data)
        if problems:
            raise ValidationError(" ".join(problems))

    def validate_password(self, field) -> None:
        problem = password_problem(
            field.data or "", self.email.data, self.name.data, self.nip.data
        )
        if problem:
            raise ValidationError(problem)


class LogoutForm(Form):
    """Sign out (a POST with a CSRF token)."""


class SetPasswordForm(Form):
    """Choose a password (first login, or after a reset)."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class ForgotPasswordForm(Form):
    """Ask for a link to set a new password."""

    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False)]
    )


class ChangePasswordForm(SetPasswordForm):
    """Change the password, proving the current one."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class ConfirmForm(Form):
    """A button that changes something (a POST with a CSRF token)."""
