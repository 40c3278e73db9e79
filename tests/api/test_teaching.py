"""A quiz's results through the API: its course's instructors and admins see them, no one else."""

import pytest
from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.models import AttemptScoreChange, AuditEvent, User
from tests.api.conftest import assert_problem
from tests.api.test_quizzes import QUIZ, choice_id, right_answers


@pytest.fixture
def graded(api, quiz, make_user, make_token):
    """Two learners' graded attempts: Ani answers everything right, Budi says Batam is the capital."""
    for name, capital in (("Ani", "Tanjungpinang"), ("Budi", "Batam")):
        token = make_token(make_user(email=f"{name.lower()}@example.org", name=name))
        api.post("/enrollments", token, json={"course": "kursus-kuis"})
        api.post(f"{QUIZ}/attempts", token)
        answers = right_answers(quiz) | {"ibukota": choice_id(quiz, "ibukota", capital)}
        for key, answer in answers.items():
            api.put(f"{QUIZ}/attempts/1/answers/{key}", token, json={"answer": answer})
        assert api.post(f"{QUIZ}/attempts/1/submit", token).status_code == 200


def instructor_token(make_user, make_token, email, slug=None):
    make_user(email=email, role="instructor")
    if slug:
        assign_instructor(email, slug)
    return make_token(db.session.scalar(select(User).where(User.email == email)))


def test_instructors_list_every_learners_attempts(api, graded, make_user, make_token):
    token = instructor_token(make_user, make_token, "guru@example.org", "kursus-kuis")
    body = api.get(f"{QUIZ}/results", token).get_json()
    assert body["total"] == 2
    assert [(r["learner"]["name"], r["number"], r["state"]) for r in body["items"]] == [
        ("Ani", 1, "graded"),
        ("Budi", 1, "graded"),
    ]
    ani, budi = body["items"]
    assert ani["learner"] == {"name": "Ani", "nip": None}  # as the web page: no email
    assert ani["score"] > budi["score"]
    paged = api.get(f"{QUIZ}/results?per_page=1&page=2", token).get_json()
    assert [r["learner"]["name"] for r in paged["items"]] == ["Budi"]
    assert (paged["pages"], paged["total"]) == (2, 2)


def test_instructors_see_how_each_question_did(api, graded, make_user, make_token):
    token = instructor_token(make_user, make_token, "guru@example.org", "kursus-kuis")
    body = api.get(f"{QUIZ}/statistics", token).get_json()
    questions = {q["key"]: q for q in body["questions"]}
    assert "pengantar" not in questions  # a description is not a question
    ibukota = questions["ibukota"]
    assert (ibukota["attempts"], ibukota["facility"]) == (2, 50.0)
    assert {(o["label"], o["count"]) for o in ibukota["options"]} == {
        ("Tanjungpinang", 1),
        ("Batam", 1),
    }
    assert questions["lapor"]["facility"] == 100.0


def test_no_one_else_sees_the_results(api, graded, make_user, make_token):
    learner = make_token(make_user(email="citra@example.org"))
    elsewhere = instructor_token(make_user, make_token, "lain@example.org")
    admin = make_token(make_user(role="admin"))
    for path in (f"{QUIZ}/results", f"{QUIZ}/statistics"):
        assert_problem(api.get(path), 401, "unauthorized")
        body = assert_problem(api.get(path, learner), 403, "forbidden")
        assert "instructors" in body["detail"]
        assert_problem(api.get(path, elsewhere), 403, "forbidden")
        assert api.get(path, admin).status_code == 200
    missing = "/courses/kursus-kuis/quizzes/modul/tidak-ada/results"
    assert_problem(api.get(missing, admin), 404, "not-found")


def test_an_instructor_marks_a_question_by_hand(api, graded, make_user, make_token):
    token = instructor_token(make_user, make_token, "guru@example.org", "kursus-kuis")
    budi = api.get(f"{QUIZ}/results", token).get_json()["items"][1]
    grade = f"{QUIZ}/results/{budi['id']}/grade"
    marked = api.post(
        grade,
        token,
        json={"question": "ibukota", "percent": 100, "comment": "Diterima."},
    )
    assert marked.status_code == 200, marked.get_data(as_text=True)
    assert marked.get_json()["learner"]["name"] == "Budi"
    assert marked.get_json()["score"] > budi["score"]
    questions = {
        q["key"]: q
        for q in api.get(f"{QUIZ}/statistics", token).get_json()["questions"]
    }
    assert questions["ibukota"]["facility"] == 100.0
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "quiz.manual_grade")
    )
    assert list(events) == ["quiz.manual_grade"]


