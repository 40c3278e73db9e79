"""Write questions as Moodle XML, the format Moodle's question bank exports and imports."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, indent, tostring

#: Our text formats by the names Moodle XML gives them (`format="..."`).
FORMAT_NAMES = {
    "html": "html",
    "moodle": "moodle_auto_format",
    "plain": "plain_text",
    "markdown": "markdown",
}
#: Moodle's question types for ours (multiple answers are a multichoice with single=false).
MOODLE_TYPES = {
    "multichoice": "multichoice",
    "multiresponse": "multichoice",
    "truefalse": "truefalse",
    "shortanswer": "shortanswer",
    "numerical": "numerical",
    "matching": "matching",
    "essay": "essay",
    "description": "description",
}
#: Where Moodle files a category given by name: the course's own question bank.
CATEGORY_ROOT = "$course$/top"
# Characters XML 1.0 cannot hold at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_moodle_xml(questions: list[dict]) -> str:
    """Return a Moodle XML question file; raise ValueError for text XML cannot hold."""
    quiz = Element("quiz")
    category = None
    for number, question in enumerate(questions, start=1):
        if question.get("category") != category:
            category = question.get("category")
            path = f"{CATEGORY_ROOT}/{category}" if category else CATEGORY_ROOT
            _text(SubElement(SubElement(quiz, "question", type="category"), "category"), path)  # fmt: skip
        quiz.append(_question(question, number))
    indent(quiz)
    body = tostring(quiz, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _question(q: dict, number: int) -> Element:
    """Write one question with the elements Moodle's importer reads for its type."""
    kind = q["type"]
    element = Element("question", type=MOODLE_TYPES[kind])
    _text(SubElement(element, "name"), q["name"])
    _rich(element, "questiontext", q["text"], q["format"], number)
    if kind == "description":
        return element
    _rich(element, "generalfeedback", q["general_feedback"], q["general_feedback_format"], number)  # fmt: skip
    SubElement(element, "defaultgrade").text = "1"
    SubElement(element, "penalty").text = "0" if kind == "essay" else "0.3333333"
    SubElement(element, "hidden").text = "0"
    if kind in ("multichoice", "multiresponse"):
        SubElement(element, "single").text = str(kind == "multichoice").lower()
        SubElement(element, "shuffleanswers").text = "true"
        SubElement(element, "answernumbering").text = "abc"
        for choice in q["choices"]:
            _answer(element, choice["fraction"], choice["text"], choice["format"], choice, number)  # fmt: skip
    elif kind == "truefalse":
        for value in (True, False):
            right = value == q["answer"]
            feedback = "right_feedback" if right else "wrong_feedback"
            item = {"feedback": q[feedback], "feedback_format": q[f"{feedback}_format"]}
            _answer(element, 1.0 if right else 0.0, str(value).lower(), "moodle", item, number)  # fmt: skip
    elif kind == "shortanswer":
        SubElement(element, "usecase").text = "0"
        for answer in q["answers"]:
            _answer(element, answer["fraction"], answer["text"], "moodle", answer, number)  # fmt: skip
    elif kind == "numerical":
        for answer in q["answers"]:
            value, tolerance = _numerical(answer)
            node = _answer(element, answer["fraction"], value, "moodle", answer, number)
            SubElement(node, "tolerance").text = tolerance
    elif kind == "matching":
        SubElement(element, "shuffleanswers").text = "true"
        pairs = [(p["text"], p["format"], p["answer"]) for p in q["pairs"]]
        pairs += [("", "html", d["answer"]) for d in q["distractors"]]
        for text, fmt, answer in pairs:
            sub = _rich(element, "subquestion", text, fmt, number)
            _text(SubElement(sub, "answer"), answer, number)
    elif kind == "essay":
        for name, value in (("responseformat", "editor"), ("responserequired", "1"),
                            ("responsefieldlines", "10"), ("attachments", "0"),
                            ("attachmentsrequired", "0")):  # fmt: skip
            SubElement(element, name).text = value
    return element


def _answer(parent: Element, fraction: float, text: str, fmt: str, item: dict, number: int) -> Element:  # fmt: skip
    """Write an `<answer>` with its weight (a percentage) and its feedback."""
    node = SubElement(parent, "answer", fraction=percent(fraction), format=FORMAT_NAMES[fmt])  # fmt: skip
    _text(node, text, number)
    _rich(node, "feedback", item["feedback"], item["feedback_format"], number)
    return node


def _numerical(answer: dict) -> tuple[str, str]:
    """Return a numerical answer's value and tolerance; a range becomes its middle +- half."""
    if answer["kind"] == "any":
        return "*", "0"
    if answer["kind"] == "range":
        low, high = answer["min"], answer["max"]
        return _number((low + high) / 2), _number((high - low) / 2)
    return _number(answer["value"]), _number(answer["tolerance"])


def percent(fraction: float) -> str:
    """Write a fraction as Moodle's percentage with 7 decimals at most: 0.3333333 -> 33.33333."""
    text = f"{fraction * 100:.7f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _rich(parent: Element, tag: str, text: str, fmt: str, number: int) -> Element:
    """Write `<tag format="..."><text>...</text></tag>`."""
    node = SubElement(parent, tag, format=FORMAT_NAMES[fmt])
    _text(node, text, number)
    return node


def _text(parent: Element, text: str, number: int = 0) -> None:
    if _NOT_XML.search(text):
        raise ValueError(f"question {number}: a control character XML cannot hold")
    SubElement(parent, "text").text = text
