"""Cohort reports for the people who may see them, with the cohort page's filters."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.models import Cohort, Course
from tests.api.conftest import assert_problem


@pytest.fixture
def cohort(import_courses):
    import_courses()
    course = db.session.scalar(select(Course))
    cohort = Cohort(course_id=course.id, name="PKP Angkatan I", starts_on=date.today() - timedelta(days=10),
                    ends_on=date.today() + timedelta(days=20))  # fmt: skip
    other = Cohort(course_id=course.id, name="Angkatan Lain", starts_on=date.today(),
                   ends_on=date.today() + timedelta(days=5))  # fmt: skip
    db.session.add_all([cohort, other])
    db.session.commit()
    return cohort, other


@pytest.fixture
def members(cohort, make_user, make_unit):
    unit = make_unit()
    people = []
    for n in range(3):
        user = make_user(email=f"m{n}@example.org", name=f"Anggota {n}")
        if n == 0:
            user.work_unit_id = unit.id
            db.session.commit()
        add_member(cohort[0], user)
        people.append(user)
    return unit, people


def test_supervisor_sees_only_their_cohorts(
    api, cohort, members, make_user, make_token
):
    mine, other = cohort
    sup = make_user(email="sup@example.org", role="supervisor")
    add_staff(mine, sup, "supervisor")
    token = make_token(sup, scope="read")
    listed = api.get("/cohorts", token).get_json()
    assert [c["name"] for c in listed["items"]] == ["PKP Angkatan I"]
    assert listed["items"][0]["members"] == 3
    report = api.get(f"/cohorts/{mine.id}/members", token).get_json()
    assert report["total"] == 3 and report["cohort"]["id"] == mine.id
    assert_problem(api.get(f"/cohorts/{other.id}/members", token), 403, "forbidden")
    assert_problem(api.get("/cohorts/99999/members", token), 404, "not-found")
    assert_problem(api.get(f"/cohorts/{mine.id}/members"), 401, "unauthorized")


def test_other_supervisors_and_learners_are_refused(
    api, cohort, members, make_user, make_token
):
    mine, other = cohort
    stranger = make_user(email="sup2@example.org", role="supervisor")
    add_staff(other, stranger, "supervisor")
    learner = members[1][0]
    for user in (stranger, learner):
        token = make_token(user)
        assert_problem(api.get(f"/cohorts/{mine.id}/members", token), 403)
    assert api.get("/cohorts", make_token(learner)).get_json()["total"] == 0
    admin = make_token(make_user(role="admin"))
    assert api.get("/cohorts", admin).get_json()["total"] == 2
    assert api.get(f"/cohorts/{mine.id}/members", admin).status_code == 200


def test_member_filters_and_pagination(api, cohort, members, make_user, make_token):
    mine, _ = cohort
    unit, _ = members
    token = make_token(make_user(role="admin"))
    url = f"/cohorts/{mine.id}/members"
    by_unit = api.get(f"{url}?unit={unit.id}", token).get_json()
    assert [m["email"] for m in by_unit["items"]] == ["m0@example.org"]
    assert by_unit["items"][0]["unit_name"] == unit.name
    not_started = api.get(f"{url}?status=not_started", token).get_json()
    assert not_started["total"] == 3
    assert api.get(f"{url}?status=completed", token).get_json()["total"] == 0
    page = api.get(f"{url}?per_page=2&page=2", token).get_json()
    assert page["total"] == 3 and page["pages"] == 2 and len(page["items"]) == 1
    body = assert_problem(
        api.get(f"{url}?status=bogus", token), 422, "validation-error"
    )
    assert "status" in body["errors"]["query"]
