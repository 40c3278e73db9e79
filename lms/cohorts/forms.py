"""Forms of the cohort pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.forms import Form


class CohortForm(Form):
    """Create a cohort of a course."""

    course = SelectField(_l("Course"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date must not be before the start date."))


class AddMemberForm(Form):
    """Add one member by NIP or email, with an optional mentor."""

    person = StringField(
        _l("NIP or email"), validators=[DataRequired(), Length(max=254)]
    )
    mentor = StringField(
        _l("Mentor's NIP or email (optional)"), validators=[Optional(), Length(max=254)]
    )


class ImportMembersForm(Form):
    """Upload members as CSV: NIP, name, email, work unit."""

    file = FileField(_l("CSV file"), validators=[FileRequired()])


class StaffForm(Form):
    """Add a supervisor, facilitator or coach."""

    person = StringField(
        _l("NIP or email"), validators=[DataRequired(), Length(max=254)]
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("supervisor", _l("Supervisor")),
            SelectChoice("facilitator", _l("Facilitator")),
            SelectChoice("coach", _l("Coach")),
        ],
    )
