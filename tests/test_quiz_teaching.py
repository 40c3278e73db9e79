"""Instructors: results, grading essays by hand, item statistics and regrading that cheats no one."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.assessment import attempts as engine
from lms.assessment.regrade import regrade_question
from lms.assessment.stats import statistics_for
from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.models import Activity, AttemptScoreChange, QuizAttempt, QuizRegrade
from tests.test_quiz_attempts import ESAI, KUIS, choice_id


@pytest.fixture
def teacher(make_user, quiz):
    user = make_user(email="guru@example.org", role="instructor")
    assign_instructor("guru@example.org", "kursus-kuis")
    return user


def take(user_id, activity, answers: dict):
    attempt = engine.start_attempt(user_id, activity)
    for key, value in answers.items():
        engine.save_answer(attempt, key, value)
    return engine.submit_attempt(attempt)


def test_results_page_is_for_the_course_instructor_only(
    client, auth, make_user, teacher, quiz
):
    make_user(email="lain@example.org", role="instructor")
    make_user(email="ani@example.org")
    for email, status in (
        ("ani@example.org", 403),
        ("lain@example.org", 403),
        ("guru@example.org", 200),
    ):
        auth.login(email)
        assert client.get(f"{KUIS}/results").status_code == status, email
        regrade = client.post(
            f"{KUIS}/regrade", data={"key": "ibukota", "option": "full_credit"}
        )
        assert regrade.status_code == (302 if status == 200 else 403)
        auth.logout()
    assert (
        len(db.session.scalars(select(QuizRegrade)).all()) == 1
    )  # only the instructor's ran


def test_essay_waits_for_a_teacher_then_counts(
    client, auth, make_user, teacher, import_courses, quiz
):
    learner = make_user(email="ani@example.org")
    essay = db.session.scalar(select(Activity).where(Activity.key == "modul/esai"))
    attempt = take(
        learner.id,
        essay,
        {
            "refleksi": "Antrean daring.",
            "dasar": choice_id(essay, "dasar", "UU 25/2009"),
        },
    )
    assert (
        attempt.state == "needs_grading"
        and attempt.passed is None
        and attempt.score == Decimal("50.00")
    )
    auth.login("guru@example.org")
    page = client.get(f"{ESAI}/results").get_data(as_text=True)
    assert "Antrean" not in page and (
        "Waiting for grading" in page or "Menunggu penilaian" in page
    )
    client.post(
        f"{ESAI}/results/{attempt.id}/grade",
        data={"key": "refleksi", "percent": "80", "comment": "Bagus, lanjutkan."},
    )
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt.id)
    assert (
        attempt.state == "graded"
        and attempt.score == Decimal("90.00")
        and attempt.passed
    )
    change = db.session.scalar(select(AttemptScoreChange))
    assert (
        change.old_score == Decimal("50.00")
        and change.new_score == Decimal("90.00")
        and change.reason == "manual"
    )
    assert "Bagus, lanjutkan." in client.get(f"{ESAI}/results/{attempt.id}").get_data(
        as_text=True
    )


def test_bad_manual_mark_is_refused(client, auth, make_user, teacher, quiz):
    learner = make_user(email="ani@example.org")
    essay = db.session.scalar(select(Activity).where(Activity.key == "modul/esai"))
    attempt = take(learner.id, essay, {"refleksi": "x"})
    auth.login("guru@example.org")
    client.post(
        f"{ESAI}/results/{attempt.id}/grade", data={"key": "refleksi", "percent": "150"}
    )
    client.post(
        f"{ESAI}/results/{attempt.id}/grade",
        data={"key": "refleksi", "percent": "banyak"},
    )
    assert db.session.scalar(select(AttemptScoreChange)) is None


@pytest.fixture
def fixed_question(make_user, quiz, quiz_dir, import_courses):
    """Three learners answered 'ibukota'; then the author changes the right answer to Batam."""
    answers = {"Tanjungpinang": "old-right", "Batam": "new-right", "Karimun": "wrong"}
    learners = {}
    for text in answers:
        user = make_user()
        learners[text] = take(
            user.id, quiz, {"ibukota": choice_id(quiz, "ibukota", text)}
        )
    path = quiz_dir / "kursus-kuis" / "01-modul" / "02-kuis.gift"
    text = (
        path.read_text()
        .replace("=Tanjungpinang", "~Tanjungpinang")
        .replace("~Batam", "=Batam")
    )
    path.write_text(text)
    import_courses(quiz_dir)
    db.session.refresh(quiz)
    return learners


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("full_credit", {"Tanjungpinang": 1, "Batam": 1, "Karimun": 1}),
        ("old_or_new", {"Tanjungpinang": 1, "Batam": 1, "Karimun": 0}),
        ("new_only", {"Tanjungpinang": 0, "Batam": 1, "Karimun": 0}),
    ],
)
def test_regrade_options(fixed_question, quiz, teacher, option, expected):
    before = {text: a.score for text, a in fixed_question.items()}
    regrade = regrade_question(quiz, "ibukota", option, teacher.id)
    for text, attempt in fixed_question.items():
        db.session.refresh(attempt)
        assert attempt.score == (Decimal(100) * expected[text] / 6).quantize(
            Decimal("0.01")
        ), text
        changes = db.session.scalars(
            select(AttemptScoreChange).where(
                AttemptScoreChange.attempt_id == attempt.id
            )
        ).all()
        if attempt.score != before[text]:
            assert [(c.old_score, c.regrade_id) for c in changes] == [
                (before[text], regrade.id)
            ]
        else:
            assert changes == []
    log = db.session.scalar(select(QuizRegrade))
    assert (
        log.option == option
        and log.by_user_id == teacher.id
        and log.question_key == "ibukota"
    )


def test_no_regrade_leaves_scores_alone(client, auth, fixed_question, teacher):
    before = {t: a.score for t, a in fixed_question.items()}
    auth.login("guru@example.org")
    client.post(f"{KUIS}/regrade", data={"key": "ibukota", "option": "none"})
    for text, attempt in fixed_question.items():
        db.session.refresh(attempt)
        assert attempt.score == before[text]
    assert db.session.scalar(select(QuizRegrade)) is None


def test_statistics_on_a_known_data_set(app):  # app: labels in the default language
    questions = [
        {"key": "a", "type": "multichoice", "text_html": "A", "choices": [
            {"id": "x", "text": "X"}, {"id": "y", "text": "Y"}]},
        {"key": "b", "type": "truefalse", "text_html": "B"},
    ]  # fmt: skip
    snapshot = [{"question": q} for q in questions]

    def attempt(a_choice, a_fraction, b_answer, b_fraction):
        responses = [SimpleNamespace(question_key="a", fraction=Decimal(a_fraction), response=a_choice),
                     SimpleNamespace(question_key="b", fraction=Decimal(b_fraction), response=b_answer)]  # fmt: skip
        return SimpleNamespace(snapshot=snapshot, responses=responses)

    # Question a: right in attempts 1 and 2; question b right in 1, 2 and 3.
    data = [
        attempt("x", 1, True, 1),
        attempt("x", 1, True, 1),
        attempt("y", 0, True, 1),
        attempt("y", 0, False, 0),
    ]
    a, b = statistics_for(questions, data)
    assert a.attempts == 4 and a.facility == 50.0 and b.facility == 75.0
    # a's score vs rest-of-test (b): (1,1),(1,1),(0,1),(0,0) -> r = 0.57735
    assert a.discrimination == 57.7
    assert b.discrimination == 57.7
    assert dict(a.options) == {"X": 2, "Y": 2} and dict(b.options) == {
        "Benar": 3,
        "Salah": 1,
    }


def test_statistics_page_shows_facility(client, auth, make_user, teacher, quiz):
    for text in ("Tanjungpinang", "Batam"):
        user = make_user()
        take(user.id, quiz, {"ibukota": choice_id(quiz, "ibukota", text)})
    auth.login("guru@example.org")
    page = client.get(f"{KUIS}/results").get_data(as_text=True)
    assert "50.0" in page and "Tanjungpinang: 1" in page and "Batam: 1" in page


def test_results_page_query_count_does_not_grow_with_attempts(
    client, auth, make_user, teacher, quiz, count_queries
):
    def statements_for_results():
        with count_queries() as statements:
            assert client.get(f"{KUIS}/results").status_code == 200
        return len(statements)

    take(make_user().id, quiz, {"ibukota": choice_id(quiz, "ibukota", "Batam")})
    auth.login("guru@example.org")
    statements_for_results()  # the first request after sign-in also reads the user
    few = statements_for_results()
    for _ in range(4):
        take(make_user().id, quiz, {"ibukota": choice_id(quiz, "ibukota", "Batam")})
    assert statements_for_results() == few
