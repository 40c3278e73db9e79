"""Every word a template shows a user goes through gettext, so both languages stay complete.

Each template is read with Jinja's lexer: its literal text (what is outside `{{ }}` and `{% %}`) is
parsed as HTML, and any text node or user-facing attribute (alt, title, aria-label, placeholder)
that holds letters fails the test, unless it is on the short allowlist of names and acronyms that
read the same in both languages.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[1] / "lms" / "templates"
#: Marks where a Jinja expression or statement stood in the literal text.
HOLE = "\x00"
#: Shown as they are in every language: names, acronyms and symbols.
ALLOWED = {
    "Kelas ASN",
    "NIP",
    "JP",
    "CSV",
    "XLSX",
    "PDF",
    "ZIP",
    "API",
    "IP",
    "KB",
    "MB",
    "GIFT",
    "Markdown",
    "English",  # the switcher names each language in that language
    "Bahasa Indonesia",
}
ALLOWED_WORDS = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ALLOWED), key=len, reverse=True)) + r")\b"
)
USER_FACING_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
#: Inputs whose value is their label.
BUTTON_INPUTS = {"submit", "button", "reset"}
#: Elements whose content is not text for people.
SKIPPED_ELEMENTS = {"script", "style"}
LETTER = re.compile(r"[^\W\d_]")


def literal_text(source: str) -> str:
    """Return the template's literal text, with HOLE wherever Jinja code stands."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    parts = []
    in_trans = False  # {% trans %} text is translated
    in_class = 0  # {% block main_class %}: CSS class names, not text
    previous = None
    for _line, kind, value in env.lex(source):
        if kind == "name" and previous == "block_begin":
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
            elif value == "endblock" and in_class:
                in_class -= 1
        if kind == "name" and previous == "name" and value.endswith("_class"):
            in_class += 1
        if in_class and kind == "data":
            parts.append(HOLE)
        elif kind == "data" and not in_trans:
            parts.append(value)
        elif kind in ("variable_begin", "block_begin") or (kind == "data" and in_trans):
            parts.append(HOLE)
        if kind not in ("whitespace",):
            previous = kind
    return "".join(parts)


class TextFinder(HTMLParser):
    """Collect the literal text nodes and user-facing attribute values that hold letters."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping: list[str] = []

    def _check(self, text: str, where: str) -> None:
        words = [w.strip() for w in text.split(HOLE)]
        for word in words:
            cleaned = word.strip(" \t\n·—–-:;,.()[]|/›→←✓%")
            if LETTER.search(ALLOWED_WORDS.sub("", cleaned)):
                self.found.append(f"{where}: {cleaned!r}")

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        buttons = tag == "input" and dict(attrs).get("type") in BUTTON_INPUTS
        for name, value in attrs:
            if value and (
                name in USER_FACING_ATTRIBUTES or buttons and name == "value"
            ):
                self._check(value, f'<{tag} {name}="…">')

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self._check(data, "text")


def untranslated(source: str) -> list[str]:
    """Return the user-facing literal texts of a template that are not translated."""
    finder = TextFinder()
    finder.feed(literal_text(source))
    finder.close()
    return finder.found


TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize(
    "path", TEMPLATE_FILES, ids=[str(p.relative_to(TEMPLATES)) for p in TEMPLATE_FILES]
)
def test_template_has_no_untranslated_text(path):
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_text_outside_gettext():
    source = """<h1>{{ _("Courses") }}</h1>
<p>Selamat datang, {{ user.name }}!</p>
<img src="{{ url }}" alt="Logo kota">
<button aria-label="{{ _('Close') }}">×</button>
<input placeholder="Cari {{ thing }}"><input type="submit" value="Kirim">
<script>var notText = "words";</script>
{% if x %}<span>NIP</span>{% endif %}<p>Kelas ASN API</p>
{% block main_class %}container wide{% endblock %}"""
    assert untranslated(source) == [
        "text: 'Selamat datang'",
        "<img alt=\"…\">: 'Logo kota'",
        "<input placeholder=\"…\">: 'Cari'",
        "<input value=\"…\">: 'Kirim'",
    ]
