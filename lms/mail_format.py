"""Composing emails: the recipient's language, and the HTML part made from the plain text."""

from __future__ import annotations

import re
from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup, escape

#: A link in a plain-text email: a scheme, then anything up to a space or a quote (linear).
_LINK = re.compile(r"https?://[^\s<>\"']+")
#: Characters that end a sentence rather than a link.
_TRAILING = ".,;:!?)"


def recipient_locale(locale: str | None) -> str:
    """Return the language to write to someone in: theirs when supported, else the default."""
    languages = current_app.config["LMS_LANGUAGES"]
    return locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def recipient_language(locale: str | None):
    """Compose what is inside in the recipient's language (their setting, else the default)."""
    with force_locale(recipient_locale(locale)):
        yield


def _linked(line: str) -> Markup:
    out, start = [], 0
    for match in _LINK.finditer(line):
        url = match.group(0)
        tail = len(url) - len(url.rstrip(_TRAILING))
        url = url[: len(url) - tail] if tail else url
        out.append(escape(line[start : match.start()]))
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        start = match.start() + len(url)
    out.append(escape(line[start:]))
    return Markup("").join(out)


def html_from_text(text: str, subject: str, locale: str) -> str:
    """Return the HTML part of a plain-text email: paragraphs, line breaks and links kept."""
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    body = Markup("\n").join(
        Markup("<p>{}</p>").format(
            Markup("<br>\n").join(_linked(line) for line in p.split("\n"))
        )
        for p in paragraphs
    )
    return str(
        Markup(
            '<!doctype html>\n<html lang="{}"><head><meta charset="utf-8">'
            "<title>{}</title></head>\n<body>\n{}\n</body></html>\n"
        ).format(locale, subject, body)
    )
