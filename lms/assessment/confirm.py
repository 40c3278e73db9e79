"""Before a quiz attempt is submitted: which questions have no answer yet."""

from __future__ import annotations

from dataclasses import dataclass

from lms.models import QuizAttempt


@dataclass(frozen=True)
class QuestionLine:
    """A question of an attempt as the confirmation page lists it."""

    number: int
    key: str
    answered: bool


def _answered(view: dict, response) -> bool:
    if response is None or response == "" or response == []:
        return False
    if (
        view["type"] == "matching"
    ):  # every pair needs a choice (empty ones are not kept)
        return isinstance(response, dict) and len(response) >= len(view["pairs"])
    return True


def question_lines(attempt: QuizAttempt) -> list[QuestionLine]:
    """Return the attempt's questions in page order, numbered as the page numbers them."""
    saved = {r.question_key: r.response for r in attempt.responses}
    lines, number = [], 0
    for item in attempt.snapshot:
        view = item["view"]
        if view["type"] == "description":
            continue
        number += 1
        lines.append(
            QuestionLine(number, view["key"], _answered(view, saved.get(view["key"])))
        )
    return lines
