"""Authoring forms: course settings, modules, new activities, the activity editor, images."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from lms.content.limits import LimitError
from lms.content.markdown_check import check_markdown
from lms.forms import Form

KEY_RULE = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message=_l("Use lower-case letters, digits and hyphens only."),
)


def markdown_within_limits(form, field) -> None:
    """Refuse Markdown past a limit of `lms.content.limits`, naming the limit and the line."""
    try:
        check_markdown(field.data or "")
    except LimitError as error:
        where = _("Line %(n)d:", n=error.line) + " " if error.line else ""
        raise ValidationError(f"{where}{error.message}") from None


class CourseForm(Form):
    """A course's details, written to its course.md."""

    slug = StringField(
        _l("Address (slug)"), validators=[DataRequired(), Length(max=100), KEY_RULE]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired()])
    jp = IntegerField(
        _l("Learning hours (JP)"), validators=[DataRequired(), NumberRange(min=0)]
    )
    audience = StringField(_l("Audience"), validators=[Optional(), Length(max=300)])
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
    )
    category = StringField(_l("Category"), validators=[Optional(), Length(max=100)])
    cohort = BooleanField(_l("Run in cohorts (angkatan)"))
    objectives = TextAreaField(_l("Objectives (one per line)"))
    description = TextAreaField(
        _l("Description (Markdown)"), validators=[markdown_within_limits]
    )

    def details(self) -> dict:
        """Return the form's data as course details."""
        return {
            "title": self.title.data,
            "summary": self.summary.data,
            "jp": self.jp.data,
            "audience": self.audience.data,
            "language": self.language.data,
            "category": self.category.data,
            "cohort": self.cohort.data,
            "objectives": (self.objectives.data or "").splitlines(),
            "description": self.description.data or "",
        }


class ModuleForm(Form):
    """A module's details, written to its module.md."""

    key = StringField(
        _l("Key (in addresses)"), validators=[DataRequired(), Length(max=100), KEY_RULE]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = StringField(_l("Summary"), validators=[Optional()])
    intro = TextAreaField(
        _l("Introduction (Markdown)"), validators=[markdown_within_limits]
    )

    def details(self) -> dict:
        """Return the form's data as module details."""
        return {
            "title": self.title.data,
            "summary": self.summary.data,
            "intro": self.intro.data or "",
        }


class NewActivityForm(Form):
    """Start a new activity in a module."""

    type = SelectField(_l("Type"))
    key = StringField(
        _l("Key (in addresses)"), validators=[DataRequired(), Length(max=100), KEY_RULE]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])


class ActivityForm(Form):
    """The activity editor: its whole file, front matter and body."""

    source = TextAreaField(_l("Content"), validators=[DataRequired()])
    version = HiddenField()
    summary = StringField(
        _l("What changed (optional)"), validators=[Optional(), Length(max=300)]
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save draft"))


class ImageForm(Form):
    """Upload an image for the course."""

    image = FileField(_l("Image (PNG, JPEG, GIF or WebP)"), validators=[FileRequired()])


class QuizImportForm(Form):
    """Make a new quiz from a Moodle XML question file."""

    file = FileField(_l("Moodle XML question file"), validators=[FileRequired()])
    key = StringField(
        _l("Key (in addresses)"), validators=[DataRequired(), Length(max=100), KEY_RULE]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
