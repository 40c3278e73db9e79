"""The named limits on what authors write: every reader refuses text past them, naming the limit.

Each limit keeps one parser's work bounded (see docs/course-format.md, "Limits"). Values are
generous for real courses: a long lesson is under 100 KB, a long quiz under 200 questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l

from lms.content.errors import ContentError

#: Bytes (UTF-8) of one course file (lesson, quiz, assignment, course.md, module.md) or text field.
MAX_TEXT_BYTES = 128 * 1024
#: Levels of nested Markdown lists and block quotes (4 columns of indentation or one `>` each),
#: and of HTML tags left open at any point of a text.
MAX_NESTING = 32
#: Characters of one Markdown block: the lines between two blank lines (a paragraph, a list, a table).
MAX_BLOCK_CHARS = 32_000
#: Link reference definitions `[label]: address` in one text.
MAX_LINK_REFERENCES = 1_000
#: Abbreviation definitions `*[ABBR]: meaning` in one text.
MAX_ABBREVIATIONS = 100
#: Headings in one text (each gets an anchor that must differ from the others).
MAX_HEADINGS = 500
#: Fenced code blocks (```) in one text.
MAX_CODE_BLOCKS = 200
#: Characters of a link's text `[...]`, or of its address and title `(...)`; longer is not a link.
MAX_LINK_CHARS = 2_000
#: Questions in one quiz file.
MAX_QUESTIONS = 500
#: Choices, answers or matching pairs of one question.
MAX_CHOICES = 50
#: Choices, answers and matching pairs of all the questions of one quiz file together.
MAX_QUIZ_CHOICES = 2_000
#: Bytes of one Moodle XML question file read for import (its texts then face the limits above).
MAX_MOODLE_XML_BYTES = 1024 * 1024


class LimitError(ValueError):
    """A text is larger or deeper than a named limit; the message names the limit."""

    def __init__(self, message, line: int | None = None):
        super().__init__(message)
        #: What is wrong, naming the limit: a lazy string, translated where it is shown.
        self.message = message
        #: The text's line (1 for the first) where the limit is passed, if one line is to blame.
        self.line = line

    def __str__(self) -> str:
        return str(self.message)


def check_size(text: str) -> None:
    """Refuse a text of more than MAX_TEXT_BYTES."""
    # Four bytes per character at most: most texts are cleared without encoding them.
    if len(text) * 4 > MAX_TEXT_BYTES:
        check_byte_count(len(text.encode()))


def check_byte_count(count: int) -> None:
    """Refuse `count` bytes of text if that is more than MAX_TEXT_BYTES."""
    if count > MAX_TEXT_BYTES:
        raise LimitError(
            _l(
                "The text is %(size)s KB; the limit is %(limit)s KB (MAX_TEXT_BYTES). "
                "Split it into several activities.",
                size=-(-count // 1024),
                limit=MAX_TEXT_BYTES // 1024,
            ),
            1,
        )


def too_many(count: int, limit: int, name: str, what) -> LimitError:
    """Return the error for `count` things where at most `limit` are read."""
    return LimitError(
        _l(
            "%(what)s: %(count)s, more than the limit of %(limit)s (%(name)s).",
            what=what,
            count=count,
            limit=limit,
            name=name,
        )
    )


def too_deep(depth: int, line: int) -> LimitError:
    """Return the error for a line nested `depth` levels deep."""
    return LimitError(
        _l(
            "Nested %(depth)s levels deep; the limit is %(limit)s levels (MAX_NESTING).",
            depth=depth,
            limit=MAX_NESTING,
        ),
        line,
    )


@contextmanager
def reported_in(path: str, first_line: int = 1) -> Iterator[None]:
    """Turn a LimitError raised inside into a ContentError at its line of the file `path`.

    `first_line` is the file line of the text's first line (the body starts after front matter).
    """
    try:
        yield
    except LimitError as error:
        line = first_line + (error.line or 1) - 1
        raise ContentError(path, line, error.message) from None


#: Questions and sections of one survey file together.
MAX_SURVEY_ITEMS = 200
#: Characters of one survey question's text, section title or choice.
MAX_SURVEY_TEXT_CHARS = 1_000
#: Characters of one short text answer to a survey question.
MAX_SHORT_ANSWER_CHARS = 300
#: Characters of one long text answer to a survey question.
MAX_LONG_ANSWER_CHARS = 5_000
