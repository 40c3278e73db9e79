"""A quiz's results for those who teach it: every learner's attempts, and each question's statistics.

The same figures as the web's results page (`lms.teaching.views`), for the course's instructors
and admins; learners, and instructors of other courses, are refused.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import defer

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import activity_for, authorize, course_for
from lms.api.pagination import page_of_query
from lms.api.quizzes import QUIZ_PREFIX, attempt_summary
from lms.api.schemas import PageArgs, QuizResultList, QuizStatistics
from lms.assessment.stats import quiz_statistics
from lms.models import Activity, QuizAttempt, User

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


@bp.route("/results")
class Results(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, QuizResultList)
    @problems_documented(bp, 401, 403, 404, 429)
    def get(self, args, slug, module_key, activity_key):
        """List every learner's attempts at the quiz, by name, then attempt number."""
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
            {
                **attempt_summary(attempt),
                "learner": {"name": name, "nip": nip},
            }
            for attempt, name, nip in page["items"]
        ]
        return page


@bp.route("/statistics")
class Statistics(MethodView):
    @bp.response(200, QuizStatistics)
    @problems_documented(bp, 401, 403, 404, 429)
    def get(self, slug, module_key, activity_key):
        """Show how each question performed over the graded attempts (Moodle's item analysis)."""
        activity = _taught_quiz(slug, module_key, activity_key)
        return {
            "questions": [
                {"key": s.key, "type": s.type, "attempts": s.attempts, "facility": s.facility,
                 "discrimination": s.discrimination,
                 "options": [{"label": label, "count": count} for label, count in s.options]}
                for s in quiz_statistics(activity)
            ]
        }  # fmt: skip
