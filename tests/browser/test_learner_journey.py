"""A learner registers, enrolls, reads, takes the quizzes, resumes, and gets a certificate."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.models import OutgoingEmail, WorkUnit
from lms.seed import seed_work_units

NIP = "199001012015031001"
COURSE = "/courses/kursus-kuis/"


@pytest.fixture
def world(import_courses, quiz_dir, make_user):
    """The quiz course, the city's work units and the course's instructor."""
    import_courses(quiz_dir)
    seed_work_units()
    make_user(role="instructor", email="guru@example.org", name="Guru Kuis")
    assign_instructor("guru@example.org", "kursus-kuis")
    return db.session.scalar(select(WorkUnit).where(WorkUnit.code == "diskominfo"))


def register(page, pages, unit):
    """Register through the form, first with a wrong NIP to see the field's error."""
    page.goto("/")
    pages.check(page, "catalog")
    pages.follow(page, "header a[href='/register']")
    pages.check(page, "register")
    page.fill("#name", "Siti Aminah")
    page.fill("#email", "siti@example.org")
    page.fill("#nip", "12345")
    page.select_option("#work_unit", str(unit.id))
    page.fill("#position", "Analis Kebijakan")
    page.fill("#password", "kata-sandi-yang-panjang")
    page.fill("#confirm", "kata-sandi-yang-panjang")
    pages.follow(page, "main form button[type=submit]")
    assert page.get_attribute("#nip", "aria-invalid") == "true"
    assert "nip-error" in page.get_attribute("#nip", "aria-describedby")
    pages.check(page, "register-error")
    page.fill("#nip", NIP)
    page.fill("#password", "kata-sandi-yang-panjang")
    page.fill("#confirm", "kata-sandi-yang-panjang")
    pages.follow(page, "main form button[type=submit]")
    page.wait_for_url("**/login")  # "check your email", whoever registers
    pages.check(page, "register-check-email")
    body = db.session.scalar(
        select(OutgoingEmail.body).where(OutgoingEmail.to == "siti@example.org")
    )
    token = body.split("/register/confirm/")[1].split()[0]
    page.goto(f"/register/confirm/{token}")
    pages.check(page, "confirm-email")
    pages.follow(page, "main form button[type=submit]")
    page.wait_for_url("**/courses/")
    assert "Siti Aminah" in page.inner_text("header")


def answer_all_types_quiz(page):
    """Answer every question of the all-types quiz right."""
    page.check("#q-ibukota label.choice:has-text('Tanjungpinang') input")
    page.check("#q-prinsip label.choice:has-text('standar data') input")
    page.check("#q-prinsip label.choice:has-text('metadata') input")
    page.check("#q-lapor input[value=true]")
    page.fill("input[name=answer-singkatan]", "SPBE")
    page.fill("input[name=answer-jp]", "20")
    for law, subject in [
        ("UU 25/2009", "Pelayanan publik"),
        ("UU 14/2008", "Keterbukaan informasi publik"),
        ("UU 27/2022", "Pelindungan data pribadi"),
    ]:
        row = page.locator("#q-pasangan tr", has_text=law)
        row.locator("select").select_option(subject)


def test_learner_journey(pages, world):
    page = pages.person()
    register(page, pages, world)

    pages.follow(page, f"main a[href='{COURSE}']")
    pages.check(page, "course")
    pages.follow(page, "form[action$='/enroll'] button")
    page.wait_for_url("**/modul/bacaan/")  # enrolling opens the first activity
    assert "Bacaan singkat." in page.inner_text("main")
    assert page.get_attribute("aside a[aria-current=page]", "href").endswith(
        "/modul/bacaan/"
    )
    pages.check(page, "lesson")
    pages.follow(page, "form[action$='/complete'] button")
    page.wait_for_url("**/modul/kuis/")  # done: on to the next activity
    assert page.locator("aside li.done").count() == 1
    pages.check(page, "quiz")
    pages.follow(page, "form[action$='/attempts'] button")
    page.wait_for_url(re.compile(r".*/attempts/1/$"))
    pages.check(page, "quiz-attempt")
    answer_all_types_quiz(page)
    pages.follow(page, "button[name=finish]")
    page.wait_for_url(re.compile(r".*/attempts/1/confirm$"))
    pages.check(page, "quiz-confirm-all-answered")
    pages.follow(page, "button[name=submit]")
    pages.check(page, "quiz-review")
    page.goto(f"{COURSE}modul/kuis/")
    assert page.locator("main .status.done").count() == 1  # passed

    pages.sign_out(page)
    pages.check(page, "signed-out")
    pages.sign_in(page, NIP)
    page.wait_for_url("**/my/")
    pages.check(page, "my-courses")
    pages.follow(page, f"main a[href='{COURSE}continue']")
    page.wait_for_url("**/modul/esai/")  # the first activity not finished

    pages.follow(page, "form[action$='/attempts'] button")
    page.wait_for_url(re.compile(r".*/attempts/1/$"))
    page.fill(
        "textarea[name=answer-refleksi]", "Antrian daring untuk layanan perizinan."
    )
    page.check("#q-dasar label.choice:has-text('UU 25/2009') input")
    pages.follow(page, "button[name=finish]")
    pages.follow(page, "button[name=submit]")
    pages.check(page, "essay-submitted")

    teacher = pages.person()
    pages.sign_in(teacher, "guru@example.org")
    teacher.goto(f"{COURSE}modul/esai/results")
    pages.check(teacher, "quiz-results")
    pages.follow(teacher, "main a[href*='/results/']")
    pages.check(teacher, "grading")
    grade = teacher.locator("form.grade-form", has=teacher.locator("[name=key]"))
    essay = grade.filter(has=teacher.locator("input[name=key][value=refleksi]"))
    essay.locator("input[name=percent]").fill("100")
    with teacher.expect_navigation():
        essay.locator("button[type=submit]").click()

    page.goto(COURSE)
    assert page.locator("main .status.done").count() == 1
    pages.check(page, "course-completed")
    pages.follow(page, "main a[href$='/certificate']")
    page.wait_for_url("**/certificates/*")
    assert "Siti Aminah" in page.inner_text("main")
    pages.check(page, "certificate")
    page.goto("/my/certificates")
    pages.check(page, "my-certificates")
    page.goto("/my/jp")
    pages.check(page, "my-jp")
