"""A quiz's results for those who teach it: every learner's attempts, each question's statistics,
marking a question by hand and regrading a fixed question.

The web's results page (`lms.teaching.views`) in JSON, for the course's instructors and admins;
learners, and instructors of other courses, are refused.
"""

from __future__ import annotations

from decimal import Decimal

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import defer

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import activity_for, authorize, check_id, course_for
from lms.api.pagination import page_of_query
from lms.api.problems import ApiProblem
from lms.api.quizzes import QUIZ_PREFIX, attempt_summary
from lms.api.schemas import (
    HandGradeArgs,
    PageArgs,
    QuizResult,
    QuizResultList,
    QuizStatistics,
    Regrade,
    RegradeArgs,
    RegradeList,
)
from lms.assessment.attempts import AttemptError
from lms.assessment.regrade import grade_by_hand, regrade_history, regrade_question
from lms.assessment.stats import quiz_statistics
from lms.extensions import db
from lms.models import Activity, QuizAttempt, QuizRegrade, User

bp = Blueprint(
    "api_teaching",
    __name__,
    url_prefix=QUIZ_PREFIX,
    description="A quiz's results for its course's instructors: every learner's attempts "
    "and how each question performed.",
)


def _taught_quiz(slug: str, module_key: str, activity_key: str) -> Activity:
    user = api_user()
    course = course_for(slug, user)
    authorize(user, "course.teach", course, detail="Only the course's instructors see its results.")  # fmt: skip
    return activity_for(course, module_key, activity_key, "quiz")


def result_out(attempt: QuizAttempt, name: str, nip: str | None) -> dict:
    """Return an attempt as the quiz's instructors see it in the list."""
    return {
        **attempt_summary(attempt),
        "id": attempt.id,
        "learner": {"name": name, "nip": nip},
    }


@bp.route("/results")
class Results(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, QuizResultList)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="listQuizResults")
    def get(self, args, slug, module_key, activity_key):
        """List every learner's attempts at the quiz, by name, then attempt number.

        For the course's instructors and admins (403 for anyone else).
        """
        activity = _taught_quiz(slug, module_key, activity_key)
        query = (
            select(QuizAttempt, User.name, User.nip)
            .join(User, User.id == QuizAttempt.user_id)
            .where(QuizAttempt.activity_id == activity.id)
            .order_by(User.name, User.id, QuizAttempt.number)
            .options(defer(QuizAttempt.snapshot))  # scores, not questions
        )
        page = page_of_query(query, args, scalars=False)
        page["items"] = [
            result_out(attempt, name, nip) for attempt, name, nip in page["items"]
        ]
        return page


@bp.route("/results/<int:attempt_id>/grade")
class GradeByHand(MethodView):
    @bp.arguments(HandGradeArgs)
    @bp.response(200, QuizResult)
    @problems_documented(bp, 401, 403, 404, 409, 429)
    @bp.doc(operationId="gradeAttemptQuestion")
    def post(self, args, slug, module_key, activity_key, attempt_id):
        """Mark one question of a submitted attempt by hand (an essay, or an override), with a comment.

        The attempt's score is recounted; the change and the old score go to the audit log.
        """
        activity = _taught_quiz(slug, module_key, activity_key)
        check_id(attempt_id, "attempt")
        attempt = db.session.get(QuizAttempt, attempt_id)
        if attempt is None or attempt.activity_id != activity.id:
            raise ApiProblem("not-found", f"This quiz has no attempt {attempt_id}.")
        try:
            grade_by_hand(attempt, args["question"], Decimal(str(args["percent"])), args["comment"],
                          api_user().id)  # fmt: skip
        except AttemptError as exc:
            raise ApiProblem("attempt-conflict", str(exc)) from exc
        learner = db.session.get(User, attempt.user_id)
        return result_out(attempt, learner.name, learner.nip)


@bp.route("/statistics")
class Statistics(MethodView):
    @bp.response(200, QuizStatistics)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="getQuizStatistics")
    def get(self, slug, module_key, activity_key):
        """Show how each question performed over the graded attempts (Moodle's item analysis).

        For the course's instructors and admins. Per question: attempts, facility,
        discrimination and how often each option was chosen.
        """
        activity = _taught_quiz(slug, module_key, activity_key)
        return {
            "questions": [
                {"key": s.key, "type": s.type, "attempts": s.attempts, "facility": s.facility,
                 "discrimination": s.discrimination,
                 "options": [{"label": label, "count": count} for label, count in s.options]}
                for s in quiz_statistics(activity)
            ]
        }  # fmt: skip


def regrade_out(regrade: QuizRegrade) -> dict:
    """Return a regrade as the quiz's instructors see it."""
    return {
        "id": regrade.id,
        "question": regrade.question_key,
        "option": regrade.option,
        "at": regrade.at,
        "attempts_changed": regrade.attempts_changed,
    }


@bp.route("/regrades")
class Regrades(MethodView):
    @bp.response(200, RegradeList)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="listRegrades")
    def get(self, slug, module_key, activity_key):
        """List the quiz's regrades, newest first.

        For the course's instructors and admins.
        """
        activity = _taught_quiz(slug, module_key, activity_key)
        return {"regrades": [regrade_out(r) for r in regrade_history(activity)]}

    @bp.arguments(RegradeArgs)
    @bp.response(201, Regrade)
    @problems_documented(bp, 401, 403, 404, 409, 429)
    @bp.doc(operationId="regradeQuestion")
    def post(self, args, slug, module_key, activity_key):
        """Regrade one question in every submitted attempt against its current version.

        After a question is fixed in the course, Canvas's choices: give everyone full marks on it,
        the better of the old and new marks, or the new marks only. Each changed score keeps the
        old one; the regrade goes to the audit log (`quiz.regrade`). An essay or a description
        cannot be regraded automatically (409).
        """
        activity = _taught_quiz(slug, module_key, activity_key)
        try:
            done = regrade_question(activity, args["question"], args["option"], api_user().id)  # fmt: skip
        except AttemptError as exc:
            raise ApiProblem("attempt-conflict", str(exc)) from exc
        return regrade_out(done)
