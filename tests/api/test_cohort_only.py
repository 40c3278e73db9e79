"""Cohort-only courses: open to members of their angkatan, explained to everyone else."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.cohorts.members import add_member
from lms.extensions import db
from lms.models import Cohort, Course, Enrollment
from tests.api.conftest import assert_problem

DATA = Path(__file__).parent.parent / "data"
URL = "/courses/kursus-angkatan/"


@pytest.fixture
def cohort_course(import_courses, tmp_path, make_user):
    shutil.copytree(DATA / "cohort", tmp_path / "cohort")
    import_courses(tmp_path / "cohort")
    make_user(email="org@example.org", name="Rahmat Hidayat", role="instructor")
    assign_instructor("org@example.org", "kursus-angkatan")
    return db.session.scalar(select(Course).where(Course.slug == "kursus-angkatan"))


def enrolled(user) -> bool:
    return (
        db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
        is not None
    )


def test_outsider_sees_what_it_is_and_how_to_join(
    client, auth, make_user, cohort_course
):
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    page = client.get(URL).get_data(as_text=True)
    assert "Kursus Angkatan" in page and "cohort-only-title" in page
    assert "Rahmat Hidayat" in page  # whom to ask
    assert f'action="{URL}enroll"' not in page  # no enrol button


def test_outsider_cannot_enrol_on_the_web(client, auth, make_user, cohort_course):
    user = make_user(email="ani@example.org")
    auth.login("ani@example.org")
    assert client.post(URL + "enroll").location == URL
    assert "hanya untuk anggota angkatan" in client.get(URL).get_data(as_text=True)
    assert not enrolled(user)


def test_outsider_cannot_enrol_through_the_api(
    api, make_user, make_token, cohort_course
):
    user = make_user(email="ani@example.org")
    response = api.post(
        "/enrollments", make_token(user), json={"course": "kursus-angkatan"}
    )
    body = assert_problem(response, 403, "forbidden")
    assert "cohort" in body["detail"] and "organiser" in body["detail"]
    assert not enrolled(user)


def test_member_is_in_and_api_says_so(
    client, api, auth, make_user, make_token, cohort_course
):
    user = make_user(email="ani@example.org")
    cohort = Cohort(course_id=cohort_course.id, name="Angkatan I",
                    starts_on=date.today(), ends_on=date.today())  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    add_member(cohort, user)
    response = api.post(
        "/enrollments", make_token(user), json={"course": "kursus-angkatan"}
    )
    assert response.status_code == 200
    auth.login("ani@example.org")
    page = client.get(URL).get_data(as_text=True)
    assert "cohort-only-title" not in page and "Angkatan I" in page
