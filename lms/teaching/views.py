"""Instructors' quiz pages: every learner's attempts, item statistics, essay grading, regrading."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from lms.assessment.attempts import AttemptError
from lms.assessment.regrade import (
    REGRADE_OPTIONS,
    grade_by_hand,
    regrade_history,
    regrade_question,
)
from lms.assessment.review import review_items
from lms.assessment.stats import quiz_statistics
from lms.extensions import db
from lms.learn.lookup import activity_url, course_and_activity
from lms.models import Activity, QuizAttempt, User
from lms.permissions import require

bp = Blueprint("teaching", __name__)
QUIZ_URL = "/courses/<slug>/<module_key>/<activity_key>"


def _quiz(slug: str, module_key: str, activity_key: str) -> Activity:
    course, activity = course_and_activity(slug, module_key, activity_key, "quiz")
    if course is None:
        abort(404)
    require("course.teach", course)
    if activity is None:
        abort(404)
    return activity


def _back(activity: Activity, endpoint: str = "teaching.quiz_results", **values):
    return redirect(activity_url(activity, endpoint, **values))


@bp.get(f"{QUIZ_URL}/results")
@login_required
def quiz_results(slug: str, module_key: str, activity_key: str):
    """List every learner's attempts with scores, the question statistics and the regrade log."""
    activity = _quiz(slug, module_key, activity_key)
    rows = db.session.execute(
        select(QuizAttempt, User)
        .join(User, User.id == QuizAttempt.user_id)
        .where(QuizAttempt.activity_id == activity.id)
        .order_by(User.name, QuizAttempt.number)
        .options(defer(QuizAttempt.snapshot))  # the list shows scores, not questions
    ).all()
    return render_template(
        "teaching/quiz_results.html", activity=activity, course=activity.course, rows=rows,
        stats=quiz_statistics(activity), regrades=regrade_history(activity),
        options=REGRADE_OPTIONS, form=FlaskForm(),
    )  # fmt: skip


@bp.get(f"{QUIZ_URL}/results/<int:attempt_id>")
@login_required
def attempt_detail(slug: str, module_key: str, activity_key: str, attempt_id: int):
    """Show one attempt in full, with a form to grade each question by hand."""
    activity = _quiz(slug, module_key, activity_key)
    attempt = db.session.scalar(
        select(QuizAttempt)
        .options(selectinload(QuizAttempt.responses))
        .where(QuizAttempt.id == attempt_id, QuizAttempt.activity_id == activity.id)
    )
    if attempt is None:
        abort(404)
    learner = db.session.get(User, attempt.user_id)
    return render_template("teaching/attempt.html", activity=activity, course=activity.course, attempt=attempt,
                           learner=learner, items=review_items(attempt, True), show_answers=True,
                           form=FlaskForm())  # fmt: skip


@bp.post(f"{QUIZ_URL}/results/<int:attempt_id>/grade")
@login_required
def grade(slug: str, module_key: str, activity_key: str, attempt_id: int):
    """Grade one question of an attempt by hand, with a comment."""
    activity = _quiz(slug, module_key, activity_key)
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.activity_id != activity.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        percent = Decimal(request.form.get("percent", "").replace(",", "."))
        grade_by_hand(attempt, request.form.get("key", ""), percent, request.form.get("comment", ""),
                      current_user.id)  # fmt: skip
    except (InvalidOperation, AttemptError) as exc:
        flash(
            str(exc)
            if isinstance(exc, AttemptError)
            else _("A mark is a percentage from 0 to 100."),
            "error",
        )
    else:
        flash(_("Grade saved."), "success")
    return _back(activity, "teaching.attempt_detail", attempt_id=attempt_id)


@bp.post(f"{QUIZ_URL}/regrade")
@login_required
def regrade(slug: str, module_key: str, activity_key: str):
    """Regrade one question in every submitted attempt, with the chosen rule."""
    activity = _quiz(slug, module_key, activity_key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    option = request.form.get("option", "")
    if option == "none":
        flash(_("No regrade: the fixed question applies to new attempts only."), "info")
        return _back(activity)
    try:
        done = regrade_question(
            activity, request.form.get("key", ""), option, current_user.id
        )
    except AttemptError as exc:
        flash(str(exc), "error")
    else:
        flash(
            _("Regraded: %(n)d attempts changed.", n=done.attempts_changed), "success"
        )
    return _back(activity)
