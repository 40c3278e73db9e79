"""Python-Markdown's link readers, reading each link in time bounded by MAX_LINK_CHARS.

Python-Markdown finds a link's closing `]` by rebuilding a table over the whole paragraph after
every link it reads, and its closing `)` by reading to the end of the paragraph from every `[a](`
that is not closed: both grow with the square of the paragraph. These readers look at most
MAX_LINK_CHARS characters past the bracket, with C-speed string searches, and decide as
Python-Markdown does; a link longer than that, or with brackets nested deeper than MAX_NESTING,
stays text.
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

from lms.content.limits import MAX_LINK_CHARS, MAX_NESTING

#: A quote, spaces, then `)`: where Python-Markdown ends a link whose title is quoted.
_QUOTE_CLOSE = re.compile(r"""(['"]) *\)""")
_PAREN = re.compile(r"[()]")


def closing(data: str, start: int, opening: str, closing: str, end: int) -> int | None:
    """Return the index just past what closes the bracket opened before `start`, or None.

    Only `data[start:end]` is read; brackets nested deeper than MAX_NESTING are not followed.
    """
    depth, pos = 1, start
    while True:
        found = data.find(closing, pos, end)
        if found < 0:
            return None
        depth += data.count(opening, pos, found) - 1
        if depth == 0:
            return found + 1
        if depth > MAX_NESTING:
            return None
        pos = found + 1


class BoundedLinkReading:
    """`getText` and `getLink` of Python-Markdown's link processors, in bounded time."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        """Return the link text that starts at `index`, up to its `]`."""
        end = closing(data, index, "[", "]", min(len(data), index + MAX_LINK_CHARS))
        if end is None:
            return "", len(data), False
        return data[index : end - 1], end, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        """Return the address, title and end of the `(...)` at `index`, as Python-Markdown reads it."""
        match = self.RE_LINK.match(data, pos=index)
        if not match or match.group(
            1
        ):  # not a link, or `(<address>)`: quick either way
            return super().getLink(data, index)
        start, end = match.end(), min(len(data), index + MAX_LINK_CHARS)
        quotes = [
            q
            for q in (data.find('"', start, end), data.find("'", start, end))
            if q >= 0
        ]
        quote = min(quotes) if quotes else end
        close = closing(data, start, "(", ")", quote)
        if close is not None:  # closed before any quote: the usual `[text](address)`
            return self._read(data, index, close)
        if not quotes:
            return "", None, index, False
        return self._quoted(data, index, start, quote, end)

    def _quoted(
        self, data: str, index: int, start: int, quote: int, end: int
    ) -> tuple[str, str | None, int, bool]:
        """Read a link whose `(...)` holds a quote before its closing `)` (a title, usually)."""
        depth = 1 + data.count("(", start, quote) - data.count(")", start, quote)
        if depth > MAX_NESTING:
            return "", None, index, False
        first, other = data[quote], "'" if data[quote] == '"' else '"'
        first_other = data.find(other, quote + 1, end)
        for found in _QUOTE_CLOSE.finditer(data, quote + 1, end):
            # `)` right after a quote ends the link once that quote closed the title.
            if found.group(1) == first or found.start() > first_other >= 0:
                return self._read(data, index, found.end())
        # No title closed: Python-Markdown ends the address where the brackets balance.
        parens = _PAREN.finditer(data, quote + 1, end)
        for count, paren in enumerate(parens, start=1):
            if count == depth:
                if paren.group() == "(":
                    break
                href = self.unescape(data[start : paren.start()]).strip()
                return href, None, paren.end(), True
        return "", None, index, False

    def _read(
        self, data: str, index: int, close: int
    ) -> tuple[str, str | None, int, bool]:
        """Let Python-Markdown read the `(...)` that ends just before `close`."""
        href, title, end, handled = super().getLink(data[index:close], 0)
        return href, title, index + end, handled


class _Link(BoundedLinkReading, LinkInlineProcessor):
    pass


class _Image(BoundedLinkReading, ImageInlineProcessor):
    pass


class _Reference(BoundedLinkReading, ReferenceInlineProcessor):
    pass


class _ImageReference(BoundedLinkReading, ImageReferenceInlineProcessor):
    pass


class _ShortReference(BoundedLinkReading, ShortReferenceInlineProcessor):
    pass


class _ShortImageReference(BoundedLinkReading, ShortImageReferenceInlineProcessor):
    pass


class BoundedLinks(Extension):
    """Replace Python-Markdown's six link readers with ones that read in bounded time."""

    def extendMarkdown(self, md) -> None:
        """Register the readers under the names and priorities of the ones they replace."""
        patterns = md.inlinePatterns
        patterns.register(_Reference(REFERENCE_RE, md), "reference", 170)
        patterns.register(_Link(LINK_RE, md), "link", 160)
        patterns.register(_Image(IMAGE_LINK_RE, md), "image_link", 150)
        patterns.register(
            _ImageReference(IMAGE_REFERENCE_RE, md), "image_reference", 140
        )
        patterns.register(_ShortReference(REFERENCE_RE, md), "short_reference", 130)
        patterns.register(
            _ShortImageReference(IMAGE_REFERENCE_RE, md), "short_image_ref", 125
        )
