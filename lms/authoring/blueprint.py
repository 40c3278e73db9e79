"""The authoring blueprint and what its views share: loading a course, module or activity
the current user may edit (404 when missing, 403 when not theirs)."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from lms.authoring.courses import AuthoringError
from lms.extensions import db
from lms.learn.lookup import find_course
from lms.models import Activity, Course, Module
from lms.models.authoring import IMPORTED_NOTE
from lms.permissions import require

bp = Blueprint("authoring", __name__)


@bp.app_template_filter("revision_note")
def revision_note(summary: str) -> str:
    """Return a revision's note, translating the one imports write."""
    return _("Imported from the course files") if summary == IMPORTED_NOTE else summary


COURSE = "/author/<slug>"
ACTIVITY = "/author/<slug>/activities/<int:activity_id>"


def course_or_404(slug: str) -> Course:
    """Return the course by slug, if the current user may edit it."""
    course = find_course(slug)
    if course is None:
        abort(404)
    require("course.edit", course)
    return course


def module_or_404(slug: str, key: str) -> Module:
    """Return a module of a course the current user may edit."""
    course = course_or_404(slug)
    module = db.session.scalar(
        select(Module).where(Module.course_id == course.id, Module.key == key)
    )
    if module is None:
        abort(404)
    return module


def activity_or_404(slug: str, activity_id: int) -> Activity:
    """Return an activity of a course the current user may edit."""
    course = course_or_404(slug)
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.course_id != course.id:
        abort(404)
    set_committed_value(activity, "course", course)  # no load, no change
    return activity


def move_step() -> int:
    """Return -1 or +1 from a posted up/down button (400 without a valid form)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    return -1 if request.form.get("direction") == "up" else 1


def refusal(error: AuthoringError) -> str:
    """Say why a key or type was refused."""
    return {
        "slug": _("Use lower-case letters, digits and hyphens only."),
        "taken": _("That key is already used in this course."),
        "type": _("Activities of this type cannot be started in the browser yet."),
    }[str(error)]
