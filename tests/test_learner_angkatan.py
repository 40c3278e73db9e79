"""The learner's angkatan on the course page, lesson pages and "Kursus saya"."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.learn import progress
from lms.learn.angkatan import due_status
from lms.models import Activity, CohortModuleDue, Module
from tests.cohort_world import TODAY

LESSON = "/courses/contoh-kursus/pengantar/selamat-datang/"


def set_due(cohort, module_key, days):
    module = db.session.scalar(select(Module).where(Module.key == module_key))
    db.session.add(CohortModuleDue(cohort_id=cohort.id, module_id=module.id,
                                   due_on=TODAY + timedelta(days=days)))  # fmt: skip
    db.session.commit()


@pytest.fixture
def member(make_user, auth, course, cohort):
    coach = make_user(email="coach@example.org", name="Pak Coach Hendra")
    mentor = make_user(email="mentor@example.org", name="Ibu Mentor Lestari")
    user = make_user(email="ani@example.org", name="Ani Wulandari")
    add_member(cohort, user, mentor=mentor)
    add_staff(cohort, coach, "coach")
    auth.login("ani@example.org")
    return user


def test_due_status_rules():
    assert due_status(TODAY, 2, 2, TODAY - timedelta(days=9)) == "done"
    assert due_status(TODAY - timedelta(days=1), 2, 1, TODAY) == "overdue"
    assert due_status(TODAY, 2, 1, TODAY) == "due_soon"
    assert due_status(TODAY + timedelta(days=7), 2, 0, TODAY) == "due_soon"
    assert due_status(TODAY + timedelta(days=8), 2, 0, TODAY) == "upcoming"


def test_course_page_shows_angkatan_staff_and_due_dates(client, cohort, member):
    set_due(cohort, "pengantar", -1)
    set_due(cohort, "praktik", 30)
    page = client.get("/courses/contoh-kursus/").get_data(as_text=True)
    assert cohort.name in page
    assert "Pak Coach Hendra" in page and "Ibu Mentor Lestari" in page
    assert "due-overdue" in page and "due-upcoming" in page
    assert "Angkatan Anda" in page and "Terlambat" in page  # in Indonesian by default
    # what to do next: the first unfinished activity of the overdue module
    assert (
        'href="/courses/contoh-kursus/pengantar/selamat-datang/"'
        in page.split('class="next"')[1].split("</p>")[0]
    )


def test_finished_module_is_done_and_next_moves_on(client, course, cohort, member):
    set_due(cohort, "pengantar", -1)
    set_due(cohort, "praktik", 3)
    for activity in db.session.scalars(
        select(Activity).join(Module).where(Module.key == "pengantar")
    ):
        progress.complete_activity(member.id, activity)
    page = client.get("/courses/contoh-kursus/").get_data(as_text=True)
    assert "due-overdue" not in page
    assert "due-done" in page and "due-due_soon" in page
    assert "/praktik/latihan/" in page.split('class="next"')[1].split("</p>")[0]


def test_lesson_outline_shows_due_dates(client, cohort, member):
    set_due(cohort, "praktik", 2)
    page = client.get(LESSON).get_data(as_text=True)
    sidebar = page.split('class="sidebar"')[1]
    assert cohort.name in sidebar
    assert "module-due" in sidebar and "due-due_soon" in sidebar


def test_my_courses_shows_angkatan_and_next_due(client, cohort, member):
    set_due(cohort, "pengantar", -2)
    page = client.get("/my/").get_data(as_text=True)
    assert cohort.name in page and "due-overdue" in page


def test_learner_without_angkatan_sees_none(client, course, make_user, auth):
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    client.post("/courses/contoh-kursus/enroll")
    page = client.get("/courses/contoh-kursus/").get_data(as_text=True)
    assert "angkatan-title" not in page and "due-" not in page


def test_lesson_page_in_an_angkatan_adds_one_query(
    client, cohort, member, make_user, count_queries
):
    set_due(cohort, "pengantar", 1)
    set_due(cohort, "praktik", 5)
    other = make_user(email="budi@example.org")
    progress.enroll(other, cohort.course)
    client.get(LESSON)
    client.get(LESSON)
    with count_queries() as statements:
        assert client.get(LESSON).status_code == 200
    # the user with their session; course, activity and enrollment; progress rows; unread
    # discussion posts; the angkatan
    assert len(statements) == 5, statements
