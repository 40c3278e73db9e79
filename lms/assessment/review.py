"""What a learner (or teacher) sees of a submitted attempt."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lms.models import QuizAttempt
from lms.quiz import correct_answer_summary, grade


@dataclass
class ReviewItem:
    """One question of a submitted attempt, with what may be shown of it."""

    key: str
    view: dict
    response: Any
    fraction: Decimal | None
    comment: str
    right_answer: str = ""
    feedback_html: list[str] | None = None
    general_feedback_html: str = ""

    @property
    def answered(self) -> bool:
        """Tell whether the learner gave an answer."""
        return self.response not in (None, "", [], {})


def review_items(attempt: QuizAttempt, show_answers: bool) -> list[ReviewItem]:
    """List the attempt's questions with the learner's answers; answers and feedback only if allowed."""
    responses = {r.question_key: r for r in attempt.responses}
    items = []
    for item in attempt.snapshot:
        question = item["question"]
        row = responses.get(question["key"])
        review = ReviewItem(
            key=question["key"],
            view=item["view"],
            response=row.response if row else None,
            fraction=row.fraction
            if row
            else (Decimal(0) if question["type"] != "description" else None),
            comment=row.comment if row else "",
        )
        if show_answers and question["type"] != "description":
            review.right_answer = correct_answer_summary(question)
            if review.answered and question["type"] != "essay":
                review.feedback_html = grade(question, review.response)["feedback_html"]
            review.general_feedback_html = question.get("general_feedback_html", "")
        items.append(review)
    return items
