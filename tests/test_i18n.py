"""The interface speaks Indonesian by default and English on request; the catalogues stay complete."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "lms" / "translations"


def test_indonesian_is_the_default(client):
    page = client.get("/courses/").get_data(as_text=True)
    assert '<html lang="id">' in page and "Katalog kursus" in page


def test_english_from_accept_language(client):
    page = client.get(
        "/courses/", headers={"Accept-Language": "en-US,en;q=0.9"}
    ).get_data(as_text=True)
    assert '<html lang="en">' in page and "Course catalogue" in page


def test_language_switcher_is_remembered(client, make_user, auth):
    client.post("/language", data={"locale": "en", "next": "/courses/"})
    assert "Course catalogue" in client.get("/courses/").get_data(as_text=True)
    user = make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/language", data={"locale": "id"})
    assert user.locale == "id"
    page = client.get("/courses/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Katalog kursus" in page  # the account's choice beats the browser's


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "xx"})
    assert "Katalog kursus" in client.get("/courses/").get_data(as_text=True)


def _messages(path):
    with open(path, "rb") as handle:
        return {
            m.id if isinstance(m.id, str) else m.id[0]: m
            for m in read_po(handle)
            if m.id
        }


def test_template_gettext_translates_escapes_and_follows_the_locale(app):
    """Templates use a faster gettext than Flask-Babel's; it must behave the same."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = (
        "{{ _('Courses') }}|{{ _('%(x)s', x='<b>') }}|{{ _('100%%') }}"
        "|{{ ngettext('%(num)d attempt left', '%(num)d attempts left', 2) }}"
    )
    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        assert render_template_string(page) == "Kursus|&lt;b&gt;|100%|sisa 2 kesempatan"
        with force_locale("en"):
            assert render_template_string("{{ _('Courses') }}") == "Courses"
        assert render_template_string("{{ _('Courses') }}") == "Kursus"


def test_catalogue_template_is_up_to_date(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            "--no-location",
            "--sort-output",
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    assert set(_messages(fresh)) == set(_messages(CATALOGUES / "messages.pot")), (
        "run `make translations`"
    )


def test_every_interface_text_has_an_indonesian_translation():
    template = _messages(CATALOGUES / "messages.pot")
    indonesian = _messages(CATALOGUES / "id" / "LC_MESSAGES" / "messages.po")
    untranslated = [
        k
        for k in template
        if k not in indonesian
        or not indonesian[k].string
        or (isinstance(indonesian[k].string, tuple) and not all(indonesian[k].string))
    ]
    assert untranslated == []


def test_dates_and_times_read_alike_in_each_language(app):
    """One style of date and time on every page: "7 Des 2026 12.44", never "7/12/26 12.44"."""
    from datetime import UTC, datetime

    from flask import render_template_string
    from flask_babel import force_locale

    moment = datetime(2026, 12, 7, 5, 44, tzinfo=UTC)  # 12.44 in Jakarta
    page = "{{ format_datetime(moment, 'short') }}|{{ format_date(moment) }}"
    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        assert (
            render_template_string(page, moment=moment) == "7 Des 2026 12.44|7 Des 2026"
        )
        with force_locale("en"):
            assert render_template_string(page, moment=moment) == (
                "Dec 7, 2026, 12:44\u202fPM|Dec 7, 2026"
            )


def test_numbers_follow_a_forced_locale_within_one_request(app):
    """An email to an English reader, written during an Indonesian request, says 4.5 (not 4,5)."""
    from flask_babel import force_locale

    from lms.i18n import format_number

    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        assert format_number(Decimal("4.50")) == "4,5"
        with force_locale("en"):
            assert format_number(Decimal("4.50")) == "4.5"
        assert format_number(4.5) == "4,5"
