"""Build our question dicts from Moodle XML `<question>` elements, one builder per type.

A builder notes (never drops silently) what Moodle holds and we do not; it returns None, with a
note saying why, for a question we cannot grade the way Moodle does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from flask_babel import lazy_gettext as _l

from lms.quiz.gift_answers import WEIGHT_SUM_TOLERANCE
from lms.quiz.text import BLANK, choice_ids, render, render_with_blank, rich

#: Moodle's own names for its text formats.
_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain",
            "markdown": "markdown"}  # fmt: skip
_COMBINED = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")


@dataclass(frozen=True)
class Note:
    """Something of one question that was not carried over."""

    #: The question's name (or `#n`, its place in the file).
    question: str
    #: What was left out, and why (a lazy string, translated where it is shown).
    what: object


def text_of(element: Element | None, tag: str | None = None) -> str:
    """Return the stripped `<text>` of `element` (or of its child `tag`); '' when absent."""
    node = element if tag is None or element is None else element.find(tag)
    found = node.find("text") if node is not None else None
    return (found.text or "").strip() if found is not None else ""


def rich_of(element: Element, tag: str, default: str = "moodle") -> tuple[str, str]:
    """Return (format, text) of a child `<tag format="..."><text>...</text></tag>`."""
    node = element.find(tag)
    name = node.get("format") if node is not None else None
    return _FORMATS.get(name or "", default), text_of(node)


def _base(element: Element, kind: str, label: str, notes: list[Note]) -> dict:
    """The fields every question has, after noting what Moodle adds to them."""
    _note_common(element, label, notes)
    fmt, text = rich_of(element, "questiontext")
    blank_at = text.find(BLANK) if BLANK in text and kind != "description" else None
    general_fmt, general = rich_of(element, "generalfeedback", fmt)
    return {"key": "", "type": kind, "name": text_of(element, "name"), "line": 0,
            "category": None, **rich("text", text, fmt),
            "text_html": render_with_blank(text, fmt, blank_at),
            "missing_word": blank_at is not None, "blank_at": blank_at,
            **rich("general_feedback", general, general_fmt)}  # fmt: skip


def _note_common(element: Element, label: str, notes: list[Note]) -> None:
    files = len(element.findall(".//file"))
    if files:
        notes.append(Note(label, _l("Embedded files (images) left out: %(count)d.", count=files)))  # fmt: skip
    hints = [h for h in element.findall("hint") if text_of(h)]
    if hints:
        notes.append(Note(label, _l("Hints for further tries left out: %(count)d.", count=len(hints))))  # fmt: skip
    tags = [text_of(t) for t in element.findall("tags/tag")]
    if tags:
        notes.append(Note(label, _l("Tags left out: %(tags)s.", tags=", ".join(tags))))
    if (element.findtext("idnumber") or "").strip():
        notes.append(Note(label, _l("The ID number was left out.")))
    grade = _float(element.findtext("defaultgrade"), 1.0)
    if grade != 1.0 and element.get("type") != "description":
        notes.append(Note(label, _l("Its mark of %(mark)s was left out: every question counts the same here.", mark=f"{grade:g}")))  # fmt: skip
    if any(text_of(element, tag) for tag in _COMBINED):
        notes.append(Note(label, _l("Combined feedback (correct, partially correct, incorrect) was left out.")))  # fmt: skip


def _float(text: str | None, default: float) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        return default
    return value if math.isfinite(value) else default


def _fraction(answer: Element) -> float:
    """Return an answer's weight as a fraction (Moodle writes a percentage)."""
    return round(_float(answer.get("fraction"), 0.0) / 100, 7)


def _feedback(answer: Element, fmt: str) -> dict:
    feedback_fmt, feedback = rich_of(answer, "feedback", fmt)
    return rich("feedback", feedback, feedback_fmt)


def multichoice(element: Element, label: str, notes: list[Note]) -> dict | None:
    """Read a multichoice: one right answer (single) or weights adding up to 100%."""
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    question = _base(
        element, "multichoice" if single else "multiresponse", label, notes
    )
    items = []
    for answer in element.findall("answer"):
        fmt = _FORMATS.get(answer.get("format") or "", question["format"])
        items.append({**rich("text", text_of(answer), fmt), "fraction": _fraction(answer),
                      **_feedback(answer, question["format"])})  # fmt: skip
    fractions = [c["fraction"] for c in items]
    positive = sum(f for f in fractions if f > 0)
    if len(items) < 2 or not all(c["text"] for c in items):
        return _refuse(notes, label, _l("A multiple-choice question needs 2 choices with text."))  # fmt: skip
    if single and max(fractions) != 1:
        return _refuse(notes, label, _l("No choice is worth full marks."))
    if not single and abs(positive - 1) > WEIGHT_SUM_TOLERANCE:
        return _refuse(notes, label, _l("The weights of the right choices do not add up to full marks."))  # fmt: skip
    ids = choice_ids([c["text"] for c in items])
    question["choices"] = [{"id": i, **c} for i, c in zip(ids, items, strict=True)]
    return question


