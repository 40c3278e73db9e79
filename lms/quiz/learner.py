"""What a learner may see of a question: before answering (nothing that tells right from wrong),
and after (the right answer in plain text)."""

from __future__ import annotations

import html
import random
import re

from flask_babel import gettext

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(
    r"<(br|/p|/div|/li|/h\d|/tr|/td|/th|/pre|/blockquote)\b[^>]*>", re.IGNORECASE
)


def learner_view(
    question: dict, rng: random.Random | None = None, shuffle_answers: bool = False
) -> dict:
    """Return the question as the browser may see it before submission: no answers, no feedback."""
    view = {
        "key": question["key"],
        "type": question["type"],
        "text_html": question["text_html"],
        "missing_word": question["missing_word"],
    }
    kind = question["type"]
    if shuffle_answers and rng is None:
        rng = random.Random()
    if kind in ("multichoice", "multiresponse"):
        # Choice ids come from the choice text, so they give away neither position nor weight.
        choices = [
            {"id": c["id"], "text_html": c["text_html"]} for c in question["choices"]
        ]
        if shuffle_answers:
            rng.shuffle(choices)
        view["choices"] = choices
    elif kind == "matching":
        pairs = [
            {"id": p["id"], "text_html": p["text_html"]} for p in question["pairs"]
        ]
        if shuffle_answers:
            rng.shuffle(pairs)
        view["pairs"] = pairs
        view["options"] = _matching_options(question, rng)
    return view


def _matching_options(question: dict, rng: random.Random | None) -> list[dict]:
    """List each right-hand answer once, never in pair order (that would pair them up)."""
    options: dict[str, str] = {}
    for item in question["pairs"] + question["distractors"]:
        options.setdefault(item["answer"], item["answer_html"])
    listed = [{"text": text, "text_html": html_} for text, html_ in options.items()]
    if rng is None:
        listed.sort(key=lambda option: option["text"].casefold())
    else:
        rng.shuffle(listed)
    return listed


def correct_answer_summary(question: dict) -> str:
    """Return the right answer as plain text, for review after submission."""
    kind = question["type"]
    if kind == "multichoice":
        best = max(c["fraction"] for c in question["choices"])
        return "; ".join(
            plain(c["text_html"]) for c in question["choices"] if c["fraction"] == best
        )
    if kind == "multiresponse":
        return "; ".join(
            plain(c["text_html"]) for c in question["choices"] if c["fraction"] > 0
        )
    if kind == "truefalse":
        return gettext("True") if question["answer"] else gettext("False")
    if kind == "shortanswer":
        return " / ".join(a["text"] for a in question["answers"] if a["fraction"] == 1)
    if kind == "numerical":
        return " / ".join(_number(a) for a in question["answers"] if a["fraction"] == 1)
    if kind == "matching":
        return "; ".join(
            f"{plain(p['text_html'])} → {p['answer']}" for p in question["pairs"]
        )
    return ""


def plain(fragment: str) -> str:
    """Turn sanitized HTML into one line of plain text."""
    return " ".join(html.unescape(_TAG.sub("", _BREAK.sub(" ", fragment))).split())


def _number(answer: dict) -> str:
    """Describe a numerical answer: `1822`, `3.1415 ± 0.0005`, `1 – 5`, `any number`."""
    if answer["kind"] == "any":
        return gettext("any number")
    if answer["kind"] == "range":
        return f"{_decimal(answer['min'])} – {_decimal(answer['max'])}"
    value = _decimal(answer["value"])
    return (
        f"{value} ± {_decimal(answer['tolerance'])}" if answer["tolerance"] else value
    )


def _decimal(value: float) -> str:
    return f"{value:.15g}"
