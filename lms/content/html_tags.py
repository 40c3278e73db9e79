"""Follow the HTML tags of a text in one pass: how deep they nest, and (in Markdown) how they close.

Two parsers read author HTML: Python-Markdown's copy of `html.parser` (in Markdown texts) and
html5lib (in the sanitizer). html5lib's cost grows with how deep tags nest, so the open tags are
counted. `html.parser` reads a tag that never closes to the end of the text, and then again from
the next `<`, so in Markdown a tag must close on its own line: that keeps its reading linear.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from lms.content.limits import MAX_NESTING, LimitError, too_deep

#: Tags that never hold others, or that the parser closes by itself: they add no depth.
FLAT_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "colgroup",
        "dd",
        "dt",
        "embed",
        "hr",
        "img",
        "input",
        "li",
        "link",
        "meta",
        "option",
        "optgroup",
        "p",
        "param",
        "rb",
        "rp",
        "rt",
        "source",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "track",
        "wbr",
    ]
)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
#: Inside a start tag: where `html.parser` may stop (`>` or a backtick) or a value may start.
_TAG_STOP = re.compile(r"[>`=]")
_SPACES = re.compile(r"[ \t\n\r\f=]*")
_CODE_SPAN = re.compile(r"`+")


class TagScanner:
    """The tags left open so far in a text, fed line by line (Markdown) or whole (HTML)."""

    def __init__(self, in_markdown: bool):
        #: In Markdown a tag must close on its line (`html.parser` reads it); in HTML it need not.
        self.in_markdown = in_markdown
        self.open_tags: list[str] = []
        self.open_counts: dict[str, int] = {}
        self.in_comment = False

    def scan(self, text: str, line: int) -> None:
        """Read the tags of `text`, whose first line is line `line` of the whole text."""
        spans = iter(_code_spans(text) if self.in_markdown else [])
        span = next(spans, None)
        pos = self._after_comment(text, 0) if self.in_comment else 0
        while pos >= 0:
            start = text.find("<", pos)
            if start < 0:
                return
            while span is not None and span[1] <= start:
                span = next(spans, None)
            in_code = span is not None and span[0] <= start
            pos = self._read_tag(text, start, line, in_code)

    def _read_tag(self, text: str, start: int, line: int, in_code: bool) -> int:
        """Read what `<` at `start` opens; return where to go on reading (-1: the end)."""
        after = text[start + 1 : start + 2]
        if text.startswith("<!--", start):
            return self._after_comment(text, start + 4)
        if after.isascii() and after.isalpha():
            end, closed = self._start_tag_end(text, start, line)
            name = _NAME.match(text, start + 1)
            # `<https://...>` and `<nama@instansi.go.id>` are Markdown links, not tags.
            after_name = text[name.end() : name.end() + 1]
            is_tag = after_name in ("", ">", "/") or after_name.isspace()
            holds_nothing = text.startswith("/>", end - 2)  # `<x/>`
            counted = closed and is_tag and not in_code and not holds_nothing
            if counted and self._open(name.group().lower()):
                raise too_deep(len(self.open_tags), _line_of(text, start, line))
            return end
        if after in ("/", "!", "?"):
            end = text.find(">", start + 2)
            if end < 0:
                return self._not_closed(text, start, line)
            name = _NAME.match(text, start + 2)
            if after == "/" and name and not in_code:
                self._close(name.group().lower())
            return end + 1
        return start + 1

    def _start_tag_end(self, text: str, start: int, line: int) -> tuple[int, bool]:
        """Return where the start tag at `start` ends, and whether `>` ends it."""
        pos = start + 1
        while True:
            stop = _TAG_STOP.search(text, pos)
            if stop is None:
                return self._not_closed(text, start, line), False
            if stop.group() == ">":
                return stop.end(), True
            if stop.group() == "`":  # html.parser stops here and reads the tag as text
                return stop.start(), False
            value = _SPACES.match(text, stop.end()).end()
            quote = text[value : value + 1]
            if quote not in ('"', "'"):
                pos = value
                continue
            closing = text.find(quote, value + 1)
            if closing < 0:
                if not self.in_markdown:
                    return len(text), False
                raise LimitError(
                    _l(
                        "A quoted value in the HTML tag “%(tag)s” is not closed on its line.",
                        tag=_tag_start(text, start),
                    ),
                    line,
                )
            pos = closing + 1

    def _not_closed(self, text: str, start: int, line: int) -> int:
        """Refuse a tag that does not close (in Markdown); in HTML the rest is inside the tag."""
        if not self.in_markdown:
            return -1
        raise LimitError(
            _l(
                "The HTML tag “%(tag)s” is not closed by “>” on its line. "
                "Write &lt; for a “<” sign.",
                tag=_tag_start(text, start),
            ),
            line,
        )

    def _after_comment(self, text: str, pos: int) -> int:
        """Skip to the end of an HTML comment (it may go on over several lines)."""
        end = text.find("-->", pos)
        self.in_comment = end < 0
        return -1 if end < 0 else end + 3

    def _open(self, name: str) -> bool:
        """Open tag `name`; return True when tags now nest deeper than MAX_NESTING."""
        if name in FLAT_TAGS:
            return False
        self.open_tags.append(name)
        self.open_counts[name] = self.open_counts.get(name, 0) + 1
        return len(self.open_tags) > MAX_NESTING

    def _close(self, name: str) -> None:
        """Close `name` and every tag opened inside it, as an HTML parser would."""
        if not self.open_counts.get(name):
            return
        while True:
            top = self.open_tags.pop()
            self.open_counts[top] -= 1
            if top == name:
                return


def check_html(text: str) -> None:
    """Raise LimitError if the HTML text's tags nest deeper than MAX_NESTING."""
    TagScanner(in_markdown=False).scan(text, 1)


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Return the code spans of a line: from a run of backticks to the next run as long."""
    runs = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(line)]
    if len(runs) < 2:
        return []
    later: dict[
        int, list[int]
    ] = {}  # run length -> indexes of the runs that long, last first
    for index in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[index][1] - runs[index][0], []).append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        same = later[end - start]
        while same and same[-1] <= index:
            same.pop()
        if same:
            closing = same.pop()
            spans.append((start, runs[closing][1]))
            index = closing + 1
        else:
            index += 1
    return spans


def _line_of(text: str, pos: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, pos)


def _tag_start(text: str, start: int) -> str:
    return text[start : start + 20].split()[0] if text[start:].strip() else "<"
