"""The quiz attempt rules of lms/assessment/attempts.py, asked directly (no HTTP).

How many attempts are left, when answers may be reviewed, the time limit's grace, what a form's
answer becomes, which questions an attempt draws, and what a graded attempt writes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.assessment import attempts as engine
from lms.assessment import regrade
from lms.extensions import db
from lms.models import ActivityProgress, QuizAttempt
from lms.models.quiz import GRADED, IN_PROGRESS, NEEDS_GRADING

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def quiz_with(**settings):
    base = {"max_attempts": 0, "show_answers": "after_submit", "grading": "highest",
            "passing_grade": 60, "shuffle_answers": False}  # fmt: skip
    return SimpleNamespace(spec={"settings": {**base, **settings}, "questions": []})


def tries(*states, passed=None):
    return [SimpleNamespace(state=s, passed=passed, user_id=1) for s in states]


def test_attempts_left_counts_finished_attempts_only():
    three = quiz_with(max_attempts=3)
    assert engine.attempts_left(three, []) == 3
    assert engine.attempts_left(three, tries(GRADED, IN_PROGRESS)) == 2
    assert engine.attempts_left(three, tries(GRADED, NEEDS_GRADING, GRADED)) == 0
    assert engine.attempts_left(three, tries(*[GRADED] * 4)) == 0  # never below zero
    assert engine.attempts_left(quiz_with(max_attempts=0), tries(GRADED)) is None


@pytest.mark.parametrize(
    "rule, finished, passed, expected",
    [
        ("after_submit", 1, False, True),
        ("never", 2, True, False),
        ("after_last_attempt", 1, True, False),
        ("after_last_attempt", 2, False, True),
        ("after_pass_or_last_attempt", 1, False, False),
        ("after_pass_or_last_attempt", 1, True, True),
        ("after_pass_or_last_attempt", 2, False, True),
    ],
)
def test_review_follows_the_quiz_rule(rule, finished, passed, expected):
    quiz = quiz_with(max_attempts=2, show_answers=rule)
    attempts = tries(*[GRADED] * finished, passed=passed)
    assert engine.review_allowed(quiz, attempts[-1], attempts) is expected


def test_no_review_of_an_attempt_in_progress():
    quiz = quiz_with(show_answers="after_submit")
    attempt = tries(IN_PROGRESS)[0]
    assert engine.review_allowed(quiz, attempt, [attempt]) is False
    open_pass = tries(
        IN_PROGRESS, passed=True
    )  # an open attempt never counts as a pass
    quiz = quiz_with(max_attempts=3, show_answers="after_pass_or_last_attempt")
    done = tries(GRADED, passed=False)
    assert engine.review_allowed(quiz, done[0], done + open_pass) is False


def test_the_time_limit_forgives_fifteen_seconds():
    attempt = SimpleNamespace(deadline_at=NOON)
    grace = timedelta(seconds=engine.GRACE_SECONDS)
    assert engine.GRACE_SECONDS == 15
    assert engine.is_overdue(attempt, NOON + grace) is False
    assert engine.is_overdue(attempt, NOON + grace + timedelta(microseconds=1)) is True
    assert (
        engine.is_overdue(SimpleNamespace(deadline_at=None), NOON + grace * 100)
        is False
    )


def test_answers_are_cleaned_into_the_graders_shapes():
    def clean(kind, raw):
        return engine.clean_response({"type": kind}, raw)

    assert clean("multiresponse", ["b", "a", "b", "", None]) == ["a", "b"]
    assert clean("multiresponse", "c12") == ["c12"]
    assert clean("truefalse", True) is True
    assert clean("truefalse", "False") is False
    assert clean("truefalse", "TRUE") is True
    assert clean("truefalse", "mungkin") is None
    assert clean("matching", {"a": "1", "b": "", "c": None, 1: 2}) == {
        "a": "1",
        "1": "2",
    }
    assert clean("matching", {"a": "x" * 600}) == {"a": "x" * 500}
    assert clean("matching", ["a"]) == {}
    assert clean("shortanswer", None) is None
    assert clean("shortanswer", ["Jakarta", "Bandung"]) == "Jakarta"
    assert clean("shortanswer", []) == ""
    assert clean("numerical", 42) == "42"
    long = "k" * (engine.MAX_ANSWER_CHARS + 5)
    assert clean("essay", long) == long[: engine.MAX_ANSWER_CHARS]
    assert engine.MAX_ANSWER_CHARS == 20_000


QUESTIONS = [{"key": "intro", "type": "description"}] + [
    {"key": f"q{n}", "type": "truefalse"} for n in range(1, 7)
]


def test_questions_keep_their_order_unless_shuffled_or_drawn():
    rng = random.Random(4)
    assert engine.draw_questions(QUESTIONS, {}, rng) == QUESTIONS
    shuffled = engine.draw_questions(
        QUESTIONS, {"shuffle_questions": True}, random.Random(4)
    )
    assert sorted(q["key"] for q in shuffled) == [f"q{n}" for n in range(1, 7)]
    assert [q["key"] for q in shuffled] != [f"q{n}" for n in range(1, 7)]
    drawn = engine.draw_questions(QUESTIONS, {"draw": 5}, random.Random(4))
    keys = [q["key"] for q in drawn]
    assert (
        len(keys) == 5 and "intro" not in keys and keys == sorted(keys)
    )  # in quiz order
    both = engine.draw_questions(
        QUESTIONS, {"draw": 5, "shuffle_questions": True}, random.Random(4)
    )
    assert len(both) == 5 and [q["key"] for q in both] != sorted(q["key"] for q in both)


def test_fractions_keep_seven_decimals_rounded_half_up():
    assert engine.to_fraction(1 / 3) == Decimal("0.3333333")
    assert engine.to_fraction(0.00000005) == Decimal("0.0000001")
    assert engine.to_fraction(-0.5) == Decimal("-0.5000000")


def _attempt(learner, quiz, number, score, state=GRADED):
    db.session.add(QuizAttempt(user_id=learner.id, activity_id=quiz.id, number=number, seed=1,
                               quiz_version=1, snapshot=[], state=state, started_at=NOON,
                               score=None if score is None else Decimal(score)))  # fmt: skip
    db.session.commit()


def test_average_counts_graded_attempts_of_this_learner_only(quiz, make_user):
    learner, other = make_user(), make_user()
    assert engine.counted_score(learner.id, quiz.id, "average") is None
    _attempt(learner, quiz, 1, "50")
    _attempt(learner, quiz, 2, "75")
    _attempt(learner, quiz, 3, None, NEEDS_GRADING)
    _attempt(other, quiz, 1, "10")
    assert engine.counted_score(learner.id, quiz.id, "average") == Decimal("62.50")
    assert engine.counted_score(learner.id, quiz.id, "last") == Decimal(75)


def _progress(learner, quiz):
    return db.session.scalar(
        select(ActivityProgress).where(
            ActivityProgress.user_id == learner.id,
            ActivityProgress.activity_id == quiz.id,
        )
    )


def test_a_score_at_the_pass_mark_completes_the_quiz_and_one_below_does_not(
    quiz, make_user
):
    mark = Decimal(str(engine.settings(quiz)["passing_grade"]))
    below, at = make_user(), make_user()
    _attempt(below, quiz, 1, mark - Decimal("0.01"))
    _attempt(at, quiz, 1, mark)
    for learner in (below, at):
        engine.apply_quiz_result(learner.id, quiz)
    db.session.commit()
    assert _progress(below, quiz).score == mark - Decimal("0.01")
    assert _progress(below, quiz).completed_at is None
    assert _progress(at, quiz).completed_at is not None


def test_no_graded_attempt_writes_no_progress(quiz, make_user):
    learner = make_user()
    _attempt(learner, quiz, 1, None, NEEDS_GRADING)
    engine.apply_quiz_result(learner.id, quiz)
    assert _progress(learner, quiz) is None


def test_a_pretest_completes_whatever_the_score_but_an_archived_quiz_never(
    quiz, make_user
):
    learner, late = make_user(), make_user()
    quiz.spec = {**quiz.spec, "settings": {**engine.settings(quiz), "role": "pretest"}}
    _attempt(learner, quiz, 1, "0")
    engine.apply_quiz_result(learner.id, quiz)
    assert _progress(learner, quiz).completed_at is not None
    quiz.archived_at = NOON
    _attempt(late, quiz, 1, "100")
    engine.apply_quiz_result(late.id, quiz)
    assert (
        _progress(late, quiz).score == Decimal(100)
        and _progress(late, quiz).completed_at is None
    )


def test_after_close_review_waits_for_the_learners_angkatan_to_end(quiz, make_user):
    from lms.models import Enrollment
    from tests.cohort_world import add_cohort

    quiz.spec = {
        **quiz.spec,
        "settings": {**engine.settings(quiz), "show_answers": "after_close"},
    }
    ended = add_cohort(quiz.course_id, "Selesai", starts=-30, ends=-1)
    running = add_cohort(quiz.course_id, "Berjalan", starts=-5, ends=20)
    done, busy, alone = make_user(), make_user(), make_user()
    for user, cohort in [(done, ended), (busy, running), (alone, None)]:
        db.session.add(Enrollment(user_id=user.id, course_id=quiz.course_id, enrolled_at=NOON,
                                  cohort_id=cohort and cohort.id))  # fmt: skip
    db.session.flush()
    for user, expected in [(done, True), (busy, False), (alone, False)]:
        attempt = SimpleNamespace(state=GRADED, passed=False, user_id=user.id)
        assert engine.review_allowed(quiz, attempt, [attempt]) is expected


def _verbs(user):
    from lms.models import XapiStatement

    return db.session.scalars(
        select(XapiStatement.verb).where(XapiStatement.user_id == user.id)
    ).all()


def _unlimited(quiz):
    quiz.spec = {**quiz.spec, "settings": {**engine.settings(quiz), "max_attempts": 0}}
    db.session.commit()


def test_answers_change_only_while_the_attempt_is_open(quiz, make_user):
    learner = make_user()
    attempt = engine.start_attempt(learner.id, quiz)
    items = engine.question_items(attempt)
    kinds = {k: i["question"]["type"] for k, i in items.items()}
    key = next(k for k, kind in kinds.items() if kind == "shortanswer")
    description = next(k for k, kind in kinds.items() if kind == "description")
    for wrong in ("tidak-ada", description):
        with pytest.raises(engine.AttemptError):
            engine.save_answer(attempt, wrong, "Jakarta")
    engine.save_answer(attempt, key, "Jakarta")
    engine.submit_attempt(attempt)
    with pytest.raises(engine.AttemptError):
        engine.save_answer(attempt, key, "Bandung")


def test_an_attempt_is_graded_and_reported_once(quiz, make_user):
    learner = make_user()
    attempt = engine.start_attempt(learner.id, quiz)
    assert engine.submit_attempt(attempt) is attempt
    reported, submitted = _verbs(learner), attempt.submitted_at
    assert reported  # the graded attempt's statement
    assert engine.submit_attempt(attempt) is attempt  # another tab
    assert _verbs(learner) == reported and attempt.submitted_at == submitted


def test_an_attempt_waiting_for_an_essay_grade_is_not_reported(
    import_courses, quiz_dir, make_user
):
    from lms.models import Activity

    import_courses(quiz_dir)
    essay = db.session.scalar(select(Activity).where(Activity.key == "modul/esai"))
    learner = make_user()
    attempt = engine.start_attempt(learner.id, essay)
    for key, item in engine.question_items(attempt).items():
        if item["question"]["type"] == "essay":
            engine.save_answer(attempt, key, "Jawaban panjang saya.")
    engine.submit_attempt(attempt)
    assert attempt.state == NEEDS_GRADING and attempt.passed is None
    assert _verbs(learner) == []
    teacher = make_user(role="instructor")
    key = next(r.question_key for r in attempt.responses)
    regrade.grade_by_hand(attempt, key, Decimal(80), "Cukup baik.", teacher.id)
    assert [r.fraction for r in attempt.responses] == [Decimal("0.8")]
    assert attempt.state == GRADED
    assert _verbs(learner)  # graded now: reported


def test_a_time_limited_attempt_started_now_ends_after_the_limit(quiz, make_user):
    quiz.spec = {**quiz.spec, "settings": {**engine.settings(quiz), "time_limit": 20}}
    db.session.commit()
    before = datetime.now(UTC)
    attempt = engine.start_attempt(make_user().id, quiz)
    assert before <= attempt.started_at <= datetime.now(UTC)
    assert attempt.deadline_at == attempt.started_at + timedelta(minutes=20)


def test_an_overdue_open_attempt_is_submitted_late_and_a_new_one_starts(
    quiz, make_user
):
    _unlimited(quiz)
    learner = make_user()
    first = engine.start_attempt(learner.id, quiz, now=NOON)
    first.deadline_at = NOON + timedelta(minutes=10)
    db.session.commit()
    again = engine.start_attempt(learner.id, quiz, now=NOON + timedelta(minutes=5))
    assert again.id == first.id and again.state == IN_PROGRESS
    later = engine.start_attempt(learner.id, quiz, now=NOON + timedelta(minutes=11))
    db.session.refresh(first)
    assert later.number == 2 and later.state == IN_PROGRESS
    assert first.state == GRADED and first.late is True


def test_an_attempts_seed_fits_a_postgresql_integer(quiz, make_user, monkeypatch):
    monkeypatch.setattr(engine.secrets, "randbits", lambda bits: (1 << bits) - 1)
    attempt = engine.start_attempt(make_user().id, quiz)
    assert attempt.seed <= 2**31 - 1


def test_an_essay_answered_with_nothing_scores_zero_without_waiting(
    import_courses, quiz_dir, make_user
):
    from lms.models import Activity

    import_courses(quiz_dir)
    essay = db.session.scalar(select(Activity).where(Activity.key == "modul/esai"))
    attempt = engine.start_attempt(make_user().id, essay)
    for key, item in engine.question_items(attempt).items():
        if item["question"]["type"] == "essay":
            engine.save_answer(attempt, key, None)  # an API client sent null
    engine.submit_attempt(attempt)
    assert attempt.state == GRADED and attempt.score == 0
    unanswered = engine.submit_attempt(engine.start_attempt(make_user().id, essay))
    assert unanswered.state == GRADED and unanswered.score == 0


def test_an_attempt_scoring_exactly_the_pass_mark_passes(quiz, make_user):
    quiz.spec = {**quiz.spec, "settings": {**engine.settings(quiz), "passing_grade": 0}}
    db.session.commit()
    attempt = engine.submit_attempt(engine.start_attempt(make_user().id, quiz))
    assert attempt.score == 0 and attempt.passed is True
