"""Assignments through the API: your own submission; graders list and grade, no one else."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.assignments.service import submit
from lms.extensions import db
from lms.models import Activity, ActivityProgress, AssignmentSubmission, User
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


def multipart(text=None, data=None, name="rancangan.pdf"):
    form = {} if text is None else {"text": text}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return {"data": form, "content_type": "multipart/form-data"}


@pytest.fixture
def cohort(import_courses, tmp_path, make_user):
    """The cohort course with Ani enrolled (through her cohort), her coach and another learner."""
    return cohort_with_people(import_courses, tmp_path, make_user)


def test_a_learner_hands_in_and_again_until_it_passes(api, cohort, make_token):
    ani = make_token(user("ani@example.org"))
    first = api.put(f"{ASSIGNMENT}/submission", ani, **multipart("Rancangan saya", PDF))
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["file"] == {
        "name": "rancangan.pdf",
        "type": "application/pdf",
        "size": len(PDF),
    }
    assert (
        api.get(f"{ASSIGNMENT}/submission", ani).get_json()["text"] == "Rancangan saya"
    )
    coach = make_token(user("coach@example.org"))
    sid = first.get_json()["id"]
    api.post(
        f"{ASSIGNMENT}/submissions/{sid}/grade",
        coach,
        json={"outcome": "revise", "comment": "Lengkapi."},
    )
    again = api.put(
        f"{ASSIGNMENT}/submission", ani, **multipart("Rancangan yang diperbaiki")
    )
    body = again.get_json()
    # the text is new, the grade cleared, the file handed in before kept
    assert (body["text"], body["outcome"], body["file"]["name"]) == (
        "Rancangan yang diperbaiki",
        None,
        "rancangan.pdf",
    )
    submission = db.session.get(AssignmentSubmission, sid)
    assert [h["outcome"] for h in submission.history] == ["revise"]
    api.post(f"{ASSIGNMENT}/submissions/{sid}/grade", coach, json={"outcome": "passed"})
    closed = api.put(f"{ASSIGNMENT}/submission", ani, **multipart("Lagi"))
    assert_problem(closed, 422, "submission-refused")
    assert api.get(f"{ASSIGNMENT}/submission", ani).get_json()["outcome"] == "passed"


def test_a_refused_hand_in_changes_nothing(api, cohort, make_token, app):
    ani = make_token(user("ani@example.org"))
    url = f"{ASSIGNMENT}/submission"
    refusals = [
        (
            multipart("Teks", b"MZ\x90\x00 not a document", "virus.exe"),
            422,
            "submission-refused",
        ),
        (multipart("", None), 422, "submission-refused"),  # nothing to hand in
        (multipart("x" * 50_001), 422, "validation-error"),
    ]
    for kwargs, status, kind in refusals:
        assert_problem(api.put(url, ani, **kwargs), status, kind)
    assert_problem(api.get(url, ani), 404, "not-found")
    assert db.session.scalar(select(func.count(AssignmentSubmission.id))) == 0
    uploads = Path(app.config["LMS_UPLOADS_DIR"])
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_only_the_enrolled_hand_in(api, cohort, make_token, make_user):
    stranger = make_token(make_user(email="tamu@example.org"))
    reader = make_token(user("ani@example.org"), scope="read")
    url = f"{ASSIGNMENT}/submission"
    assert_problem(api.put(url, **multipart("Teks")), 401, "unauthorized")
    assert_problem(api.put(url, stranger, **multipart("Teks")), 403, "forbidden")
    assert_problem(api.put(url, reader, **multipart("Teks")), 403, "insufficient-scope")
    assert db.session.scalar(select(func.count(AssignmentSubmission.id))) == 0
