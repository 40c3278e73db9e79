"""Grade a learner's response to one question, the way Moodle grades it."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from lms.quiz.learner import correct_answer_summary, learner_view

__all__ = ["correct_answer_summary", "grade", "learner_view", "parse_number"]

#: Fractions this close to 1 count as fully right (Moodle stores 7 decimals: 3 x 33.33333%).
RIGHT = 1 - 1e-6
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
#: A short-answer key's wildcard, or an escaped (literal) star.
_STAR = re.compile(r"(\\\*|\*)")

Graded = tuple[float | None, list[str], bool]


def grade(question: dict, response: Any) -> dict:
    """Grade a response: fraction in 0..1 (None for an essay, which a teacher grades)."""
    kind = question["type"]
    if kind not in _GRADERS:
        raise ValueError(f"a {kind} question is not graded")
    fraction, feedback, correct = _GRADERS[kind](question, response)
    return {
        "fraction": fraction,
        "correct": correct,
        "feedback_html": [html for html in feedback if html],
        "general_feedback_html": question["general_feedback_html"],
    }


def parse_number(value: Any) -> float | None:
    """Read a learner's number: `3.14`, `3,14` (Indonesian decimal comma), `1.234,5`, `1,234.5`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip()
    if "," in text and "." in text:
        # Whichever separator comes last is the decimal one; the other groups thousands.
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "").replace(",", ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def shortanswer_matches(answer: str, response: str) -> bool:
    """Compare like Moodle: trimmed, case-insensitive, `*` matches anything, `\\*` is a star.

    Linear in the two texts: the key's literal pieces are found left to right, which is exact
    for `*` (no backtracking regular expression, whatever the key and the answer).
    """
    first, *rest = _pieces(_fold(answer))
    text = _fold(response)
    if not rest:
        return text == first
    *middle, last = rest
    at, end = len(first), len(text) - len(last)
    if end < at or not text.startswith(first) or not text.endswith(last):
        return False
    for piece in middle:
        found = text.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def _pieces(key: str) -> list[str]:
    """Split a folded key on its unescaped `*` into literal pieces (`\\*` stays a star)."""
    pieces: list[list[str]] = [[]]
    for token in _STAR.split(key):
        if token == "*":
            pieces.append([])
        else:
            pieces[-1].append("*" if token == "\\*" else token)
    return ["".join(piece) for piece in pieces]


def _fold(text: str) -> str:
    """Normalize (NFC, as Moodle does), case-fold, trim and fold runs of spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _right(fraction: float) -> bool:
    return fraction >= RIGHT


def _multichoice(q: dict, response: Any) -> Graded:
    chosen = next((c for c in q["choices"] if c["id"] == response), None)
    if chosen is None:
        return 0.0, [], False
    fraction = min(max(chosen["fraction"], 0.0), 1.0)
    return fraction, [chosen["feedback_html"]], _right(fraction)


def _multiresponse(q: dict, response: Any) -> Graded:
    ids = set(response) if isinstance(response, list | tuple | set) else set()
    chosen = [c for c in q["choices"] if c["id"] in ids]
    # Moodle: add the weights of what was chosen (wrong ones are negative), then clamp to 0..1.
    fraction = min(max(sum(c["fraction"] for c in chosen), 0.0), 1.0)
    exact = {c["id"] for c in chosen} == {
        c["id"] for c in q["choices"] if c["fraction"] > 0
    }
    return fraction, [c["feedback_html"] for c in chosen], _right(fraction) or exact


def _truefalse(q: dict, response: Any) -> Graded:
    if isinstance(response, str) and response.lower() in ("true", "false"):
        response = response.lower() == "true"
    if not isinstance(response, bool):
        return 0.0, [], False
    right = response is q["answer"]
    feedback = q["right_feedback_html"] if right else q["wrong_feedback_html"]
    return (1.0 if right else 0.0), [feedback], right


def _shortanswer(q: dict, response: Any) -> Graded:
    if not isinstance(response, str) or not response.strip():
        return 0.0, [], False
    # Moodle takes the first answer that matches, so a final `*` catches everything else.
    for answer in q["answers"]:
        if shortanswer_matches(answer["text"], response):
            fraction = min(max(answer["fraction"], 0.0), 1.0)
            return fraction, [answer["feedback_html"]], _right(fraction)
    return 0.0, [], False


def _numerical(q: dict, response: Any) -> Graded:
    value = parse_number(response)
    if value is None:
        return 0.0, [], False
    matching = [a for a in q["answers"] if number_matches(a, value)]
    if not matching:
        return 0.0, [], False
    best = max(matching, key=lambda a: a["fraction"])
    fraction = min(max(best["fraction"], 0.0), 1.0)
    return fraction, [best["feedback_html"]], _right(fraction)


def number_matches(answer: dict, value: float) -> bool:
    """Tell whether a number falls in an answer's tolerance or range (with float slack)."""
    if answer["kind"] == "any":
        return True
    if answer["kind"] == "range":
        low, high = answer["min"], answer["max"]
    else:
        low = answer["value"] - answer["tolerance"]
        high = answer["value"] + answer["tolerance"]
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


def _matching(q: dict, response: Any) -> Graded:
    given = response if isinstance(response, dict) else {}
    right = sum(
        1
        for pair in q["pairs"]
        if isinstance(given.get(pair["id"]), str)
        and given[pair["id"]].strip() == pair["answer"]
    )
    fraction = right / len(q["pairs"])
    return fraction, [], right == len(q["pairs"])


def _essay(q: dict, response: Any) -> Graded:
    return None, [], False


_GRADERS: dict[str, Callable[[dict, Any], Graded]] = {
    "multichoice": _multichoice,
    "multiresponse": _multiresponse,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "essay": _essay,
}
