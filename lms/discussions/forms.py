"""Forms of the discussion pages (CSRF on each, through Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from lms.discussions.writing import MAX_BODY_CHARS


class PostForm(FlaskForm):
    """An answer or a comment, in Markdown."""

    body = TextAreaField(_l("Your post (Markdown; mention a member as @Full_Name)"),
                         validators=[DataRequired(), Length(max=MAX_BODY_CHARS)])  # fmt: skip
    attachment = FileField(
        _l("Attach a file (optional: PDF, image or Office document)")
    )


class AskForm(FlaskForm):
    """A new question on a lesson or quiz."""

    title = StringField(_l("Question"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Details (Markdown)"),
                         validators=[DataRequired(), Length(max=MAX_BODY_CHARS)])  # fmt: skip
    attachment = FileField(
        _l("Attach a file (optional: PDF, image or Office document)")
    )


class TopicForm(FlaskForm):
    """A new topic of a cohort's forum, for everyone or about one learner's work."""

    title = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Opening post (Markdown)"),
                         validators=[DataRequired(), Length(max=MAX_BODY_CHARS)])  # fmt: skip
    learner = SelectField(_l("Who sees it"), coerce=int, validators=[Optional()])


class ReportForm(FlaskForm):
    """A member's report of a post."""

    reason = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=500)])


class MoveForm(FlaskForm):
    """Where a moderator moves a question."""

    activity = SelectField(_l("Move to"), coerce=int)


class EmailModeForm(FlaskForm):
    """How a member hears of discussions by email."""

    mode = RadioField(
        _l("Emails about discussions"),
        choices=[SelectChoice("immediate", _l("Each new post at once")),
                 SelectChoice("digest", _l("One summary a day")),
                 SelectChoice("off", _l("No emails"))],
    )  # fmt: skip


class CourseDiscussionForm(FlaskForm):
    """The course's discussion setting."""

    by_cohort = BooleanField(
        _l("Learners in a cohort see only their cohort's questions")
    )
