"""Measure a Markdown text in one pass before it is rendered, refusing what passes a named limit.

Python-Markdown (and the HTML parser inside it) has cases whose cost grows with the square of a
paragraph's length, the depth of nesting or the number of some constructs. Each is bounded here:
the text is read once, line by line, and the first limit passed raises a LimitError at its line.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from lms.content import limits
from lms.content.html_tags import TagScanner
from lms.content.limits import LimitError, check_size, too_deep, too_many

#: A code fence: three or more backticks or tildes at the start of a line, and what follows.
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
#: What may follow an opening fence: a language name, as in ```python.
_FENCE_INFO = re.compile(r" *\.?[\w#.+-]* *")
#: Spaces, tabs, block-quote markers and list markers at the start of a line.
_NESTING = re.compile(r"(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")
_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")
_LINK_REFERENCE = re.compile(r" {0,3}\[[^\]]*\]:")
_HEADING = re.compile(r" {0,3}#|[=-]+ *$")

#: What is counted in a text: (limit, its name, what the error calls it).
COUNTED = {
    "reference": (
        "MAX_LINK_REFERENCES",
        _l("Link references “[label]: address”"),
    ),
    "abbreviation": ("MAX_ABBREVIATIONS", _l("Abbreviations “*[ABBR]: meaning”")),
    "heading": ("MAX_HEADINGS", _l("Headings")),
    "code": ("MAX_CODE_BLOCKS", _l("Fenced code blocks")),
}


def check_markdown(text: str) -> None:
    """Raise LimitError if rendering `text` would pass a limit of `lms.content.limits`."""
    check_size(text)
    counts = dict.fromkeys(COUNTED, 0)
    tags = TagScanner(in_markdown=True)
    fence, fence_line = "", 0
    block_chars = block_line = 0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if fence:
            if line.rstrip(" ") == fence:
                fence = ""
            continue
        opened = _FENCE.match(line)
        if opened and _opens_code(opened, number):
            # Counted with the lines around it (no blank line between): the safe side.
            fence, fence_line = opened.group(1), number
            _count(counts, "code", number)
            continue
        if not line.strip():
            block_chars = 0
            continue
        if not block_chars:
            block_line = number
        block_chars += len(line) + 1
        if block_chars > limits.MAX_BLOCK_CHARS:
            raise _long_block(block_line)
        _check_line(line, number, counts)
        tags.scan(line, number)
    if fence:
        raise LimitError(
            _l(
                "The code block opened with %(fence)s is not closed by a line %(fence)s.",
                fence=fence,
            ),
            fence_line,
        )


def _opens_code(opened: re.Match, number: int) -> bool:
    """Tell whether a line starting with ``` opens a code block, as Python-Markdown reads it."""
    info = opened.group(2)
    if _FENCE_INFO.fullmatch(info):
        return True
    if "{" in info or "hl_lines" in info:
        # Python-Markdown reads these too, in ways this check does not follow line by line.
        raise LimitError(
            _l(
                "A code fence may be followed only by a language name, as in ```python."
            ),
            number,
        )
    return False


def _check_line(line: str, number: int, counts: dict[str, int]) -> None:
    """Check one line's nesting and count the definitions and headings it holds."""
    prefix = _NESTING.match(line).group()
    markers = len(_MARKER.findall(prefix))
    columns = len(_MARKER.sub("", prefix).expandtabs(4))
    depth = markers + columns // 4
    if depth > limits.MAX_NESTING:
        raise too_deep(depth, number)
    if _LINK_REFERENCE.match(line):
        _count(counts, "reference", number)
    if line.startswith("*["):
        _count(counts, "abbreviation", number)
    if _HEADING.match(line):
        _count(counts, "heading", number)


def _count(counts: dict[str, int], what: str, number: int) -> None:
    counts[what] += 1
    name, label = COUNTED[what]
    limit = getattr(limits, name)
    if counts[what] > limit:
        error = too_many(counts[what], limit, name, label)
        error.line = number
        raise error


def _long_block(line: int) -> LimitError:
    return LimitError(
        _l(
            "The paragraph starting here is longer than %(limit)s characters "
            "(MAX_BLOCK_CHARS). Separate paragraphs, lists and tables with blank lines.",
            limit=limits.MAX_BLOCK_CHARS,
        ),
        line,
    )
