"""The learner's form to record external training."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from lms.forms import Form
from lms.ledger.records import MAX_EXTERNAL_JP, local_today

#: Forms of competency development a learner can record, as stored and as shown.
KINDS = {
    "pelatihan": _l("Training"),
    "bimtek": _l("Technical guidance (bimtek)"),
    "seminar": _l("Seminar or conference"),
    "workshop": _l("Workshop"),
    "kursus": _l("Course"),
    "e-learning": _l("E-learning"),
    "coaching": _l("Coaching or mentoring"),
    "lainnya": _l("Other"),
}


class ExternalTrainingForm(Form):
    """Record training taken elsewhere, with its JP and a proof."""

    kind = SelectField(
        _l("Type"), choices=[SelectChoice(key, label) for key, label in KINDS.items()]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    provider = StringField(_l("Provider"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Start date"), validators=[InputRequired()])
    ends_on = DateField(_l("End date"), validators=[InputRequired()])
    hours = DecimalField(_l("JP"), places=2, validators=[InputRequired()])
    proof = FileField(
        _l("Proof (certificate or letter: PDF, JPEG or PNG)"),
        validators=[FileRequired()],
    )

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
        if field.data and field.data > local_today():
            raise ValidationError(_l("Record training once it has ended."))

    def validate_hours(self, field) -> None:
        hours = field.data
        if hours is None or not hours.is_finite() or not 0 < hours <= MAX_EXTERNAL_JP:
            raise ValidationError(
                _l("Enter more than 0 and at most %(max)s JP.", max=MAX_EXTERNAL_JP)
            )


class RejectForm(Form):
    """Reject external training, saying why (the learner reads it)."""

    reason = TextAreaField(
        _l("Reason (the learner sees it)"),
        validators=[DataRequired(), Length(max=500)],
    )