def truefalse(element: Element, label: str, notes: list[Note]) -> dict | None:
    """Read a true/false question: the feedback of the right and of the wrong answer."""
    question = _base(element, "truefalse", label, notes)
    answers = {text_of(a).lower(): a for a in element.findall("answer")}
    if set(answers) != {"true", "false"}:
        return _refuse(notes, label, _l("A true/false question needs the answers 'true' and 'false'."))  # fmt: skip
    value = _fraction(answers["true"]) == 1
    right, wrong = (answers["true"], answers["false"]) if value else (answers["false"], answers["true"])  # fmt: skip
    fmt = question["format"]
    question["answer"] = value
    question |= {f"wrong_{k}": v for k, v in _feedback(wrong, fmt).items()}
    question |= {f"right_{k}": v for k, v in _feedback(right, fmt).items()}
    return question


def shortanswer(element: Element, label: str, notes: list[Note]) -> dict | None:
    """Read a short answer (always compared without case here)."""
    question = _base(element, "shortanswer", label, notes)
    if (element.findtext("usecase") or "0").strip() not in ("0", ""):
        notes.append(Note(label, _l("Case-sensitive answers: answers are compared without case here.")))  # fmt: skip
    answers = []
    for number, answer in enumerate(element.findall("answer"), start=1):
        value = text_of(answer)
        answers.append({"id": f"a{number}", "text": value, "text_html": render(value, "plain"),
                        "fraction": _fraction(answer), **_feedback(answer, question["format"])})  # fmt: skip
    if not answers or max(a["fraction"] for a in answers) != 1 or not all(a["text"] for a in answers):  # fmt: skip
        return _refuse(notes, label, _l("A short-answer question needs answers with text, one worth full marks."))  # fmt: skip
    question["answers"] = answers
    return question


def numerical(element: Element, label: str, notes: list[Note]) -> dict | None:
    """Read a numerical question: values with tolerances, `*` for any other number."""
    question = _base(element, "numerical", label, notes)
    if element.findall("units/unit"):
        notes.append(
            Note(label, _l("Units were left out: answers are plain numbers here."))
        )
    answers = []
    for number, answer in enumerate(element.findall("answer"), start=1):
        value = text_of(answer)
        fields = {"id": f"a{number}"}
        if value == "*":
            fields["kind"] = "any"
        else:
            number_value = _float(value, math.nan)
            tolerance = abs(_float(answer.findtext("tolerance"), 0.0))
            if math.isnan(number_value):
                return _refuse(
                    notes, label, _l("'%(value)s' is not a number.", value=value)
                )
            fields |= {"kind": "value", "value": number_value, "tolerance": tolerance}
        answers.append({**fields, "fraction": _fraction(answer), **_feedback(answer, question["format"])})  # fmt: skip
    if not answers or max(a["fraction"] for a in answers) != 1:
        return _refuse(notes, label, _l("A numerical question needs an answer worth full marks."))  # fmt: skip
    question["answers"] = answers
    return question


def matching(element: Element, label: str, notes: list[Note]) -> dict | None:
    """Read a matching question; a subquestion without text is an extra wrong answer."""
    question = _base(element, "matching", label, notes)
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        fmt = _FORMATS.get(sub.get("format") or "", question["format"])
        text, answer = text_of(sub), text_of(sub, "answer")
        fields = {"answer": answer, "answer_html": render(answer, "plain")}
        if text:
            pairs.append(
                {"id": f"p{len(pairs) + 1}", **rich("text", text, fmt), **fields}
            )
        elif answer:
            distractors.append(fields)
    if len(pairs) < 2 or not all(p["answer"] for p in pairs):
        return _refuse(
            notes, label, _l("A matching question needs 2 pairs with an answer.")
        )
    question |= {"pairs": pairs, "distractors": distractors}
    return question


def essay(element: Element, label: str, notes: list[Note]) -> dict | None:
    """Read an essay: a written answer a teacher grades."""
    question = _base(element, "essay", label, notes)
    if _float(element.findtext("attachments"), 0) != 0:
        notes.append(Note(label, _l("File attachments: answers are written in the browser here.")))  # fmt: skip
    for tag, what in (("graderinfo", _l("The information for graders was left out.")),
                      ("responsetemplate", _l("The response template was left out."))):  # fmt: skip
        if text_of(element, tag):
            notes.append(Note(label, what))
    return question


def description(element: Element, label: str, notes: list[Note]) -> dict | None:
    """Read a description: text between questions, not graded (GIFT gives it no feedback)."""
    question = _base(element, "description", label, notes)
    if question["general_feedback"]:
        notes.append(Note(label, _l("The general feedback of a description was left out.")))  # fmt: skip
        question |= rich("general_feedback", "", question["general_feedback_format"])
    return question


def _refuse(notes: list[Note], label: str, why) -> None:
    notes.append(Note(label, _l("Not carried over: %(why)s", why=why)))


BUILDERS: dict[str, Callable[[Element, str, list[Note]], dict | None]] = {
    "multichoice": multichoice,
    "truefalse": truefalse,
    "shortanswer": shortanswer,
    "numerical": numerical,
    "matching": matching,
    "essay": essay,
    "description": description,
}
