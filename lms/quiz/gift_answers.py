"""Read the answer block `{...}` of a GIFT question, one builder per question type."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.quiz.gift_blocks import Block
from lms.quiz.gift_numbers import numerical
from lms.quiz.gift_pieces import feedback_split, formatted, pieces, take_weight
from lms.quiz.text import choice_ids, render, unprotect

TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
#: Tolerance when checking that the positive weights of a multiple-answer question make 100%.
WEIGHT_SUM_TOLERANCE = 0.01


def answer_type(answer: str) -> str:
    """Tell the question type from the (protected) answer block, in Moodle's order."""
    stripped = answer.strip()
    if not stripped:
        return "essay"
    if stripped.startswith("#"):
        return "numerical"
    if "~" in stripped:
        return "multichoice"
    if "=" in stripped and "->" in stripped:
        return "matching"
    if stripped.split("#", 1)[0].strip() in TRUE_FALSE:
        return "truefalse"
    return "shortanswer"


def multichoice(answer: str, offset: int, fmt: str, block: Block) -> dict:
    """Read `{=right ~wrong ~%50%half}`: one right answer, or weights for several."""
    choices, single = [], False
    for marker, piece, at in pieces(answer, offset, "~="):
        if not marker:
            if piece.strip():
                block.problem(
                    at, _l("each choice must start with '=' (right) or '~' (wrong)")
                )
            continue
        single = single or marker == "="
        fraction, piece = take_weight(piece, block, at)
        if fraction is None:
            fraction = 1.0 if marker == "=" else 0.0
        text, feedback = feedback_split(piece, fmt, block, at)
        choice = formatted("text", text, fmt, block, at)
        if not choice["text"]:
            block.problem(at, _l("a choice has no text"))
        choices.append({**choice, "fraction": fraction, **feedback})
    ids = choice_ids([c["text"] for c in choices])
    choices = [{"id": ident, **c} for ident, c in zip(ids, choices, strict=True)]
    fractions = [c["fraction"] for c in choices]
    positive = sum(f for f in fractions if f > 0)
    if len(choices) < 2:
        block.problem(offset, _l("a multiple-choice question needs at least 2 choices"))
    elif single and max(fractions) != 1:
        block.problem(
            offset, _l("a multiple-choice question needs a right answer worth 100%")
        )
    elif not single and abs(positive - 1) > WEIGHT_SUM_TOLERANCE:
        block.problem(
            offset,
            _l(
                "no choice is marked right with '=', and the positive weights add up to "
                "%(sum)s%%, not 100%%",
                sum=f"{positive * 100:g}",
            ),
        )
    return {"type": "multichoice" if single else "multiresponse", "choices": choices}


def truefalse(answer: str, offset: int, fmt: str, block: Block) -> dict:
    """Read `{T}` / `{FALSE#feedback if wrong#feedback if right}`."""
    head, _, rest = answer.partition("#")
    wrong, _, right = rest.partition("#")
    wrong_at = offset + len(head) + 1
    return {
        "answer": TRUE_FALSE[head.strip()],
        **formatted("wrong_feedback", wrong, fmt, block, wrong_at),
        **formatted("right_feedback", right, fmt, block, wrong_at + len(wrong) + 1),
    }


def shortanswer(answer: str, offset: int, fmt: str, block: Block) -> dict:
    """Read `{=answer =%50%almost#feedback}`; answers are plain text, `*` is a wildcard."""
    answers = []
    for marker, piece, at in pieces(answer, offset, "="):
        if not marker and not piece.strip():
            continue  # A lone answer needs no '=' (Moodle: `{One}`).
        fraction, piece = take_weight(piece, block, at)
        text, feedback = feedback_split(piece, fmt, block, at)
        # Moodle drops an answer's [format] tag: an answer is compared as plain text.
        value = formatted("text", text, fmt, block, at)["text"]
        if not value:
            block.problem(at, _l("a short-answer answer is empty"))
        answers.append(
            {
                "id": f"a{len(answers) + 1}",
                "text": value,
                "text_html": render(value, "plain"),
                "fraction": 1.0 if fraction is None else fraction,
                **feedback,
            }
        )
    if answers and max(a["fraction"] for a in answers) != 1:
        block.problem(offset, _l("a short-answer question needs an answer worth 100%"))
    return {"answers": answers}


def matching(answer: str, offset: int, fmt: str, block: Block) -> dict:
    """Read `{=question -> answer ...}`; `= -> answer` adds an extra wrong answer."""
    pairs, distractors = [], []
    for marker, piece, at in pieces(answer, offset, "="):
        if not marker:
            if piece.strip():
                block.problem(at, _l("each matching pair must start with '='"))
            continue
        left, arrow, right = piece.partition("->")
        right = unprotect(right).strip()
        if not arrow or not right:
            block.problem(
                at, _l("a matching pair must be written '=question -> answer'")
            )
            continue
        answer_fields = {"answer": right, "answer_html": render(right, "plain")}
        if not left.strip():
            distractors.append(answer_fields)
            continue
        sub = formatted("text", left, fmt, block, at)
        pairs.append({"id": f"p{len(pairs) + 1}", **sub, **answer_fields})
    if len(pairs) < 2:
        block.problem(
            offset,
            _l("a matching question needs at least 2 pairs '=question -> answer'"),
        )
    return {"pairs": pairs, "distractors": distractors}


BUILDERS = {
    "multichoice": multichoice,
    "truefalse": truefalse,
    "shortanswer": shortanswer,
    "numerical": numerical,
    "matching": matching,
}
