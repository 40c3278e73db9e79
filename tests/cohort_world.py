"""Fixtures for the cohort tests: the example course with work units, a cohort, its organiser."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.models import Cohort, Course, User
from lms.seed import seed_work_units

#: The day the cohort tests count from, read once: a run that crosses midnight keeps one "today".
TODAY = date.today()


def add_cohort(
    course_id: int, name="PKP Angkatan I 2027", starts=-10, ends=20
) -> Cohort:
    """Add a cohort of the course running from `starts` to `ends` days from today."""
    cohort = Cohort(course_id=course_id, name=name, starts_on=TODAY + timedelta(days=starts),
                    ends_on=TODAY + timedelta(days=ends))  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    return cohort


@pytest.fixture
def course(import_courses, course_dir):
    """Return the test course (three activities, one a quiz), with the city's work units."""
    import_courses(course_dir)
    seed_work_units()
    return db.session.scalar(select(Course))


@pytest.fixture
def cohort(course):
    """Return a cohort of the course that started ten days ago and ends in twenty."""
    return add_cohort(course.id)


@pytest.fixture
def organiser(make_user, course):
    """Return an instructor of the course: they manage its cohorts."""
    make_user(email="pengajar@example.org", role="instructor")
    assign_instructor("pengajar@example.org", "contoh-kursus")
    return db.session.scalar(select(User).where(User.email == "pengajar@example.org"))
