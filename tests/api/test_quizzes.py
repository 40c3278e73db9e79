"""Quiz attempts through the API: the web's idempotency, and no answers before submission."""

import json

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import QuizAttempt
from tests.api.conftest import assert_problem

QUIZ = "/courses/kursus-kuis/quizzes/modul/kuis"


def choice_id(activity, key, text):
    question = next(q for q in activity.spec["questions"] if q["key"] == key)
    return next(c["id"] for c in question["choices"] if c["text"] == text)


def right_answers(quiz):
    return {
        "ibukota": choice_id(quiz, "ibukota", "Tanjungpinang"),
        "prinsip": [choice_id(quiz, "prinsip", "standar data"), choice_id(quiz, "prinsip", "metadata")],
        "lapor": True,
        "singkatan": "spbe",
        "jp": "20",
        "pasangan": {"p1": "Pelayanan publik", "p2": "Keterbukaan informasi publik",
                     "p3": "Pelindungan data pribadi"},
    }  # fmt: skip


@pytest.fixture
def learner(api, quiz, make_user, make_token):
    user = make_user(email="ani@example.org")
    token = make_token(user)
    api.post("/enrollments", token, json={"course": "kursus-kuis"})
    return user, token


def test_start_twice_returns_the_open_attempt(api, learner):
    _, token = learner
    first = api.post(f"{QUIZ}/attempts", token)
    again = api.post(f"{QUIZ}/attempts", token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["number"] == again.get_json()["number"] == 1
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_no_answers_leak_before_submission(api, learner, quiz):
    _, token = learner
    started = api.post(f"{QUIZ}/attempts", token).get_data(as_text=True)
    api.put(f"{QUIZ}/attempts/1/answers/ibukota", token, json={"answer": "x"})
    shown = api.get(f"{QUIZ}/attempts/1", token).get_data(as_text=True)
    listed = api.get(f"{QUIZ}/attempts", token).get_data(as_text=True)
    review = api.get(f"{QUIZ}/attempts/1/review", token)
    assert_problem(review, 409, "attempt-conflict")
    for text in (started, shown, listed):
        for secret in ("RAHASIA-UMPAN-BALIK", "fraction", "feedback", "S.P.B.E.", "Tepat.",
                       "tolerance", "right_answer", '"question"', "Ya."):  # fmt: skip
            assert secret not in text, secret
    body = json.loads(shown)
    assert [q["view"]["key"] for q in body["questions"]][:2] == ["pengantar", "ibukota"]
    assert set(body["questions"][1]["view"]) <= {"key", "type", "text_html", "missing_word",
                                                 "choices", "pairs", "options"}  # fmt: skip
    assert body["questions"][1]["answer"] == "x"


def test_answer_submit_and_review(api, learner, quiz):
    _, token = learner
    api.post(f"{QUIZ}/attempts", token)
    for key, answer in right_answers(quiz).items():
        response = api.put(
            f"{QUIZ}/attempts/1/answers/{key}", token, json={"answer": answer}
        )
        assert response.get_json() == {"question": key, "saved": True}
    first = api.post(f"{QUIZ}/attempts/1/submit", token).get_json()
    again = api.post(f"{QUIZ}/attempts/1/submit", token).get_json()
    assert first == again  # graded once
    assert (
        first["state"] == "graded" and first["score"] == 100 and first["passed"] is True
    )
    review = api.get(f"{QUIZ}/attempts/1/review", token).get_json()
    assert review["answers_shown"] is True  # this quiz shows answers after submit
    ibukota = next(q for q in review["questions"] if q["key"] == "ibukota")
    assert ibukota["right_answer"] == "Tanjungpinang" and ibukota["fraction"] == 1
    progress = api.get("/courses/kursus-kuis/progress", token).get_json()
    quiz_row = next(i for i in progress["items"] if i["key"] == "modul/kuis")
    assert quiz_row["completed_at"] and quiz_row["score"] == 100
    late = api.put(f"{QUIZ}/attempts/1/answers/ibukota", token, json={"answer": "x"})
    assert_problem(late, 409, "attempt-conflict")


def test_attempt_limit_is_a_conflict(api, learner):
    _, token = learner
    for number in (1, 2, 3):
        assert api.post(f"{QUIZ}/attempts", token).get_json()["number"] == number
        api.post(f"{QUIZ}/attempts/{number}/submit", token)
    listed = api.get(f"{QUIZ}/attempts?per_page=2", token).get_json()
    assert (
        listed["total"] == 3
        and len(listed["items"]) == 2
        and listed["attempts_left"] == 0
    )
    assert_problem(api.post(f"{QUIZ}/attempts", token), 409, "attempt-conflict")


def test_unknown_question_is_a_conflict(api, learner):
    _, token = learner
    api.post(f"{QUIZ}/attempts", token)
    response = api.put(f"{QUIZ}/attempts/1/answers/nope", token, json={"answer": "x"})
    assert_problem(response, 409, "attempt-conflict")
    assert_problem(api.put(f"{QUIZ}/attempts/1/answers/ibukota", token, json={}), 422)


def test_another_learners_attempt_does_not_exist_for_you(
    api, learner, make_user, make_token
):
    _, token = learner
    api.post(f"{QUIZ}/attempts", token)
    other = make_token(make_user(email="budi@example.org"))
    api.post("/enrollments", other, json={"course": "kursus-kuis"})
    for method, path in (
        ("GET", "/attempts/1"),
        ("GET", "/attempts/1/review"),
        ("POST", "/attempts/1/submit"),
    ):
        assert_problem(api.call(method, f"{QUIZ}{path}", other), 404, "not-found")
    response = api.put(
        f"{QUIZ}/attempts/1/answers/ibukota", other, json={"answer": "x"}
    )
    assert_problem(response, 404)
    assert api.get(f"{QUIZ}/attempts", other).get_json()["total"] == 0
    assert db.session.scalar(select(QuizAttempt.state)) == "in_progress"


def test_not_enrolled_cannot_start(api, quiz, make_user, make_token):
    token = make_token(make_user())
    assert_problem(api.post(f"{QUIZ}/attempts", token), 403, "forbidden")


def test_anonymous_is_refused_everywhere(api, learner):
    for method, path in (
        ("GET", "/attempts"),
        ("POST", "/attempts"),
        ("GET", "/attempts/1"),
        ("PUT", "/attempts/1/answers/ibukota"),
        ("POST", "/attempts/1/submit"),
        ("GET", "/attempts/1/review"),
    ):
        assert_problem(api.call(method, f"{QUIZ}{path}", json={"answer": 1}), 401)


def test_a_lesson_is_not_a_quiz(api, learner):
    _, token = learner
    assert_problem(
        api.post("/courses/kursus-kuis/quizzes/modul/bacaan/attempts", token), 404
    )
