"""Read numerical answer blocks: `{#3.14:0.01}`, `{#1..5}`, `{# =1822:0 =%50%1822:2 ~#feedback}`."""

from __future__ import annotations

import math
import re

from flask_babel import lazy_gettext as _l

from lms.quiz.gift_blocks import Block
from lms.quiz.gift_pieces import feedback_split, formatted, pieces, take_weight
from lms.quiz.text import unprotect

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def numerical(answer: str, offset: int, fmt: str, block: Block) -> dict:
    """Read the answers of a numerical question (the block starts with '#')."""
    start = answer.index("#") + 1
    main, tilde, other = answer[start:].partition("~")
    answers: list[dict] = []
    for marker, piece, at in pieces(main, offset + start, "="):
        if not marker and not piece.strip():
            continue  # A lone answer needs no '=' (`{#1822}`).
        fraction, piece = take_weight(piece, block, at)
        text, feedback = feedback_split(piece, fmt, block, at)
        spec = number_spec(unprotect(text).strip(), block, at)
        if spec is not None:
            weight = 1.0 if fraction is None else fraction
            answers.append({"id": "", **spec, "fraction": weight, **feedback})
    if tilde:
        # Moodle: `~#feedback` is the feedback for any other answer (an answer '*' worth 0).
        at = offset + start + len(main) + 1
        head, _, feedback = other.partition("#")
        if head.strip():
            block.problem(
                at, _l("after '~' a numerical question takes only '#feedback'")
            )
        fields = formatted("feedback", feedback, fmt, block, at)
        answers.append({"id": "", "kind": "any", "fraction": 0.0, **fields})
    for number, entry in enumerate(answers, start=1):
        entry["id"] = f"a{number}"
    if not answers:
        if not block.problems:
            block.problem(
                offset,
                _l("a numerical question needs an answer: {#3.14:0.01} or {#1..5}"),
            )
    elif max(a["fraction"] for a in answers) != 1:
        block.problem(offset, _l("a numerical question needs an answer worth 100%"))
    return {"answers": answers}


def number_spec(text: str, block: Block, offset: int) -> dict | None:
    """Read `value`, `value:tolerance`, `min..max` or `*` (any number)."""
    if text == "*":
        return {"kind": "any"}
    if text.find("..") > 0:
        low, _, high = text.partition("..")
        bounds = _number(low, block, offset), _number(high, block, offset)
        if None in bounds:
            return None
        if bounds[0] > bounds[1]:
            block.problem(
                offset,
                _l(
                    "range %(range)s goes down: write the smaller number first",
                    range=text,
                ),
            )
            return None
        return {"kind": "range", "min": bounds[0], "max": bounds[1]}
    value_text, colon, tolerance_text = text.partition(":")
    value = _number(value_text, block, offset)
    tolerance = _number(tolerance_text, block, offset) if colon else 0.0
    if value is None or tolerance is None:
        return None
    if tolerance < 0:
        block.problem(
            offset, _l("tolerance %(t)s is negative", t=tolerance_text.strip())
        )
        return None
    return {"kind": "value", "value": value, "tolerance": tolerance}


def _number(text: str, block: Block, offset: int) -> float | None:
    """Parse one number of a numerical answer, recording a problem if it is not one."""
    text = text.strip()
    if _NUMBER.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
    if "," in text:
        message = _l(
            "'%(text)s' is not a number (write decimals with a dot: 3.14)", text=text
        )
    else:
        message = _l("'%(text)s' is not a number", text=text)
    block.problem(offset, message)
    return None
