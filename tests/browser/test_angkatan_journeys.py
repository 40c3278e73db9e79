"""The demo angkatan in the browser: the organiser, a learner, the mentor grading, the supervisor drilling down."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.demo_cohort import NAME, seed_demo_cohort
from lms.extensions import db
from lms.ledger.records import local_today
from lms.models import Activity, AssignmentSubmission, User
from lms.seed import create_demo_accounts, seed_work_units

COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE = "/courses/kepemimpinan-pengawas/"
QUIZ = f"{COURSE}kepemimpinan-diri/kuis-kepemimpinan-diri/"
PLAN = f"{COURSE}aksi-perubahan/rancangan-aksi-perubahan/submissions"


@pytest.fixture
def angkatan(app, import_courses, tmp_path):
    """The demo data of `make run` for the leadership course: the angkatan under way."""
    seed_work_units()
    shutil.copytree(
        COURSES / "kepemimpinan-pengawas", tmp_path / "c" / "kepemimpinan-pengawas"
    )
    import_courses(tmp_path / "c")
    list(create_demo_accounts(["kepemimpinan-pengawas"]))
    return seed_demo_cohort(local_today())


def fits_the_window(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_organiser_and_learner(pages, angkatan):
    organiser = pages.person()
    pages.sign_in(organiser, "pengajar@demo.kelasasn.id", "demo-pengajar-2026")
    organiser.goto("/cohorts/")
    assert NAME in organiser.inner_text("main")
    pages.check(organiser, "organiser-cohorts")
    pages.follow(organiser, f"main a[href='/cohorts/{angkatan.id}/']")
    assert organiser.locator("table.members tbody tr").count() == 25
    pages.check(organiser, "organiser-cohort")
    organiser.goto(f"/cohorts/{angkatan.id}/dues")
    pages.check(organiser, "organiser-due-dates")

    learner = pages.person()
    pages.sign_in(learner, "peserta@demo.kelasasn.id", "demo-peserta-2026")
    learner.goto("/my/")
    assert NAME in learner.inner_text("main")
    pages.check(learner, "learner-my-courses")
    pages.follow(learner, f"main a[href='{COURSE}']")
    section = learner.locator("section.angkatan")
    assert (
        "Dra. Yuliana Sari" in section.inner_text()
        and "Ir. Bambang Suryadi" in section.inner_text()
    )
    assert (
        section.locator("table .badge.due-overdue").count() == 1
    )  # module 1, past its date
    pages.check(learner, "learner-course-due-dates")
    pages.follow(learner, "section.angkatan p.next a")
    assert learner.locator("aside .module-due").count() == 5
    pages.check(learner, "learner-lesson-outline")

    learner.goto(QUIZ)
    pages.follow(learner, "form[action$='/attempts'] button")
    learner.wait_for_url(re.compile(r".*/attempts/1/$"))
    learner.locator("fieldset[data-question] input[type=radio]").first.check()
    pages.follow(learner, "button[name=finish]")
    learner.wait_for_url(re.compile(r".*/attempts/1/confirm$"))
    assert learner.locator("section.unanswered li").count() >= 7  # one of nine answered
    pages.check(learner, "quiz-confirm")
    pages.follow(learner, "button[name=submit]")
    assert "tidak dapat diubah" not in learner.inner_text("main")
    pages.check(learner, "quiz-review-answers-withheld")


def test_mentor_grades_and_supervisor_drills_down(pages, angkatan):
    mentor = pages.person()
    pages.sign_in(mentor, "mentor@demo.kelasasn.id", "demo-mentor-2026")
    mentor.goto(PLAN)
    cards = mentor.locator("main section.card")
    assert cards.count() == 2
    pages.check(mentor, "mentor-submissions")
    card = cards.first
    card.locator("input[value=passed]").check()
    card.locator("textarea").fill("Rancangan jelas dan terukur. Lanjutkan ke seminar.")
    with mentor.expect_navigation():
        card.locator("button[type=submit]").click()
    graded = db.session.scalars(
        select(AssignmentSubmission.outcome).where(
            AssignmentSubmission.outcome == "passed"
        )
    )
    assert graded.all()

    supervisor = pages.person()
    pages.sign_in(supervisor, "pengawas@demo.kelasasn.id", "demo-pengawas-2026")
    supervisor.goto("/cohorts/")
    pages.follow(supervisor, f"main a[href='/cohorts/{angkatan.id}/']")
    assert fits_the_window(supervisor)  # 1366 px: the table scrolls in its own box
    status = supervisor.locator(
        "table.members thead th", has_text="Status"
    ).bounding_box()
    assert status is None or status["x"] >= 0
    supervisor.select_option("#f-status", "overdue")
    pages.follow(supervisor, "form.filters button[type=submit]")
    supervisor.wait_for_url("**status=overdue*")
    member = supervisor.locator("table.members tbody th a").first
    name = member.inner_text()
    pages.follow(supervisor, "table.members tbody th a >> nth=0")
    assert name in supervisor.inner_text("h1")
    current = db.session.scalar(
        select(func.count(Activity.id)).where(
            Activity.course_id == angkatan.course_id, Activity.is_current()
        )
    )
    rows = supervisor.locator("table.member-activities tbody tr[class^=activity-]")
    assert rows.count() == current  # every activity of the course
    pages.check(supervisor, "member-detail")
    pages.follow(supervisor, "main a.back")
    assert "status=overdue" in supervisor.url  # the filters are kept
    siti = db.session.scalar(
        select(User).where(User.email == "peserta@demo.kelasasn.id")
    )
    supervisor.goto(f"/cohorts/{angkatan.id}/members/{siti.id}")
    pages.check(supervisor, "member-detail-learner")
