"""Read multiple-choice questions written in Moodle's Aiken format.

Question text on one line
A) First option          (or "A. First option")
B) Second option
ANSWER: B
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from lms.content.errors import ContentError, ContentProblem
from lms.content.limits import MAX_QUESTIONS, LimitError, check_size, too_many
from lms.quiz.text import choice_ids, rich

_OPTION = re.compile(r"([A-Z])[.)][ \t]?(.*)")
_ANSWER = re.compile(r"ANSWER:\s*([A-Z])\s*")


@dataclass
class _Draft:
    """A question being read: its text line and the options seen so far."""

    line: int
    text: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (letter, text)


def parse_aiken(text: str, path: str, first_line: int = 1) -> list[dict]:
    """Parse Aiken questions; raise ContentError listing every problem with its file line."""
    questions, problems = read_aiken(text, path, first_line)
    if problems:
        raise ContentError(problems)
    return questions


def read_aiken(
    text: str, path: str, first_line: int = 1
) -> tuple[list[dict], list[ContentProblem]]:
    """Parse Aiken questions, returning the good questions and the problems in the rest."""
    questions: list[dict] = []
    problems: list[ContentProblem] = []
    draft: _Draft | None = None
    started = 0

    def problem(line: int, message) -> None:
        problems.append(ContentProblem(path, line, message))

    try:
        check_size(text)
    except LimitError as error:
        return [], [ContentProblem(path, first_line, error.message)]

    for number, raw in enumerate(
        text.replace("\r\n", "\n").split("\n"), start=first_line
    ):
        line = raw.strip()
        if len(line) < 2:  # Moodle skips blank (and one-character) lines.
            continue
        option = _OPTION.fullmatch(line)
        if option is None and not line.startswith("ANSWER:"):
            if draft is not None:
                problem(number, _l("Question not completed before next question start"))
            started += 1
            if started > MAX_QUESTIONS:
                what = _l("Questions")
                error = too_many(started, MAX_QUESTIONS, "MAX_QUESTIONS", what)
                problem(number, error.message)
                return [], problems
            draft = _Draft(number, line)
        elif draft is None:
            problem(
                number,
                _l("Question not started: write the question on the line before 'A)'"),
            )
        elif option is not None:
            draft.options.append((option.group(1), option.group(2).strip()))
        else:
            question = _finish(draft, line, number, problem)
            if question is not None:
                questions.append({"key": f"q{len(questions) + 1}", **question})
            draft = None
    if draft is not None:
        problem(draft.line, _l("Question not completed: it needs an 'ANSWER: X' line"))
    return questions, problems


def _finish(draft: _Draft, answer_line: str, number: int, problem) -> dict | None:
    """Turn a draft and its ANSWER line into a question, or record why it cannot be one."""
    if len(draft.options) < 2:
        problem(number, _l("Question must have at least 2 answers"))
        return None
    letters = [letter for letter, _ in draft.options]
    expected = [chr(ord("A") + n) for n in range(len(letters))]
    if letters != expected:
        problem(
            number,
            _l(
                "options must be lettered %(letters)s in order",
                letters=", ".join(expected),
            ),
        )
        return None
    answer = _ANSWER.fullmatch(answer_line)
    if answer is None or answer.group(1) not in letters:
        problem(
            number,
            _l(
                "'%(line)s' must name one of the options: ANSWER: %(letter)s",
                line=answer_line,
                letter=letters[0],
            ),
        )
        return None
    texts = [text for _, text in draft.options]
    choices = [
        {
            "id": ident,
            **rich("text", text, "plain"),
            "fraction": 1.0 if letter == answer.group(1) else 0.0,
            **rich("feedback", "", "plain"),
        }
        for ident, (letter, text) in zip(choice_ids(texts), draft.options, strict=True)
    ]
    return {
        "type": "multichoice",
        "name": "",
        "line": draft.line,
        "category": None,
        **rich("text", draft.text, "plain"),
        "missing_word": False,
        "blank_at": None,
        **rich("general_feedback", "", "plain"),
        "choices": choices,
    }