def test_a_hand_mark_is_refused_when_it_cannot_be(api, graded, make_user, make_token):
    token = instructor_token(make_user, make_token, "guru@example.org", "kursus-kuis")
    ani = api.get(f"{QUIZ}/results", token).get_json()["items"][0]
    grade = f"{QUIZ}/results/{ani['id']}/grade"
    refused = api.post(grade, token, json={"question": "tidak-ada", "percent": 50})
    assert_problem(refused, 409, "attempt-conflict")
    assert_problem(
        api.post(grade, token, json={"question": "ibukota", "percent": 150}), 422
    )
    missing = f"{QUIZ}/results/{ani['id'] + 100}/grade"
    assert_problem(
        api.post(missing, token, json={"question": "ibukota", "percent": 0}), 404
    )
    learner = make_token(
        db.session.scalar(select(User).where(User.email == "ani@example.org"))
    )
    assert_problem(
        api.post(grade, learner, json={"question": "ibukota", "percent": 0}), 403
    )
    after = api.get(f"{QUIZ}/results", token).get_json()["items"][0]
    assert after["score"] == ani["score"]


def test_an_instructor_regrades_a_question(api, graded, make_user, make_token):
    """Batam was marked wrong; the instructor gives everyone full marks on the question."""
    token = instructor_token(make_user, make_token, "guru@example.org", "kursus-kuis")
    assert api.get(f"{QUIZ}/regrades", token).get_json() == {"regrades": []}
    before = {
        r["learner"]["name"]: r
        for r in api.get(f"{QUIZ}/results", token).get_json()["items"]
    }
    done = api.post(
        f"{QUIZ}/regrades", token, json={"question": "ibukota", "option": "full_credit"}
    )
    assert done.status_code == 201, done.get_data(as_text=True)
    assert done.get_json()["attempts_changed"] == 1  # Ani had it right already
    after = {
        r["learner"]["name"]: r
        for r in api.get(f"{QUIZ}/results", token).get_json()["items"]
    }
    assert after["Budi"]["score"] > before["Budi"]["score"]
    assert after["Ani"]["score"] == before["Ani"]["score"]
    listed = api.get(f"{QUIZ}/regrades", token).get_json()["regrades"]
    assert [(r["question"], r["option"], r["attempts_changed"]) for r in listed] == [
        ("ibukota", "full_credit", 1)
    ]
    changes = db.session.scalars(
        select(AttemptScoreChange).where(
            AttemptScoreChange.reason == "regrade:full_credit"
        )
    ).all()
    assert [float(c.old_score) for c in changes] == [before["Budi"]["score"]]
    assert list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "quiz.regrade")
        )
    ) == ["quiz.regrade"]


def test_a_regrade_is_refused_when_it_cannot_be(api, graded, make_user, make_token):
    token = instructor_token(make_user, make_token, "guru@example.org", "kursus-kuis")
    elsewhere = instructor_token(make_user, make_token, "lain@example.org")
    learner = make_token(
        db.session.scalar(select(User).where(User.email == "ani@example.org"))
    )
    before = api.get(f"{QUIZ}/results", token).get_json()["items"]
    body = {"question": "ibukota", "option": "full_credit"}
    assert_problem(api.post(f"{QUIZ}/regrades", json=body), 401, "unauthorized")
    assert_problem(api.post(f"{QUIZ}/regrades", learner, json=body), 403, "forbidden")
    assert_problem(api.post(f"{QUIZ}/regrades", elsewhere, json=body), 403, "forbidden")
    assert_problem(api.get(f"{QUIZ}/regrades", learner), 403, "forbidden")
    unknown = {"question": "ibukota", "option": "everything"}
    assert_problem(api.post(f"{QUIZ}/regrades", token, json=unknown), 422)
    missing = {"question": "tidak-ada", "option": "new_only"}
    assert_problem(
        api.post(f"{QUIZ}/regrades", token, json=missing), 409, "attempt-conflict"
    )
    description = {"question": "pengantar", "option": "full_credit"}
    assert_problem(
        api.post(f"{QUIZ}/regrades", token, json=description), 409, "attempt-conflict"
    )
    assert api.get(f"{QUIZ}/regrades", token).get_json() == {"regrades": []}
    assert api.get(f"{QUIZ}/results", token).get_json()["items"] == before
