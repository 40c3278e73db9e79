"""The one place where author text becomes HTML: Markdown rendering and sanitizing.

Everything an author writes (lessons, question text, feedback, summaries) passes through
`render_markdown` or `sanitize_html` once, when content is imported or saved. Templates then
output the stored result with `|safe`; nothing else is ever marked safe.
"""

from __future__ import annotations

import html
import re

import bleach
import markdown

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
    "img": ["src", "alt", "title", "width", "height", "loading"],
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
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_attribute_filter,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return cleaner.clean(raw)


def render_markdown(text: str) -> str:
    """Render author Markdown (tables, fenced code, heading anchors) to sanitized HTML."""
    md = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS, extension_configs=_toc_config()
    )
    return sanitize_html(md.convert(text))


def render_plain(text: str) -> str:
    """Render plain text as escaped HTML, keeping line breaks."""
    return (
        "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>"
        if text.strip()
        else ""
    )


def render_text(text: str, fmt: str = "markdown") -> str:
    """Render text written in one of GIFT's formats (markdown, html, plain, moodle) to safe HTML."""
    fmt = (fmt or "markdown").lower()
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
