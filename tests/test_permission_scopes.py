"""Lists obey the object checks: a user sees in a list exactly the objects they may open."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, CohortStaff, Course, CourseStaff, Role
from lms.permissions import can, cohorts_visible_to, courses_taught_by


@pytest.fixture
def world(app, make_user):
    """Three courses (published, draft, archived), two cohorts each, and one person of each kind."""
    courses = {}
    for slug, published, archived in [
        ("terbit", True, None),
        ("draf", False, None),
        ("arsip", True, datetime(2026, 1, 5, tzinfo=UTC)),
    ]:
        course = Course(slug=slug, title=slug.title(), published=published, jp=2)
        course.archived_at = archived
        db.session.add(course)
        courses[slug] = course
    db.session.flush()
    cohorts = {}
    for slug, course in courses.items():
        for n in (1, 2):
            cohort = Cohort(course_id=course.id, name=f"{slug} {n}",
                            starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))  # fmt: skip
            db.session.add(cohort)
            cohorts[f"{slug}{n}"] = cohort
    db.session.commit()

    people = {
        "admin": make_user(role="admin"),
        "instructor": make_user(role="instructor"),
        "demoted": make_user(role="learner"),  # still has a staff row, lost the role
        "supervisor": make_user(role="supervisor"),
        "coach": make_user(role="learner"),
        "learner": make_user(role="learner"),
    }
    for who in ("instructor", "demoted"):
        for slug in ("draf", "arsip"):
            db.session.add(CourseStaff(user_id=people[who].id, course_id=courses[slug].id, role="instructor"))  # fmt: skip
    db.session.add(CohortStaff(user_id=people["supervisor"].id, cohort_id=cohorts["terbit1"].id, role="supervisor"))  # fmt: skip
    db.session.add(CohortStaff(user_id=people["coach"].id, cohort_id=cohorts["draf2"].id, role="coach"))  # fmt: skip
    db.session.commit()
    return courses, cohorts, people


PERSONAS = ["admin", "instructor", "demoted", "supervisor", "coach", "learner"]


@pytest.mark.parametrize("who", PERSONAS)
def test_courses_taught_by_are_the_courses_the_user_may_teach(world, who):
    courses, _cohorts, people = world
    user = people[who]
    listed = set(db.session.scalars(courses_taught_by(user)))
    assert listed == {c for c in courses.values() if can(user, "course.teach", c)}


@pytest.mark.parametrize("who", PERSONAS)
def test_cohorts_visible_to_are_the_cohorts_the_user_may_view(world, who):
    _courses, cohorts, people = world
    user = people[who]
    listed = set(db.session.scalars(cohorts_visible_to(user)))
    assert listed == {h for h in cohorts.values() if can(user, "cohort.view", h)}


def test_scopes_by_persona(world):
    """The rules, spelled out: a demoted instructor keeps a staff row but sees nothing of it."""
    courses, cohorts, people = world

    def taught(who):
        return {c.slug for c in db.session.scalars(courses_taught_by(people[who]))}

    def visible(who, course=None):
        course_id = courses[course].id if course else None
        statement = cohorts_visible_to(people[who], course_id)
        return {h.name for h in db.session.scalars(statement)}

    assert taught("admin") == {"terbit", "draf", "arsip"}
    assert taught("instructor") == {"draf", "arsip"}
    assert taught("demoted") == taught("supervisor") == taught("learner") == set()
    assert visible("admin") == {h.name for h in cohorts.values()}
    assert visible("instructor") == {"draf 1", "draf 2", "arsip 1", "arsip 2"}
    assert visible("instructor", "draf") == {"draf 1", "draf 2"}
    assert visible("demoted") == set()
    assert visible("supervisor") == {"terbit 1"}
    assert visible("coach") == {"draf 2"}
    assert visible("learner") == set()
    anonymous = AnonymousUserMixin()
    assert list(db.session.scalars(courses_taught_by(anonymous))) == []
    assert list(db.session.scalars(cohorts_visible_to(anonymous))) == []


def test_the_pages_list_what_the_scopes_allow(world, client, auth):
    """The authoring list, the cohort list, the new-cohort form and the API list use the scopes."""
    _courses, _cohorts, people = world
    auth.login(people["demoted"].email)
    demoted = people["demoted"]
    demoted.roles.append(
        db.session.scalar(select(Role).where(Role.name == "instructor"))
    )
    db.session.commit()
    # Re-promoted, the same person sees their courses again: the staff rows were the same.
    assert "Draf" in client.get("/author/").get_data(as_text=True)
    demoted.roles.clear()
    db.session.commit()
    assert client.get("/author/").status_code == 403
    page = client.get("/cohorts/").get_data(as_text=True)
    assert "draf 1" not in page and "arsip 1" not in page

    auth.logout()
    auth.login(people["instructor"].email)
    page = client.get("/cohorts/").get_data(as_text=True)
    assert "draf 1" in page and "terbit 1" not in page
    form = client.get("/cohorts/new").get_data(as_text=True)
    assert "Draf" in form and "Arsip" not in form and "Terbit" not in form
    authoring = client.get("/author/").get_data(as_text=True)
    assert "Draf" in authoring and "Terbit" not in authoring
