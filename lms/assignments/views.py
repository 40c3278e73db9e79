"""Assignment pages: hand in, download a submitted file, and grade."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.assignments import service
from lms.extensions import db
from lms.files import open_stored
from lms.learn import progress
from lms.learn.lookup import activity_url, course_and_activity, pretest_redirect
from lms.models import Activity, AssignmentSubmission
from lms.permissions import require

bp = Blueprint("assignments", __name__)
URL = "/courses/<slug>/<module_key>/<activity_key>"


def _assignment(slug: str, module_key: str, activity_key: str) -> Activity:
    _course, activity = course_and_activity(
        slug, module_key, activity_key, "assignment"
    )
    if activity is None:
        abort(404)
    return activity


def _to(endpoint: str, activity: Activity, **values):
    return redirect(activity_url(activity, endpoint, **values))


@bp.post(f"{URL}/submission")
@login_required
def submit(slug: str, module_key: str, activity_key: str):
    """Hand in text and a file."""
    activity = _assignment(slug, module_key, activity_key)
    enrollment = progress.get_enrollment(current_user.id, activity.course_id)
    if (sent := pretest_redirect(activity.course, activity, enrollment)) is not None:
        return sent
    require("activity.submit", activity, enrollment)
    if not FlaskForm().validate_on_submit():
        abort(400)
    upload = request.files.get("file")
    data = None
    if upload and upload.filename:
        data = upload.read(activity.spec["max_size_mb"] * 1024 * 1024 + 1)
        upload.close()
    try:
        service.submit(
            current_user.id,
            activity,
            request.form.get("text", ""),
            data,
            upload.filename if upload else None,
        )
    except service.SubmissionError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Your work was handed in."), "success")
    return _to("learn.activity", activity)


def _submission(submission_id: int) -> AssignmentSubmission:
    submission = db.session.get(AssignmentSubmission, submission_id)
    if submission is None:
        abort(404)
    return submission


@bp.get("/submissions/<int:submission_id>/file")
@login_required
def download(submission_id: int):
    """Send a submitted file to its author or to someone who may grade it."""
    submission = _submission(submission_id)
    if submission.user_id != current_user.id and not service.may_grade(
        current_user, submission
    ):
        abort(403)
    if not submission.file_path:
        abort(404)
    data = io.BytesIO(open_stored(submission.file_path).read_bytes())
    response = send_file(data, mimetype=submission.file_type, as_attachment=True,
                         download_name=submission.file_name or "file")  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get(f"{URL}/submissions")
@login_required
def submissions(slug: str, module_key: str, activity_key: str):
    """List the submissions this user may grade (coach, facilitator, mentor, instructor)."""
    activity = _assignment(slug, module_key, activity_key)
    if not service.is_grader(current_user, activity):
        abort(403)
    rows = service.submissions_to_grade(current_user, activity)
    return render_template("assignments/submissions.html", activity=activity, course=activity.course, rows=rows,
                           form=FlaskForm())  # fmt: skip


@bp.post("/submissions/<int:submission_id>/grade")
@login_required
def grade(submission_id: int):
    """Grade a submission passed or to revise, with a comment."""
    submission = _submission(submission_id)
    if not service.may_grade(current_user, submission):
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    activity = db.session.get(Activity, submission.activity_id)
    try:
        service.grade(
            submission,
            request.form.get("outcome", ""),
            request.form.get("comment", ""),
            current_user.id,
        )
    except service.SubmissionError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Grade saved."), "success")
    return _to("assignments.submissions", activity)
