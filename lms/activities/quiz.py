"""Quizzes: GIFT (or Aiken) question files with their settings in front matter."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

from lms.activities.base import ActivityType, ParsedActivity
from lms.content.errors import ContentError
from lms.content.frontmatter import FieldSpec

GRADING_METHODS = ("highest", "last", "first", "average")
#: When a learner sees right answers and feedback (Moodle's review options, simplified).
SHOW_ANSWERS = (
    "after_submit",
    "after_pass_or_last_attempt",
    "after_last_attempt",
    "after_close",
    "never",
)
TEST_ROLES = ("pretest", "posttest")


class QuizType(ActivityType):
    """A quiz: questions in Moodle's GIFT format (or Aiken), graded on the server."""

    label = _l("Quiz")
    suffixes = (".gift", ".aiken")
    template = "learn/activity_quiz.html"
    extra_fields: ClassVar[dict[str, FieldSpec]] = {
        "minutes": FieldSpec(int, default=10, minimum=0),
        "passing_grade": FieldSpec((int, float), default=70, minimum=0),
        "max_attempts": FieldSpec(int, default=0, minimum=0),
        "grading": FieldSpec(str, default="highest", choices=GRADING_METHODS),
        "shuffle_questions": FieldSpec(bool, default=False),
        "shuffle_answers": FieldSpec(bool, default=False),
        "draw": FieldSpec(int, minimum=1),
        "time_limit": FieldSpec(int, minimum=1),
        "show_answers": FieldSpec(str, default="after_submit", choices=SHOW_ANSWERS),
        #: `pretest` (taken before the first lesson, any score completes it) or `posttest`.
        "role": FieldSpec(str, choices=TEST_ROLES),
    }

    def parse_body(
        self, path: str, meta: dict, body: str, first_line: int
    ) -> ParsedActivity:
        """Parse the questions; question text and feedback are rendered and sanitized here."""
        from lms.quiz import parse_aiken, parse_gift

        parser = parse_aiken if path.endswith(".aiken") else parse_gift
        questions = parser(body, path, first_line=first_line)
        graded = [q for q in questions if q["type"] != "description"]
        if not graded:
            raise ContentError(
                path, first_line, _l("a quiz needs at least one question")
            )
        if meta["passing_grade"] > 100:
            raise ContentError(
                path, 1, _l("'passing_grade' is a percentage: at most 100")
            )
        if meta["draw"] and meta["draw"] > len(graded):
            raise ContentError(
                path,
                1,
                _l(
                    "'draw' is %(draw)s but the quiz has only %(n)s questions",
                    draw=meta["draw"],
                    n=len(graded),
                ),
            )
        if meta["role"] == "pretest" and meta["max_attempts"] != 1:
            raise ContentError(
                path, 1, "a pretest is taken once: set 'max_attempts: 1'"
            )
        settings = {k: v for k, v in meta.items() if k not in ("title", "minutes")}
        return ParsedActivity(
            title=meta["title"].strip(),
            minutes=meta["minutes"],
            spec={"settings": settings, "questions": questions},
        )

    def render(self, activity, progress, **context):
        """Show the quiz's settings, the learner's attempts and the start button."""
        from lms.assessment import attempts as engine
        from lms.models.quiz import IN_PROGRESS
        from lms.permissions import can

        user = context.pop("user")
        attempts = engine.user_attempts(user.id, activity.id)
        left = engine.attempts_left(activity, attempts)
        open_attempt = any(a.state == IN_PROGRESS for a in attempts)
        enrolled = context.pop("enrollment", None)
        return super().render(
            activity, progress, attempts=attempts, attempts_left=left, open_attempt=open_attempt,
            can_attempt=can(user, "activity.submit", activity, enrolled) and (open_attempt or left != 0),
            teacher=can(user, "course.teach", activity.course), **context,
        )  # fmt: skip

    def describe(self, parsed: ParsedActivity) -> dict[str, Any]:
        """List the quiz's questions with their types."""
        return {
            "settings": parsed.spec["settings"],
            "questions": [
                {
                    "key": q["key"],
                    "type": q["type"],
                    "name": q.get("name"),
                    "line": q.get("line"),
                }
                for q in parsed.spec["questions"]
            ],
        }
