"""An instructor edits a lesson in the browser, previews it and publishes it; learners see it."""

from __future__ import annotations

import pytest

from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.learn import progress
from lms.models import Course
from tests.authoring_helpers import activity

LESSON = "/courses/contoh-kursus/pengantar/selamat-datang/"
ADDED = "Paragraf baru dari pengajar tentang layanan publik."


@pytest.fixture
def world(import_courses, make_user):
    """The example course, its instructor, and a learner enrolled in it."""
    import_courses()
    make_user(role="instructor", email="guru@example.org", name="Guru Contoh")
    assign_instructor("guru@example.org", "contoh-kursus")
    learner = make_user(email="ani@example.org", name="Ani")
    course = db.session.query(Course).filter_by(slug="contoh-kursus").one()
    progress.enroll(learner, course)
    return activity()


def test_instructor_edits_and_publishes_a_lesson(pages, world):
    teacher = pages.person()
    pages.sign_in(teacher, "guru@example.org")
    teacher.goto("/author/")
    pages.check(teacher, "authoring-index")
    pages.follow(teacher, "main a[href='/author/contoh-kursus/']")
    pages.check(teacher, "authoring-course")
    pages.follow(teacher, f"main a[href$='/activities/{world.id}/edit']")
    pages.check(teacher, "editor")

    source = teacher.input_value("#source")
    teacher.fill("#source", source.rstrip() + "\n\n" + ADDED + "\n")
    preview = teacher.locator("#activity-preview")
    preview.get_by_text(ADDED).wait_for()  # the live preview (JavaScript) shows it
    pages.follow(teacher, "#save")
    pages.check(teacher, "editor-saved")

    learner = pages.person()
    pages.sign_in(learner, "ani@example.org")
    learner.goto(LESSON)
    assert ADDED not in learner.inner_text("main")  # a draft is not published

    pages.follow(teacher, "form[action$='/publish'] button")
    pages.check(teacher, "editor-published")
    pages.follow(teacher, f"a[href$='/activities/{world.id}/history']")
    pages.check(teacher, "history")

    learner.reload()
    assert ADDED in learner.inner_text("main .prose")
    pages.check(learner, "lesson-updated")


def test_instructor_removes_an_activity_and_restores_it(pages, world):
    latihan = activity("praktik/latihan")
    teacher = pages.person()
    pages.sign_in(teacher, "guru@example.org")
    teacher.goto(f"/author/contoh-kursus/activities/{latihan.id}/edit")
    pages.follow(teacher, "form[action$='/archive'] button[value='1']")
    assert "Latihan" in teacher.inner_text(".flashes")
    pages.check(teacher, "authoring-course-removed")  # the list of removed activities

    learner = pages.person()
    pages.sign_in(learner, "ani@example.org")
    learner.goto(LESSON)
    assert "Latihan" not in learner.inner_text("aside")

    pages.follow(teacher, "form[action$='/archive'] button[value='0']")
    learner.reload()
    assert "Latihan" in learner.inner_text("aside")


def test_instructor_imports_a_moodle_question_bank(pages, world):
    """The import form and the list of what was left out pass the accessibility check."""
    from pathlib import Path

    bank = Path(__file__).resolve().parents[1] / "data" / "interop" / "moodle-bank.xml"
    teacher = pages.person()
    pages.sign_in(teacher, "guru@example.org")
    teacher.goto("/author/contoh-kursus/")
    pages.follow(teacher, "main a[href$='/modules/pengantar/import-quiz']")
    pages.check(teacher, "quiz-import")
    teacher.set_input_files("#file", str(bank))
    teacher.fill("#key", "bank-etika")
    teacher.fill("#title", "Bank etika")
    pages.follow(teacher, "main form button[type='submit']")
    assert "Cloze" in teacher.inner_text("main table")
    pages.check(teacher, "quiz-imported")
    pages.follow(teacher, "main a.button")
    # (the quiz editor itself scrolls sideways on a phone, as every quiz's editor does today)
    assert teacher.locator("a[href$='/export/moodle-xml']").count() == 1
