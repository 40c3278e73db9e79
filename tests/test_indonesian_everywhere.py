"""Every page and every form error rendered in Indonesian holds no English message we can detect.

The detector knows every English message of our catalogue (and WTForms' own): a page fails when
its text holds a message's literal words whose Indonesian translation differs.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import url_for
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict
from wtforms.i18n import messages_path

from lms.forms import Form, wtforms_plural_messages
from tests.test_authorization_matrix import EXPECTED, url_for_rule, world  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)


def _english_phrases() -> set[str]:
    """Return the English phrases (three words or more) that Indonesian pages must not show."""
    phrases = set()
    with open(ROOT / "lms/translations/id/LC_MESSAGES/messages.po", "rb") as handle:
        ours = [(m.id, m.string) for m in read_po(handle) if m.id]
    with open(Path(messages_path()) / "wtforms.pot", "rb") as handle:
        theirs = [(m.id, None) for m in read_po(handle) if m.id]
    for msgid, msgstr in ours + theirs:
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        for text in ids:
            if text in strings:
                continue  # reads the same in both languages (a name, a format)
            for piece in PLACEHOLDER.split(text.replace("%%", "%")):
                piece = piece.strip(" .,:;()'\"")
                if len(piece.split()) >= 3 and re.search("[a-z]", piece):
                    phrases.add(piece)
    return phrases


ENGLISH = _english_phrases()


def _english_labels() -> set[str]:
    """Return our English messages whose Indonesian differs, short ones too ("Name", "Work unit")."""
    with open(ROOT / "lms/translations/id/LC_MESSAGES/messages.po", "rb") as handle:
        return {
            m.id
            for m in read_po(handle)
            if isinstance(m.id, str) and m.id and m.string and m.string != m.id
        }


ENGLISH_LABELS = _english_labels()


def english_in(text: str) -> list[str]:
    """Return the English phrases found in `text` (HTML or plain)."""
    plain = " ".join(html.unescape(TAG.sub(" ", text)).split())
    found = sorted(p for p in ENGLISH if p in plain)
    found += re.findall(r">\s*(True|False)\s*<", text)
    return found


def test_the_detector_finds_english():
    assert english_in("<p>This field is required.</p>") == ["This field is required"]
    assert english_in("<td>False</td>") == ["False"]
    assert english_in("<p>Isian ini wajib diisi.</p>") == []


def _all_forms() -> list[type]:
    import lms.api.forms
    import lms.auth.forms
    import lms.authoring.forms
    import lms.certificates.forms
    import lms.cohorts.forms
    import lms.ledger.forms
    import lms.lti.forms  # noqa: F401

    found, queue = [], [Form]
    while queue:
        for sub in queue.pop().__subclasses__():
            found.append(sub)
            queue.append(sub)
    return found


def test_every_form_error_is_in_indonesian(app):
    """Submit each form empty, then with over-long and wrong values: every error is Indonesian."""
    app.config["WTF_CSRF_ENABLED"] = True
    forms = _all_forms()
    assert len(forms) >= 15
    english, seen = [], 0
    for form_class in forms:
        for value in ("", "x" * 20_000, "bukan-angka@"):
            with app.test_request_context(
                "/", method="POST", headers={"Accept-Language": "id"}
            ):
                names = [f.name for f in form_class(formdata=MultiDict())]
                data = MultiDict({n: value for n in names if n != "csrf_token"})
                form = form_class(formdata=data)
                for choices_field in form:
                    if getattr(choices_field, "choices", None) is None and hasattr(
                        choices_field, "choices"
                    ):
                        choices_field.choices = []
                form.validate()
                for field, errors in form.errors.items():
                    for error in errors:
                        seen += 1
                        text = str(error)
                        if english_in(f"<p>{text}</p>"):
                            english.append(f"{form_class.__name__}.{field}: {text}")
    assert seen > 50
    assert english == []


def test_wtforms_length_messages_are_in_indonesian(app):
    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        assert wtforms_plural_messages(200)[1] % {"max": 200} == (
            "Isian tidak boleh lebih dari 200 karakter."
        )


def test_a_required_field_says_so_in_indonesian(client):
    page = client.post("/register", data={}).get_data(as_text=True)
    assert "Isian ini wajib diisi." in page and "This field is required" not in page


@pytest.mark.parametrize("persona", ["L", "M"])
def test_every_page_in_indonesian_has_no_english(app, world, persona):  # noqa: F811
    """Open every page a learner (L) and an admin (M) may see: no English message on any."""
    client = app.test_client()
    data = {
        "login": f"{persona.lower()}@example.org",
        "password": "kata-sandi-yang-panjang",
    }
    assert client.post("/login", data=data).status_code == 302
    pages, english = 0, []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        method, _expected = EXPECTED.get(rule.endpoint, ("POST", ""))
        if method != "GET" or rule.endpoint.startswith(("api", "static")):
            continue
        path = url_for_rule(rule, rule.endpoint, world)
        with client.get(path, headers={"Accept-Language": "id"}) as response:
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages += 1
            found = english_in(response.get_data(as_text=True))
        if found:
            english.append(f"{path}: {found}")
    assert pages >= {"L": 14, "M": 25}[persona], pages
    assert english == []


def test_booleans_activity_types_and_reader_messages_follow_the_locale(app):
    from flask_babel import force_locale

    from lms.activities.registry import activity_type_label
    from lms.content.errors import ContentError
    from lms.quiz import correct_answer_summary, parse_gift

    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        assert correct_answer_summary({"type": "truefalse", "answer": True}) == "Benar"
        assert correct_answer_summary({"type": "truefalse", "answer": False}) == "Salah"
        assert [activity_type_label(t) for t in ("lesson", "quiz", "assignment")] == [
            "Materi",
            "Kuis",
            "Tugas",
        ]
        with pytest.raises(ContentError) as caught:
            parse_gift("Ibukota?{~a}", "kuis.gift")
        assert str(caught.value) == (
            "kuis.gift:1: soal pilihan ganda perlu paling sedikit 2 pilihan"
        )
        with force_locale("en"):
            assert activity_type_label("quiz") == "Quiz"
            assert correct_answer_summary({"type": "truefalse", "answer": 1}) == "True"


def test_a_new_quiz_starts_with_a_question_in_the_course_language(
    app, import_courses, course_dir
):
    from sqlalchemy import select

    from lms.authoring.drafts import create_activity
    from lms.extensions import db
    from lms.models import Course, Module

    import_courses(course_dir)
    course = db.session.scalar(select(Course))
    module = db.session.scalar(select(Module).where(Module.course_id == course.id))
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        activity = create_activity(course, module, "quiz", "kuis-baru", "Kuis", None)
    assert course.language == "id"
    assert "Ganti ini dengan soal pertama Anda." in activity.source
    assert "{T}" in activity.source


#: Every CSV/XLSX download: (who fetches it, endpoint, its views). A new export must be listed here.
EXPORTS = [
    ("l@example.org", "ledger.export_csv", [{}]),
    ("l@example.org", "ledger.export_xlsx", [{}]),
    ("m@example.org", "cohorts.export", [{"view": v, "fmt": f} for v in ("members", "matrix", "units", "jp")
                                         for f in ("csv", "xlsx")]),
    ("m@example.org", "surveys.export", [{"view": v, "fmt": f} for v in ("figures", "texts") for f in ("csv", "xlsx")]),
    ("m@example.org", "gain.export", [{"fmt": f} for f in ("csv", "xlsx")]),
]  # fmt: skip


def _table(response) -> list[list[str]]:
    if response.mimetype == "text/csv":
        text = response.get_data(as_text=True).lstrip("\ufeff")
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_every_export_in_indonesian_has_no_english_header_or_text(app, world):  # noqa: F811
    """Download every CSV and XLSX in Indonesian: no header, sheet name or cell is English."""
    listed = {endpoint for _who, endpoint, _views in EXPORTS}
    downloads = {r.endpoint for r in app.url_map.iter_rules()
                 if r.rule.endswith((".csv", ".xlsx", ".<fmt>")) and r.endpoint != "authoring.export_quiz"}  # fmt: skip
    assert downloads == listed, "list every CSV/XLSX download in EXPORTS"
    english, tables = [], 0
    for who, endpoint, views in EXPORTS:
        client = app.test_client()
        assert (
            client.post(
                "/login", data={"login": who, "password": "kata-sandi-yang-panjang"}
            ).status_code
            == 302
        )
        for view in views:
            with app.test_request_context():
                path = url_for(endpoint, **_export_values(app, endpoint, world), **view)
            response = client.get(path, headers={"Accept-Language": "id"})
            assert response.status_code == 200, path
            table = _table(response)
            tables += 1
            header = table[0]
            english += [f"{path}: header {h!r}" for h in header if h in ENGLISH_LABELS]
            cells = [c for row in table[1:] for c in row]
            english += [
                f"{path}: cell {c!r}"
                for c in cells
                if c in ENGLISH_LABELS or english_in(f"<p>{c}</p>")
            ]
            if response.mimetype != "text/csv":
                title = load_workbook(io.BytesIO(response.data)).active.title
                english += (
                    [f"{path}: sheet {title!r}"] if title in ENGLISH_LABELS else []
                )
    assert tables == 16
    assert english == []


def _export_values(app, endpoint: str, world: dict) -> dict:  # noqa: F811
    """Return the world's values of the endpoint's URL arguments (view and fmt left to the caller)."""
    survey = endpoint.startswith(("surveys.", "gain."))
    values = {**world["values"], **(world["survey"] if survey else {})}
    (rule,) = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    return {k: values[k] for k in rule.arguments - {"view", "fmt"}}
