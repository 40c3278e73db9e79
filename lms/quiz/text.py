"""Text pieces shared by the quiz readers and writer: GIFT escapes, format tags, rendering."""

from __future__ import annotations

import hashlib
import re

from flask_babel import lazy_gettext as _l

from lms.content.render import render_text

FORMATS = ("markdown", "html", "plain", "moodle")

BLANK = "_____"
#: Stands for the answer block of a missing-word question until the text is rendered.
BLANK_MARK = "\ufdef"

# Each escape `\X` becomes two Unicode noncharacters, so offsets (and line numbers) stay put
# while the control characters it hides are invisible to the splitting code.
_ESCAPE_MARK = "\ufdd0"
_ESCAPABLE = "\\:#={}~n"
_CODES = {c: chr(0xFDD1 + i) for i, c in enumerate(_ESCAPABLE)}
_CHARS = {code: ("\n" if c == "n" else c) for c, code in _CODES.items()}
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_HIDDEN = re.compile(_ESCAPE_MARK + "([\ufdd1-\ufdd8])")
NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")

# `[word]` at the start of a text is a format tag; an unknown word followed by `(` or `[`
# is the start of a Markdown link (`[SPBE](https://...)`) and stays text.
_FORMAT_TAG = re.compile(r"\[([A-Za-z]+)\]([(\[])?")
_RENDER_BLANK = "KELASASNBLANKMARK"


def protect(text: str) -> str:
    """Hide GIFT escapes (`\\~`, `\\n`, `\\\\`...) so splitting on control characters skips them."""
    return _ESCAPE.sub(lambda m: _ESCAPE_MARK + _CODES[m.group(1)], text)


def unprotect(text: str) -> str:
    """Turn hidden escapes back into the characters they stand for."""
    return _HIDDEN.sub(lambda m: _CHARS[m.group(1)], text)


def escape(text: str) -> str:
    """Escape text so that GIFT reads it back unchanged."""
    out = text.replace("\\", "\\\\")
    for char in ":#={}~":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\n")


def split_format(protected: str, default: str) -> tuple[str, str]:
    """Return (format, text) of a protected GIFT text: a leading `[format]` tag wins.

    Raise ValueError for a tag that is not one of FORMATS.
    """
    text = protected.strip()
    fmt = default
    match = _FORMAT_TAG.match(text)
    if match and (match.group(1).lower() in FORMATS or not match.group(2)):
        fmt = match.group(1).lower()
        if fmt not in FORMATS:
            raise ValueError(
                _l(
                    "unknown text format [%(format)s]: use one of %(formats)s",
                    format=match.group(1),
                    formats=", ".join(f"[{f}]" for f in FORMATS),
                )
            )
        text = text[match.end(1) + 1 :]
    return fmt, unprotect(text).strip()


def render(text: str, fmt: str) -> str:
    """Render author text to sanitized HTML (empty text gives empty HTML)."""
    return render_text(text, fmt) if text.strip() else ""


def render_with_blank(text: str, fmt: str, blank_at: int | None) -> str:
    """Render question text, showing the missing word's answer position as a visible blank."""
    if blank_at is None:
        return render(text, fmt)
    # A word token survives every format; the underscores would turn into Markdown emphasis.
    marked = text[:blank_at] + _RENDER_BLANK + text[blank_at + len(BLANK) :]
    return render_text(marked, fmt).replace(_RENDER_BLANK, BLANK)


def rich(prefix: str, text: str, fmt: str) -> dict:
    """Return the raw text, its format and its HTML under keys named after `prefix`."""
    fmt_key = "format" if prefix == "text" else f"{prefix}_format"
    return {prefix: text, fmt_key: fmt, f"{prefix}_html": render(text, fmt)}


def choice_ids(texts: list[str]) -> list[str]:
    """Give each choice an id from its text, so ids say nothing about position or correctness.

    Equal texts get `-2`, `-3`... in order; a counter per text keeps this linear in the choices.
    """
    ids: list[str] = []
    taken: set[str] = set()
    next_number: dict[str, int] = {}
    for text in texts:
        ident = base = "c" + hashlib.sha1(text.encode()).hexdigest()[:8]
        if base in taken:
            number = next_number.get(base, 2)
            ident = f"{base}-{number}"
            next_number[base] = number + 1
        taken.add(ident)
        ids.append(ident)
    return ids


def slugify(name: str) -> str:
    """Make a question key from its name, keeping Indonesian words readable."""
    value = re.sub(r"[^\w\s-]", "", name.lower()).strip()
    return re.sub(r"[\s_-]+", "-", value).strip("-")[:80]
