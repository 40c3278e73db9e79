"""Assignments through the API: your own submission; graders list and grade, no one else."""

import pytest
from sqlalchemy import select

from lms.assignments.service import submit
from lms.extensions import db
from lms.models import Activity, ActivityProgress, User
from tests.api.conftest import assert_problem
from tests.test_assignments import PDF, cohort_with_people

ASSIGNMENT = "/courses/kursus-angkatan/assignments/aksi/rancangan"


def user(email):
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def handed_in(import_courses, tmp_path, make_user):
    """Ani's submission, in a cohort with her mentor, a coach and another learner."""
    learner = cohort_with_people(import_courses, tmp_path, make_user)
    activity = db.session.scalar(select(Activity).where(Activity.type == "assignment"))
    return submit(learner.id, activity, "Rancangan saya", PDF, "rancangan.pdf")


def test_a_learner_sees_their_own_submission_only(api, handed_in, make_token):
    mine = api.get(f"{ASSIGNMENT}/submission", make_token(user("ani@example.org")))
    body = mine.get_json()
    assert (body["text"], body["outcome"], body["graded_at"]) == (
        "Rancangan saya",
        None,
        None,
    )
    assert body["file"] == {
        "name": "rancangan.pdf",
        "type": "application/pdf",
        "size": len(PDF),
    }
    other = api.get(f"{ASSIGNMENT}/submission", make_token(user("lain@example.org")))
    assert_problem(other, 404, "not-found")
    assert_problem(api.get(f"{ASSIGNMENT}/submission"), 401, "unauthorized")


def test_the_coach_lists_and_grades_and_passing_completes(api, handed_in, make_token):
    coach = make_token(user("coach@example.org"))
    listed = api.get(f"{ASSIGNMENT}/submissions", coach).get_json()
    assert listed["total"] == 1
    assert listed["items"][0]["learner"]["name"] == user("ani@example.org").name
    graded = api.post(
        f"{ASSIGNMENT}/submissions/{handed_in.id}/grade",
        coach,
        json={"outcome": "passed", "comment": "Bagus."},
    )
    assert graded.status_code == 200, graded.get_data(as_text=True)
    assert (graded.get_json()["outcome"], graded.get_json()["comment"]) == (
        "passed",
        "Bagus.",
    )
    done = db.session.scalar(
        select(ActivityProgress.completed_at).where(
            ActivityProgress.user_id == handed_in.user_id,
            ActivityProgress.activity_id == handed_in.activity_id,
        )
    )
    assert done is not None
    learner = make_token(user("ani@example.org"))
    assert (
        api.get(f"{ASSIGNMENT}/submission", learner).get_json()["comment"] == "Bagus."
    )


def test_no_one_else_lists_or_grades(api, handed_in, make_token):
    grade = f"{ASSIGNMENT}/submissions/{handed_in.id}/grade"
    for email in ("ani@example.org", "lain@example.org"):
        token = make_token(user(email))
        assert_problem(api.get(f"{ASSIGNMENT}/submissions", token), 403, "forbidden")
        assert_problem(
            api.post(grade, token, json={"outcome": "passed"}), 403, "forbidden"
        )
    coach = make_token(user("coach@example.org"))
    refused = api.post(grade, coach, json={"outcome": "lulus"})
    assert_problem(refused, 422, "validation-error")
    missing = f"{ASSIGNMENT}/submissions/{handed_in.id + 1}/grade"
    assert_problem(
        api.post(missing, coach, json={"outcome": "passed"}), 404, "not-found"
    )
    assert db.session.get(type(handed_in), handed_in.id).outcome is None
