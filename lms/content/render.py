"""The one place where author text becomes HTML: Markdown rendering and sanitizing.

Everything an author writes (lessons, question text, feedback, summaries) passes through
`render_markdown` or `sanitize_html` once, when content is imported or saved. Templates then
output the stored result with `|safe`; nothing else is ever marked safe.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import bleach
import markdown
from bleach import html5lib_shim

from lms.content.html_tags import check_html
from lms.content.image_sizes import SizedImages
from lms.content.limits import check_size
from lms.content.markdown_check import check_markdown
from lms.content.markdown_links import BoundedLinks

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)

ALLOWED_ATTRIBUTES = {
    "*": ["id", "title", "lang", "dir"],
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height", "loading", "decoding"],
    "ol": ["start", "type"],
    "td": ["colspan", "rowspan", "align"],
    "th": ["colspan", "rowspan", "align", "scope"],
    "code": ["class"],
    "div": ["class"],
    "span": ["class"],
    "pre": ["class"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

_CLASS_OK = re.compile(
    r"^(language-[\w+-]+|codehilite|toc|admonition|note|warning|tip)$"
)

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc", "def_list", "abbr"]


#: The parser and sanitizer that `one_renderer` lends to every text rendered inside it.
_shared: ContextVar[tuple[markdown.Markdown, bleach.Cleaner] | None] = ContextVar(
    "shared_renderer", default=None
)


def _attribute_filter(tag: str, name: str, value: str) -> bool:
    """Decide whether one attribute survives sanitizing."""
    allowed = ALLOWED_ATTRIBUTES.get(tag, []) + ALLOWED_ATTRIBUTES["*"]
    if name not in allowed:
        return False
    if name == "class":
        return all(_CLASS_OK.match(c) for c in value.split())
    if name == "id":
        return re.fullmatch(r"[A-Za-z0-9_-]{1,100}", value) is not None
    if name in ("href", "src"):
        return url_scheme(value) in (None, *ALLOWED_PROTOCOLS)
    return True


def url_scheme(url: str) -> str | None:
    """Return the scheme a browser would see in `url` (lower-cased), or None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def sanitize_html(raw: str) -> str:
    """Return `raw` with everything that could run script or change the page removed."""
    shared = _shared.get()
    return (shared[1] if shared else _cleaner()).clean(raw)


def _cleaner() -> bleach.Cleaner:
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_attribute_filter,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[SizedImages],
    )
    cleaner.walker = _LinearTreeWalker
    return cleaner


class _LinearTreeWalker(html5lib_shim.getTreeWalker("etree")):
    """html5lib's ElementTree walker, finding an element's place among its siblings in O(1).

    The stock walker looks the place up with `list(parent).index(element)` each time it leaves an
    element, which made a table of 10,000 rows (or any long run of siblings) quadratic.
    """

    def __init__(self, tree):
        super().__init__(tree)
        self._places: dict[int, dict[int, int]] = {}

    def getParentNode(self, node):
        """Return the parent of `node`, as the stock walker does."""
        if not isinstance(node, tuple):
            return None
        element, key, parents, flag = node
        if flag == "text":
            return (element, key, parents, None) if parents else element
        parent = parents.pop()
        if not parents:
            return parent
        return parent, self._place(parents[-1], parent), parents, None

    def _place(self, grandparent, parent) -> int:
        places = self._places.get(id(grandparent))
        if places is None:
            places = {id(child): n for n, child in enumerate(grandparent)}
            self._places[id(grandparent)] = places
        return places[id(parent)]


def render_markdown(text: str) -> str:
    """Render author Markdown (tables, fenced code, heading anchors) to sanitized HTML.

    Raise LimitError (naming the limit and the line) for text past a limit of
    `lms.content.limits`: the rendering's cost stays bounded whatever the text.
    """
    check_markdown(text)
    shared = _shared.get()
    md = shared[0].reset() if shared else _markdown()
    return sanitize_html(md.convert(text))


@contextmanager
def one_renderer() -> Iterator[None]:
    """Render every text inside with one Markdown parser and one sanitizer, reset between texts.

    Building them costs more than rendering a short text; a quiz renders thousands of those.
    """
    token = _shared.set((_markdown(), _cleaner()))
    try:
        yield
    finally:
        _shared.reset(token)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, BoundedLinks()],
        extension_configs=_toc_config(),
    )


def render_plain(text: str) -> str:
    """Render plain text as escaped HTML, keeping line breaks."""
    return (
        "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>"
        if text.strip()
        else ""
    )


def render_text(text: str, fmt: str = "markdown") -> str:
    """Render text written in one of GIFT's formats (markdown, html, plain, moodle) to safe HTML.

    Raise LimitError for text past a limit of `lms.content.limits` (as `render_markdown` does).
    """
    fmt = (fmt or "markdown").lower()
    if fmt in ("html", "moodle"):
        check_size(text)
        check_html(text)
    if fmt == "html":
        return sanitize_html(text)
    if fmt == "plain":
        return render_plain(text)
    if fmt == "moodle":
        # Moodle auto-format: plain text with line breaks, but HTML tags allowed (then sanitized).
        return sanitize_html(text.replace("\n", "<br>\n"))
    if fmt == "markdown":
        return render_markdown(text)
    raise ValueError(f"unknown text format {fmt!r}")


def _slugify(value: str, separator: str) -> str:
    """Make a heading anchor that keeps Indonesian words readable."""
    value = re.sub(r"[^\w\s-]", "", value.lower()).strip()
    return re.sub(r"[\s_-]+", separator, value)[:80] or "bagian"


def _toc_config() -> dict:
    return {"toc": {"permalink": False, "slugify": _slugify}}
