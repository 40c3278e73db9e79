"""Quiz attempts: start (or resume), save answers, submit once, review — the web's rules, in JSON."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import activity_for, authorize, check_id, course_for, pretest_taken
from lms.api.pagination import page_of
from lms.api.problems import ApiProblem
from lms.api.schemas import (
    AnswerArgs,
    AnswerOut,
    AttemptList,
    AttemptOut,
    AttemptSummary,
    PageArgs,
    ReviewOut,
)
from lms.assessment import attempts as engine
from lms.assessment.review import review_items
from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, QuizAttempt
from lms.models.quiz import IN_PROGRESS
from lms.models.types import utcnow

#: Where a quiz's operations live, for learners (here) and for instructors (lms.api.teaching).
QUIZ_PREFIX = "/api/v1/courses/<slug>/quizzes/<module_key>/<activity_key>"

bp = Blueprint(
    "api_quizzes",
    __name__,
    url_prefix=QUIZ_PREFIX,
    description="Your quiz attempts. Before submission only the learner's view of each "
    "question is returned, never its answers.",
)


def _quiz(slug: str, module_key: str, activity_key: str) -> Activity:
    """Return the quiz; stop while the caller owes the course's pretest."""
    user = api_user()
    course = course_for(slug, user)
    activity = activity_for(course, module_key, activity_key, "quiz")
    pretest_taken(user, course, progress.get_enrollment(user.id, course.id), activity)
    return activity


def _own_attempt(activity: Activity, number: int) -> QuizAttempt:
    """Return the caller's attempt with this number; anyone else's does not exist for them."""
    check_id(number, "attempt")
    attempt = db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.activity_id == activity.id,
            QuizAttempt.user_id == api_user().id,
            QuizAttempt.number == number,
        )
    )
    if attempt is None:
        raise ApiProblem(
            "not-found", f"You have no attempt number {number} at this quiz."
        )
    if attempt.state == IN_PROGRESS and engine.is_overdue(attempt, utcnow()):
        engine.submit_attempt(attempt)  # as the web does: the time limit submits it
    return attempt


def attempt_summary(attempt: QuizAttempt) -> dict:
    """Return the attempt's number, state, times and score (no questions)."""
    return {
        "number": attempt.number,
        "state": attempt.state,
        "started_at": attempt.started_at,
        "deadline_at": attempt.deadline_at,
        "submitted_at": attempt.submitted_at,
        "late": attempt.late,
        "score": attempt.score,
        "passed": attempt.passed,
    }


def attempt_out(attempt: QuizAttempt) -> dict:
    """Return the attempt with each question's learner view and saved answer — nothing more."""
    saved = {r.question_key: r.response for r in attempt.responses}
    return {
        **attempt_summary(attempt),
        "questions": [
            {"view": item["view"], "answer": saved.get(item["view"]["key"])}
            for item in attempt.snapshot
        ],
    }


@bp.route("/attempts")
class Attempts(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, AttemptList)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="listAttempts")
    def get(self, args, slug, module_key, activity_key):
        """List your attempts at the quiz, oldest first.

        Needs a token and an enrollment in the course. Each attempt has its state and, once
        graded, its score.
        """
        activity = _quiz(slug, module_key, activity_key)
        attempts = engine.user_attempts(api_user().id, activity.id)
        page = page_of(attempts, args)
        page["items"] = [attempt_summary(a) for a in page["items"]]
        page["attempts_left"] = engine.attempts_left(activity, attempts)
        return page

    @bp.response(201, AttemptOut, description="A new attempt")
    @bp.alt_response(
        200, schema=AttemptOut, description="The open attempt", success=True
    )
    @problems_documented(bp, 401, 403, 404, 409, 429)
    @bp.doc(operationId="startAttempt")
    def post(self, slug, module_key, activity_key):
        """Start an attempt; while one is open, answer with it instead (200).

        Needs a `write` token and an enrollment. 201 with a new attempt; 200 with the one still
        open; 409 when no attempt is left.
        """
        activity = _quiz(slug, module_key, activity_key)
        user = api_user()
        authorize(
            user,
            "activity.submit",
            activity,
            progress.get_enrollment(user.id, activity.course_id),
            detail="Enroll in the course before taking its quizzes.",
        )
        before = {a.id for a in engine.user_attempts(user.id, activity.id)}
        try:
            attempt = engine.start_attempt(user.id, activity)
        except engine.AttemptError as exc:
            raise ApiProblem("attempt-conflict", str(exc)) from exc
        return attempt_out(attempt), (200 if attempt.id in before else 201)


@bp.route("/attempts/<int:number>")
class AttemptView(MethodView):
    @bp.response(200, AttemptOut)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="getAttempt")
    def get(self, slug, module_key, activity_key, number):
        """Show one of your attempts: its questions as you see them and your saved answers.

        Needs a token; only your own attempts. Questions come without right answers or
        feedback, choices in the order you are shown them.
        """
        activity = _quiz(slug, module_key, activity_key)
        return attempt_out(_own_attempt(activity, number))


@bp.route("/attempts/<int:number>/answers/<question_key>")
class AnswerView(MethodView):
    @bp.arguments(AnswerArgs)
    @bp.response(200, AnswerOut)
    @problems_documented(bp, 401, 403, 404, 409, 429)
    @bp.doc(operationId="saveAnswer")
    def put(self, args, slug, module_key, activity_key, number, question_key):
        """Save your answer to one question; saving again keeps the last answer.

        Needs a `write` token. `answer` depends on the question type; 409 once the attempt no
        longer takes answers.
        """
        activity = _quiz(slug, module_key, activity_key)
        attempt = _own_attempt(activity, number)
        try:
            engine.save_answer(attempt, question_key, args["answer"])
        except engine.AttemptError as exc:
            raise ApiProblem("attempt-conflict", str(exc)) from exc
        return {"question": question_key, "saved": True}


@bp.route("/attempts/<int:number>/submit")
class SubmitView(MethodView):
    @bp.response(200, AttemptSummary)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="submitAttempt")
    def post(self, slug, module_key, activity_key, number):
        """Submit the attempt for grading; submitting again changes nothing.

        Needs a `write` token. The attempt is graded at once, except essays, which wait for a
        teacher.
        """
        activity = _quiz(slug, module_key, activity_key)
        return attempt_summary(engine.submit_attempt(_own_attempt(activity, number)))


@bp.route("/attempts/<int:number>/review")
class ReviewView(MethodView):
    @bp.response(200, ReviewOut)
    @problems_documented(bp, 401, 403, 404, 409, 429)
    @bp.doc(operationId="reviewAttempt")
    def get(self, slug, module_key, activity_key, number):
        """Review a submitted attempt: right answers and feedback only when the quiz shows them.

        Needs a token; only your own attempts, once submitted (409 while open). What is shown
        follows the quiz's `show_answers` setting.
        """
        activity = _quiz(slug, module_key, activity_key)
        attempt = _own_attempt(activity, number)
        if attempt.state == IN_PROGRESS:
            raise ApiProblem(
                "attempt-conflict", "Submit the attempt before reviewing it."
            )
        attempts = engine.user_attempts(api_user().id, activity.id)
        show = engine.review_allowed(activity, attempt, attempts)
        return {
            **attempt_summary(attempt),
            "answers_shown": show,
            "questions": [
                {
                    "key": item.key,
                    "view": item.view,
                    "answer": item.response,
                    "fraction": item.fraction,
                    "comment": item.comment,
                    "right_answer": item.right_answer,
                    "feedback_html": item.feedback_html,
                    "general_feedback_html": item.general_feedback_html,
                }
                for item in review_items(attempt, show)
            ],
        }
