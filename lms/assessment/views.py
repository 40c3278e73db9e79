"""Learners' quiz pages: start or resume an attempt, save answers, submit, review."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, select

from lms.assessment import attempts as engine
from lms.assessment.review import review_items
from lms.extensions import db
from lms.learn import progress
from lms.learn.lookup import activity_url, course_activity_enrollment, pretest_redirect
from lms.models import Activity, Course, QuizAttempt
from lms.models.quiz import IN_PROGRESS
from lms.models.types import utcnow
from lms.permissions import can, require

bp = Blueprint("assessment", __name__)

QUIZ_URL = "/courses/<slug>/<module_key>/<activity_key>"


def _quiz(slug: str, module_key: str, activity_key: str) -> tuple[Course, Activity]:
    """Return the course and its quiz; a learner who owes the pretest is sent to it."""
    course, activity, enrollment = course_activity_enrollment(
        slug, module_key, activity_key, current_user.id
    )
    if course is None:
        abort(404)
    require("course.view", course)
    if activity is None or activity.type != "quiz":
        abort(404)
    if (sent := pretest_redirect(course, activity, enrollment)) is not None:
        abort(sent)
    return course, activity


_ATTEMPT = select(QuizAttempt).where(
    QuizAttempt.activity_id == bindparam("activity_id"),
    QuizAttempt.user_id == bindparam("user_id"),
    QuizAttempt.number == bindparam("number"),
)


def _attempt(activity: Activity, number: int) -> QuizAttempt:
    attempt = db.session.scalar(
        _ATTEMPT,
        {"activity_id": activity.id, "user_id": current_user.id, "number": number},
    )
    if attempt is None:
        abort(404)
    return attempt


@bp.post(f"{QUIZ_URL}/attempts")
@login_required
def start(slug: str, module_key: str, activity_key: str):
    """Start a new attempt, or go back to the open one."""
    activity = _quiz(slug, module_key, activity_key)[1]
    require(
        "activity.submit",
        activity,
        progress.get_enrollment(current_user.id, activity.course_id),
    )
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        attempt = engine.start_attempt(current_user.id, activity)
    except engine.AttemptError as exc:
        flash(str(exc), "error")
        return redirect(activity_url(activity))
    return redirect(activity_url(activity, "assessment.attempt", number=attempt.number))


@bp.get(f"{QUIZ_URL}/attempts/<int:number>/")
@login_required
def attempt(slug: str, module_key: str, activity_key: str, number: int):
    """Show an open attempt's questions, or a submitted attempt's review."""
    course, activity = _quiz(slug, module_key, activity_key)
    attempt = _attempt(activity, number)
    if attempt.state == IN_PROGRESS and engine.is_overdue(attempt, utcnow()):
        engine.submit_attempt(attempt)
        flash(
            _(
                "The time limit passed: your attempt was submitted with the answers saved in time."
            ),
            "info",
        )
    if attempt.state == IN_PROGRESS:
        saved = {r.question_key: r.response for r in attempt.responses}
        return render_template("assessment/attempt.html", course=course, activity=activity,
                               attempt=attempt, saved=saved, form=FlaskForm(), now=utcnow())  # fmt: skip
    attempts = engine.user_attempts(current_user.id, activity.id)
    show = engine.review_allowed(activity, attempt, attempts)
    return render_template("assessment/review.html", course=course, activity=activity, attempt=attempt,
                           items=review_items(attempt, show), show_answers=show)  # fmt: skip


@bp.get(f"{QUIZ_URL}/attempts/<int:number>/confirm")
@login_required
def confirm(slug: str, module_key: str, activity_key: str, number: int):
    """Ask before submitting: list the questions without an answer, with links back to them."""
    from lms.assessment.confirm import question_lines

    course, activity = _quiz(slug, module_key, activity_key)
    attempt = _attempt(activity, number)
    if attempt.state != IN_PROGRESS or engine.is_overdue(attempt, utcnow()):
        return redirect(activity_url(activity, "assessment.attempt", number=number))
    lines = question_lines(attempt)
    left = engine.attempts_left(
        activity, engine.user_attempts(current_user.id, activity.id)
    )
    return render_template("assessment/confirm.html", course=course, activity=activity, attempt=attempt,
                           lines=lines, unanswered=[q for q in lines if not q.answered],
                           attempts_left=left, form=FlaskForm(), now=utcnow())  # fmt: skip


def answers_from_form(attempt: QuizAttempt, form) -> dict[str, object]:
    """Read the answers a form carries, for the questions it says it carries."""
    answers = {}
    for key, item in engine.question_items(attempt).items():
        if f"present-{key}" not in form:
            continue
        kind = item["question"]["type"]
        name = f"answer-{key}"
        if kind == "multiresponse":
            answers[key] = form.getlist(name)
        elif kind == "matching":
            answers[key] = {
                p["id"]: form.get(f"{name}-{p['id']}", "")
                for p in item["view"]["pairs"]
            }
        elif kind != "description":
            answers[key] = form.get(name)
    return answers


@bp.post(f"{QUIZ_URL}/attempts/<int:number>/answers")
@login_required
def save(slug: str, module_key: str, activity_key: str, number: int):
    """Save answers (all on the page, or one question from the autosave script); maybe submit."""
    activity = _quiz(slug, module_key, activity_key)[1]
    attempt = _attempt(activity, number)
    if not FlaskForm().validate_on_submit():
        abort(400)
    errors = []
    for key, value in answers_from_form(attempt, request.form).items():
        try:
            engine.save_answer(attempt, key, value)
        except engine.AttemptError as exc:
            errors.append(str(exc))
            break
    if request.accept_mimetypes.best == "application/json":
        return jsonify(saved=not errors, errors=errors), (409 if errors else 200)
    if "submit" in request.form:
        engine.submit_attempt(attempt)
        flash(_("Your attempt was submitted."), "success")
    elif (
        "finish" in request.form and not errors
    ):  # saved: now confirm before submitting
        return redirect(activity_url(activity, "assessment.confirm", number=number))
    elif errors:
        flash(errors[0], "error")
    else:
        flash(_("Your answers are saved."), "success")
    return redirect(activity_url(activity, "assessment.attempt", number=number))


def init_app(app) -> None:
    """Give templates the permission check."""
    app.jinja_env.globals.setdefault("can", can)
