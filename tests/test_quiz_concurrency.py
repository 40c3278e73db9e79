"""Two hundred learners submitting the same quiz at once lose and duplicate nothing (PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.assessment import attempts as engine
from lms.extensions import db
from lms.models import (
    ActivityProgress,
    Course,
    Enrollment,
    JpRecord,
    QuizAttempt,
    QuizResponse,
    User,
)
from tests.test_quiz_attempts import choice_id

LEARNERS = 200


@pytest.fixture
def crowd(app, quiz):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is measured on PostgreSQL, the production database")
    course = db.session.scalar(select(Course))
    users = [
        User(email=f"asn{n}@example.org", name=f"ASN {n}", password_hash="x")
        for n in range(LEARNERS)
    ]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(
        Enrollment(user_id=u.id, course_id=course.id, completed_activities=0)
        for u in users
    )
    db.session.commit()
    all_right = {
        "ibukota": choice_id(quiz, "ibukota", "Tanjungpinang"),
        "prinsip": [choice_id(quiz, "prinsip", "standar data"), choice_id(quiz, "prinsip", "metadata")],
        "lapor": "true", "singkatan": "SPBE", "jp": "20",
        "pasangan": {"p1": "Pelayanan publik", "p2": "Keterbukaan informasi publik", "p3": "Pelindungan data pribadi"},
    }  # fmt: skip
    attempt_ids = []
    for n, user in enumerate(users):
        attempt = engine.start_attempt(user.id, quiz)
        answers = (
            all_right if n % 2 == 0 else {"ibukota": all_right["ibukota"]}
        )  # half of them pass
        for key, value in answers.items():
            engine.save_answer(attempt, key, value)
        attempt_ids.append(attempt.id)
    return attempt_ids


def test_two_hundred_simultaneous_submissions(app, quiz, crowd):
    def submit(attempt_id):
        # each submission in its own context and session, as each request on a server would be
        with app.app_context():
            attempt = db.session.get(QuizAttempt, attempt_id)
            first = engine.submit_attempt(attempt).score
            second = engine.submit_attempt(
                attempt
            ).score  # the same learner clicks twice
            db.session.remove()
            return first, second

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(
            pool.map(submit, crowd + crowd[:50])
        )  # 50 learners submit from a second tab too
    low = (Decimal(100) / 6).quantize(Decimal("0.01"))
    assert all(
        first == second and first in (low, Decimal("100.00"))
        for first, second in results
    )
    db.session.expire_all()
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == LEARNERS
    assert (
        db.session.scalar(
            select(func.count(QuizAttempt.id)).where(QuizAttempt.state == "graded")
        )
        == LEARNERS
    )
    assert db.session.scalar(select(func.count(QuizResponse.id))) == LEARNERS // 2 * 7
    progress = select(func.count(ActivityProgress.id)).where(
        ActivityProgress.activity_id == quiz.id
    )
    assert db.session.scalar(progress) == LEARNERS
    assert (
        db.session.scalar(progress.where(ActivityProgress.completed_at.is_not(None)))
        == LEARNERS // 2
    )
    counts = db.session.scalars(select(Enrollment.completed_activities)).all()
    assert sorted(counts) == [0] * (LEARNERS // 2) + [1] * (LEARNERS // 2)
    assert (
        db.session.scalar(select(func.count(JpRecord.id))) == 0
    )  # the course has more to do


def test_many_tabs_starting_and_submitting_at_once_make_no_duplicates(
    app, quiz, make_user
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is measured on PostgreSQL, the production database")
    learner = make_user()
    learner_id = learner.id

    def start_and_submit(_):
        with app.app_context():
            attempt = engine.start_attempt(
                learner_id, db.session.get(type(quiz), quiz.id)
            )
            engine.submit_attempt(attempt)
            number = attempt.number
            db.session.remove()
            return number

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(start_and_submit, range(3)))
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == learner_id)
    ).all()
    assert sorted(a.number for a in attempts) == list(
        range(1, len(attempts) + 1)
    )  # no gaps, no duplicates
    assert len(attempts) <= 3 and all(
        a.state == "graded" for a in attempts
    )  # the quiz allows 3
    assert set(numbers) <= {a.number for a in attempts}
