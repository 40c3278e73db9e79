"""Quiz exchange with Moodle: a quiz's questions as GIFT or Moodle XML, and Moodle XML into a quiz."""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from flask_babel import lazy_gettext as _l

from lms.authoring import drafts
from lms.content.errors import ContentError
from lms.content.limits import LimitError, check_size
from lms.models import Activity, Course, Module
from lms.quiz import parse_gift, to_gift
from lms.quiz.moodle_xml import to_moodle_xml
from lms.quiz.moodle_xml_read import read_moodle_xml
from lms.quiz.moodle_xml_types import Note

#: What `export_quiz` writes: file suffix and media type of each format.
EXPORT_FORMATS = {
    "gift": (".gift", "text/plain; charset=utf-8"),
    "moodle-xml": (".xml", "application/xml; charset=utf-8"),
}


@dataclass
class Converted:
    """A Moodle XML file as a GIFT quiz body, with what could not come along."""

    gift: str
    questions: int
    notes: list[Note]


def export_quiz(activity: Activity, fmt: str) -> str:
    """Return the quiz's questions (as learners take them) in `fmt` ("gift" or "moodle-xml")."""
    questions = activity.spec.get("questions", [])
    return to_gift(questions) if fmt == "gift" else to_moodle_xml(questions)


def export_name(activity: Activity, fmt: str) -> str:
    """Return a download name for the export: `<module>-<activity>.gift`."""
    return activity.key.replace("/", "-") + EXPORT_FORMATS[fmt][0]


def gift_from_moodle_xml(data: bytes, path: str) -> Converted:
    """Convert a Moodle XML file to GIFT, keeping each question only if GIFT reads it back whole.

    Raise ContentError for a file that cannot be read at all (or whose result is past a limit).
    """
    questions, notes = read_moodle_xml(data, path)
    kept = []
    for question in questions:
        try:
            back = parse_gift(to_gift([question]), path)
        except (ValueError, ContentError) as error:
            why = _l("Not carried over: %(why)s", why=str(error))
            notes.append(Note(question["name"] or question["key"], why))
            continue
        if [_compared(q) for q in back] != [_compared(question)]:  # a safety net
            why = _l(
                "Not carried over: %(why)s", why="GIFT does not read it back the same"
            )
            notes.append(Note(question["name"] or question["key"], why))
            continue
        kept.append(question)
    if not [q for q in kept if q["type"] != "description"]:
        raise ContentError(path, 1, "the file has no question that can be carried over")
    gift = to_gift(kept)
    try:
        check_size(gift)
    except LimitError as error:
        raise ContentError(path, 1, error.message) from None
    return Converted(gift, len(kept), notes)


def _compared(question: dict) -> dict:
    return {k: v for k, v in question.items() if k not in ("key", "line")}


def quiz_source(title: str, gift: str) -> str:
    """Return a quiz file: front matter with the title, then the questions."""
    front = yaml.safe_dump({"title": title.strip(), "minutes": 10}, allow_unicode=True, sort_keys=False)  # fmt: skip
    return f"---\n{front}---\n{gift}"


def import_moodle_xml(
    course: Course, module: Module, key: str, title: str, data: bytes, author_id: int
) -> tuple[Activity, Converted]:
    """Add a draft quiz holding the file's questions at the end of the module.

    Raise ContentError (nothing is created) for a file that cannot be read, and
    AuthoringError for a key that is taken or malformed.
    """
    converted = gift_from_moodle_xml(data, f"{key}.xml")
    activity = drafts.create_activity(course, module, "quiz", key, title, author_id)
    drafts.save_draft(activity, quiz_source(title, converted.gift), author_id,
                      activity.version, "Imported from Moodle XML")  # fmt: skip
    return activity, converted
