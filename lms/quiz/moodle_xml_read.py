"""Read Moodle XML question files into our questions, listing whatever cannot come along."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import lazy_gettext as _l

from lms.content.errors import ContentError
from lms.content.limits import (
    MAX_CHOICES,
    MAX_MOODLE_XML_BYTES,
    MAX_QUESTIONS,
    MAX_QUIZ_CHOICES,
    LimitError,
    too_many,
)
from lms.content.render import one_renderer
from lms.quiz.gift import _with_keys
from lms.quiz.moodle_xml import MOODLE_TYPES
from lms.quiz.moodle_xml_types import BUILDERS, Note, text_of

_GRADED_CHILDREN = ("answer", "subquestion")


def read_moodle_xml(data: bytes, path: str) -> tuple[list[dict], list[Note]]:
    """Read a Moodle XML file: (questions, notes on what was left out); ContentError if unreadable.

    The file is parsed without DTDs or entities (defusedxml) and only up to the named limits.
    """
    if len(data) > MAX_MOODLE_XML_BYTES:
        kb = -(-len(data) // 1024)
        raise ContentError(path, 1, _l("The file is %(size)s KB; the limit is %(limit)s KB (MAX_MOODLE_XML_BYTES).", size=kb, limit=MAX_MOODLE_XML_BYTES // 1024))  # fmt: skip
    try:
        root = fromstring(data, forbid_dtd=True)
    except ParseError as error:
        line = error.position[0] if error.position else 1
        raise ContentError(path, line, f"not well-formed XML: {error}") from None
    except DefusedXmlException:
        raise ContentError(path, 1, "the file declares a DTD or entities, which are refused") from None  # fmt: skip
    if root.tag != "quiz":
        raise ContentError(path, 1, f"a Moodle XML question file starts with <quiz>, not <{root.tag}>")  # fmt: skip
    _check_limits(root, path)
    questions: list[dict] = []
    notes: list[Note] = []
    category = None
    with one_renderer():
        for number, element in enumerate(root.findall("question"), start=1):
            kind = element.get("type", "")
            if kind == "category":
                category = _category(text_of(element, "category"))
                continue
            label = text_of(element, "name") or f"#{number}"
            if kind not in set(MOODLE_TYPES.values()):
                notes.append(Note(label, _l("Question type '%(type)s' is not graded here.", type=kind)))  # fmt: skip
                continue
            try:
                question = BUILDERS[kind](element, label, notes)
            except LimitError as error:
                raise ContentError(path, 1, f"{label}: {error.message}") from None
            if question is not None:
                questions.append({**question, "line": number, "category": category})
    return _with_keys(questions), notes


def _check_limits(root: Element, path: str) -> None:
    """Refuse files past MAX_QUESTIONS, MAX_CHOICES or MAX_QUIZ_CHOICES before reading them."""
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    if len(questions) > MAX_QUESTIONS:
        error = too_many(
            len(questions), MAX_QUESTIONS, "MAX_QUESTIONS", _l("Questions")
        )
        raise ContentError(path, 1, error.message)
    total = 0
    for question in questions:
        count = sum(len(question.findall(tag)) for tag in _GRADED_CHILDREN)
        total += count
        if count > MAX_CHOICES:
            what = _l("Choices or answers of one question")
            raise ContentError(path, 1, too_many(count, MAX_CHOICES, "MAX_CHOICES", what).message)  # fmt: skip
        if total > MAX_QUIZ_CHOICES:
            what = _l("Choices, answers and pairs of the whole quiz")
            raise ContentError(path, 1, too_many(total, MAX_QUIZ_CHOICES, "MAX_QUIZ_CHOICES", what).message)  # fmt: skip


def _category(path: str) -> str | None:
    """Turn `$course$/top/Pelatihan/Dasar` into `Pelatihan/Dasar` (None for the top)."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts) or None
