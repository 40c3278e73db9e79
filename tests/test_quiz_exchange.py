"""Quiz exchange with Moodle from the browser and the command line: export GIFT and Moodle XML,
import Moodle XML into a draft quiz, listing what could not come along."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from lms.authoring import quiz_views
from lms.extensions import db
from lms.models import Activity
from lms.quiz import moodle_xml_read, parse_gift
from lms.quiz.moodle_xml_read import read_moodle_xml
from tests.authoring_helpers import become_instructor

BANK = Path(__file__).parent / "data" / "interop" / "moodle-bank.xml"
KUIS = "kursus-kuis"


def without_line(questions: list[dict]) -> list[dict]:
    return [{k: v for k, v in q.items() if k != "line"} for q in questions]


def export_url(quiz: Activity, fmt: str) -> str:
    return f"/author/{KUIS}/activities/{quiz.id}/export/{fmt}"


def test_an_instructor_downloads_the_quiz_as_gift(client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug=KUIS)
    response = client.get(export_url(quiz, "gift"))
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="modul-kuis.gift"'
    )
    text = response.get_data(as_text=True)
    assert "[markdown]" in text
    back = parse_gift(text, "kuis.gift")
    assert without_line(back) == without_line(quiz.spec["questions"])


def test_an_instructor_downloads_the_quiz_as_moodle_xml(client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug=KUIS)
    response = client.get(export_url(quiz, "moodle-xml"))
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    back, notes = read_moodle_xml(response.get_data(), "kuis.xml")
    assert notes == [] and len(back) == len(quiz.spec["questions"])
    assert [q["text"] for q in back] == [q["text"] for q in quiz.spec["questions"]]


def test_the_quiz_page_links_both_exports(client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug=KUIS)
    page = client.get(f"/author/{KUIS}/activities/{quiz.id}/edit").get_data(
        as_text=True
    )
    assert export_url(quiz, "gift") in page and export_url(quiz, "moodle-xml") in page


def test_learners_and_other_instructors_cannot_export(client, auth, make_user, quiz):
    learner = make_user(email="peserta@example.org")
    auth.login(learner.email)
    assert client.get(export_url(quiz, "gift")).status_code == 403
    client.post("/logout")
    make_user(role="instructor", email="lain@example.org")
    auth.login("lain@example.org")
    assert client.get(export_url(quiz, "moodle-xml")).status_code == 403


def test_an_unknown_format_or_a_lesson_is_not_found(client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug=KUIS)
    assert client.get(export_url(quiz, "qti")).status_code == 404
    lesson = db.session.scalar(select(Activity).where(Activity.key == "modul/bacaan"))
    assert client.get(export_url(lesson, "gift")).status_code == 404


def upload(client, data: bytes, key: str = "bank-etika"):
    return client.post(
        f"/author/{KUIS}/modules/modul/import-quiz",
        data={
            "file": (io.BytesIO(data), "bank.xml"),
            "key": key,
            "title": "Bank etika",
        },
        content_type="multipart/form-data",
    )


def quizzes() -> int:
    return db.session.scalar(select(func.count()).select_from(Activity).where(Activity.type == "quiz"))  # fmt: skip


def test_a_moodle_bank_becomes_a_draft_quiz_and_the_rest_is_listed(
    client, auth, make_user, quiz
):
    become_instructor(make_user, auth, slug=KUIS)
    response = upload(client, BANK.read_bytes())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "8 questions are now in the draft quiz Bank etika." in page
    for listed in ("Question type &#39;multianswer&#39; is not graded here.", "Hitung",
                   "Units were left out", "Embedded files (images) left out: 1.",
                   "Tanpa jawaban benar"):  # fmt: skip
        assert listed in page
    made = db.session.scalar(select(Activity).where(Activity.key == "modul/bank-etika"))
    assert made.type == "quiz" and not made.published
    assert [q["name"] for q in made.spec["questions"]][:2] == [
        "Nilai dasar",
        "Akuntabel",
    ]
    assert made.spec["questions"][0]["category"] == "Default for SPBE/Etika"


def test_what_the_file_says_is_shown_as_text(client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug=KUIS)
    evil = BANK.read_bytes().replace(b'type="calculated"', b'type="&lt;script&gt;x()&lt;/script&gt;"')  # fmt: skip
    page = upload(client, evil).get_data(as_text=True)
    assert "<script>x()" not in page
    assert "&#39;&lt;script&gt;x()&lt;/script&gt;&#39;" in page


def test_a_file_that_cannot_be_read_creates_nothing(
    client, auth, make_user, quiz, monkeypatch
):
    become_instructor(make_user, auth, slug=KUIS)
    before = quizzes()
    bomb = b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "x">]><quiz>&a;</quiz>'
    response = upload(client, bomb)
    assert response.status_code == 422
    assert "DTD" in response.get_data(as_text=True)
    # A smaller limit keeps the test's upload in memory; the real one is 1 MiB.
    monkeypatch.setattr(quiz_views, "MAX_MOODLE_XML_BYTES", 20_000)
    monkeypatch.setattr(moodle_xml_read, "MAX_MOODLE_XML_BYTES", 20_000)
    response = upload(client, b"<quiz>" + b"<!-- -->" * 3000 + b"</quiz>")
    assert response.status_code == 422
    assert "the limit is 19 KB (MAX_MOODLE_XML_BYTES)" in response.get_data(
        as_text=True
    )
    assert (
        upload(client, b"<quiz>" + b"<!-- -->" * 20_000 + b"</quiz>").status_code == 413
    )
    assert quizzes() == before


def test_a_taken_key_is_refused(client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug=KUIS)
    before = quizzes()
    response = upload(client, BANK.read_bytes(), key="kuis")
    assert response.status_code == 422
    assert "already used" in response.get_data(as_text=True)
    assert quizzes() == before


def test_only_the_course_staff_may_import(client, auth, make_user, quiz):
    make_user(role="instructor", email="lain@example.org")
    auth.login("lain@example.org")
    assert upload(client, BANK.read_bytes()).status_code == 403
    assert db.session.scalar(select(Activity).where(Activity.key == "modul/bank-etika")) is None  # fmt: skip


def test_cli_exports_a_quiz(runner, quiz, tmp_path):
    result = runner.invoke(args=["lms", "export-quiz", KUIS, "modul/kuis"])
    assert result.exit_code == 0, result.output
    assert without_line(parse_gift(result.stdout, "k.gift")) == without_line(quiz.spec["questions"])  # fmt: skip
    out = tmp_path / "kuis.xml"
    result = runner.invoke(args=["lms", "export-quiz", KUIS, "modul/kuis", "--format", "moodle-xml", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(read_moodle_xml(out.read_bytes(), "k.xml")[0]) == len(
        quiz.spec["questions"]
    )
    result = runner.invoke(args=["lms", "export-quiz", KUIS, "modul/bacaan"])
    assert result.exit_code != 0 and "has no quiz" in result.output


def test_cli_writes_a_moodle_bank_as_a_quiz_file(
    runner, import_courses, quiz_dir, tmp_path
):
    dest = quiz_dir / KUIS / "01-modul" / "04-bank.gift"
    result = runner.invoke(args=["lms", "import-moodle-xml", str(BANK), str(dest), "--title", "Bank"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8 questions written" in result.stdout
    assert "not carried over: Cloze: " in result.stderr and "'multianswer'" in result.stderr  # fmt: skip
    import_courses(quiz_dir)  # the written file is a valid quiz of the course folder
    made = db.session.scalar(select(Activity).where(Activity.key == "modul/bank"))
    assert made is not None and len(made.spec["questions"]) == 8
    again = runner.invoke(args=["lms", "import-moodle-xml", str(BANK), str(dest), "--title", "Bank"])  # fmt: skip
    assert again.exit_code != 0 and "already exists" in again.output
