"""Fixtures for the discussion tests: the example course, two cohorts, learners, staff."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.cohorts.members import add_member, add_staff
from lms.discussions import writing
from lms.extensions import db
from lms.learn import progress
from lms.learn.lookup import find_activity
from lms.models import Course
from tests.cohort_world import add_cohort

LESSON = "/courses/contoh-kursus/pengantar/selamat-datang/"
QUESTIONS = LESSON + "discussions/"


@pytest.fixture
def world(make_user, course):
    """Ani and Budi in cohort A, Citra in cohort B, Dewi in none; Guru teaches; Kiki coaches A."""
    people = {
        "ani": make_user(email="ani@example.org", name="Ani Wijaya"),
        "budi": make_user(email="budi@example.org", name="Budi Santoso"),
        "citra": make_user(email="citra@example.org", name="Citra Lestari"),
        "dewi": make_user(email="dewi@example.org", name="Dewi Sartika"),
        "guru": make_user(email="guru@example.org", name="Guru Besar", role="instructor"),
        "kiki": make_user(email="kiki@example.org", name="Kiki Coach"),
        "mira": make_user(email="mira@example.org", name="Mira Mentor"),
        "tono": make_user(email="tono@example.org", name="Tono Luar"),
    }  # fmt: skip
    assign_instructor("guru@example.org", "contoh-kursus")
    a, b = add_cohort(course.id, "Angkatan A"), add_cohort(course.id, "Angkatan B")
    add_member(a, people["ani"], mentor=people["mira"])
    add_member(a, people["budi"])
    add_member(b, people["citra"])
    progress.enroll(people["dewi"], course)
    add_staff(a, people["kiki"], "coach")
    db.session.commit()
    course = db.session.scalar(select(Course))
    lesson = find_activity(course, "pengantar", "selamat-datang")
    return SimpleNamespace(course=course, lesson=lesson, a=a, b=b, **people)


def enrollment(user, course):
    """Return the user's enrollment in the course (or None)."""
    return progress.get_enrollment(user.id, course.id)


def ask(world, user, title="Apa itu SPBE?", body="Mohon penjelasan."):
    """Ask a question on the lesson as `user`, committed."""
    thread = writing.ask(
        user, world.lesson, enrollment(user, world.course), title, body
    )
    db.session.commit()
    return thread


@pytest.fixture
def sign_in(client, auth):
    """Sign in as one of the world's people by their first name."""

    def sign(name):
        auth.logout()
        assert auth.login(f"{name}@example.org").status_code == 302
        return client

    return sign
