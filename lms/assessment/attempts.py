"""Starting, answering and submitting quiz attempts: durable, idempotent and enforced on the server."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from lms.extensions import db
from lms.learn import progress
from lms.lti import scores as lti_scores
from lms.models import Activity, ActivityProgress, QuizAttempt, QuizResponse
from lms.models.quiz import GRADED, IN_PROGRESS, NEEDS_GRADING
from lms.models.types import utcnow
from lms.models.upsert import insert_on_conflict
from lms.quiz import grade, learner_view
from lms.xapi import statements as xapi

#: Seconds of network delay forgiven at the time limit.
GRACE_SECONDS = 15
#: The longest answer kept (an essay of a few pages).
MAX_ANSWER_CHARS = 20_000


class AttemptError(Exception):
    """An attempt cannot be started, answered or submitted as asked; the message says why."""


def settings(activity: Activity) -> dict[str, Any]:
    """Return the quiz's settings from its stored spec."""
    return activity.spec["settings"]


def user_attempts(user_id: int, activity_id: int) -> list[QuizAttempt]:
    """Return the learner's attempts at the quiz, oldest first.

    Their question snapshots stay in the database until one is used: the callers want numbers,
    states and scores, and decoding every attempt's snapshot made each start and submit slower
    with every attempt the learner had made.
    """
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(
                QuizAttempt.user_id == user_id, QuizAttempt.activity_id == activity_id
            )
            .order_by(QuizAttempt.number)
            .options(defer(QuizAttempt.snapshot))
        )
    )


def attempts_left(activity: Activity, attempts: list[QuizAttempt]) -> int | None:
    """Return how many more attempts the learner may start (None: unlimited)."""
    limit = settings(activity)["max_attempts"]
    if not limit:
        return None
    return max(0, limit - sum(1 for a in attempts if a.state != IN_PROGRESS))


def draw_questions(questions: list[dict], quiz: dict, rng: random.Random) -> list[dict]:
    """Pick and order an attempt's questions: drawn at random and shuffled when the quiz says so."""
    graded = [q for q in questions if q["type"] != "description"]
    if quiz.get("draw"):
        picked = rng.sample(graded, quiz["draw"])
        chosen = [q for q in graded if q in picked]
    elif quiz.get("shuffle_questions"):
        chosen = list(graded)
    else:
        return list(questions)  # descriptions keep their place between questions
    if quiz.get("shuffle_questions"):
        rng.shuffle(chosen)
    return chosen


def start_attempt(
    user_id: int, activity: Activity, now: datetime | None = None
) -> QuizAttempt:
    """Return the learner's open attempt, or start a new one if they have attempts left."""
    for _try in range(5):
        attempt = _open_or_new_attempt(user_id, activity, now or utcnow())
        if attempt.id is not None:
            return attempt
        db.session.add(attempt)
        try:
            db.session.commit()
            return attempt
        except IntegrityError:
            # Another tab started or finished an attempt at the same moment: look again.
            db.session.rollback()
    raise AttemptError(_("The quiz is busy; please try again."))


def _open_or_new_attempt(
    user_id: int, activity: Activity, now: datetime
) -> QuizAttempt:
    """Return the open attempt, or a new one (not yet added to the session).

    Two small queries whatever the number of earlier attempts: the open one, then the last
    number and how many were finished.
    """
    mine = (QuizAttempt.user_id == user_id, QuizAttempt.activity_id == activity.id)
    open_attempt = db.session.scalar(
        select(QuizAttempt).where(*mine, QuizAttempt.state == IN_PROGRESS).limit(1)
    )
    if open_attempt is not None:
        if not is_overdue(open_attempt, now):
            return open_attempt
        submit_attempt(open_attempt, now)
    last_number, finished = db.session.execute(
        select(
            func.coalesce(func.max(QuizAttempt.number), 0),
            func.count(QuizAttempt.id).filter(QuizAttempt.state != IN_PROGRESS),
        ).where(*mine)
    ).one()
    limit = settings(activity)["max_attempts"]
    if limit and finished >= limit:
        raise AttemptError(_("You have used all your attempts at this quiz."))
    quiz = settings(activity)
    seed = secrets.randbits(31)
    rng = random.Random(seed)
    shuffle = quiz["shuffle_answers"]
    # Without shuffling, matching options are listed alphabetically (never in pair order).
    view_rng = rng if shuffle else None
    snapshot = [
        {"question": q, "view": learner_view(q, view_rng, shuffle_answers=shuffle)}
        for q in draw_questions(activity.spec["questions"], quiz, rng)
    ]
    limit = quiz.get("time_limit")
    return QuizAttempt(
        user_id=user_id,
        activity_id=activity.id,
        number=last_number + 1,
        seed=seed,
        quiz_version=activity.version,
        snapshot=snapshot,
        state=IN_PROGRESS,
        started_at=now,
        deadline_at=now + timedelta(minutes=limit) if limit else None,
    )


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    """Tell whether the attempt's time limit (plus grace) has passed."""
    return attempt.deadline_at is not None and now > attempt.deadline_at + timedelta(
        seconds=GRACE_SECONDS
    )


def question_items(attempt: QuizAttempt) -> dict[str, dict]:
    """Return the attempt's snapshot items by question key."""
    return {item["question"]["key"]: item for item in attempt.snapshot}


def clean_response(question: dict, raw: Any) -> Any:
    """Turn what a form or a client sent into the response shape the grader expects."""
    kind = question["type"]
    if kind == "multiresponse":
        values = raw if isinstance(raw, list) else [raw]
        return sorted({str(v) for v in values if v not in (None, "")})
    if kind == "truefalse":
        if isinstance(raw, bool):
            return raw
        return {"true": True, "false": False}.get(str(raw).lower())
    if kind == "matching":
        if not isinstance(raw, dict):
            return {}
        return {str(k): str(v)[:500] for k, v in raw.items() if v not in (None, "")}
    if raw is None:
        return None
    return str(raw if not isinstance(raw, list) else (raw[0] if raw else ""))[
        :MAX_ANSWER_CHARS
    ]


def save_answer(
    attempt: QuizAttempt, key: str, raw: Any, now: datetime | None = None
) -> None:
    """Save one answer as soon as it is given; answering twice keeps the last answer."""
    now = now or utcnow()
    if attempt.state != IN_PROGRESS:
        raise AttemptError(
            _("This attempt has been submitted; answers can no longer change.")
        )
    if is_overdue(attempt, now):
        raise AttemptError(_("The time limit has passed; this answer was not saved."))
    item = question_items(attempt).get(key)
    if item is None or item["question"]["type"] == "description":
        raise AttemptError(_("That question is not part of this attempt."))
    response = clean_response(item["question"], raw)
    insert_on_conflict(
        QuizResponse,
        {"attempt_id": attempt.id, "question_key": key, "response": response, "saved_at": now,
         "comment": ""},
        conflict=["attempt_id", "question_key"],
        update={"response": response, "saved_at": now},
    )  # fmt: skip
    db.session.commit()


def submit_attempt(attempt: QuizAttempt, now: datetime | None = None) -> QuizAttempt:
    """Submit and grade the attempt once; a second submission (another tab) changes nothing."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state == IN_PROGRESS)
        .values(state=GRADED, submitted_at=now, late=is_overdue(attempt, now))
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    db.session.refresh(attempt)
    grade_attempt(attempt)
    db.session.commit()
    return attempt


def grade_attempt(attempt: QuizAttempt) -> None:
    """Grade every saved answer against the attempt's own snapshot; write fractions and the score.

    Runs once, when the attempt is submitted; a teacher's hand grades come only after that.
    """
    responses = {r.question_key: r for r in attempt.responses}
    for key, item in question_items(attempt).items():
        question = item["question"]
        row = responses.get(key)
        if question["type"] == "description" or row is None:
            continue
        if (
            attempt.deadline_at is not None
            and row.saved_at > attempt.deadline_at + timedelta(seconds=GRACE_SECONDS)
        ):
            row.fraction = Decimal(0)  # saved too late: never counts
            continue
        fraction = (
            grade(question, row.response)["fraction"] if row.response is not None else 0
        )
        row.fraction = None if fraction is None else to_fraction(fraction)
    db.session.flush()
    update_score(attempt)


def to_fraction(value: float) -> Decimal:
    """Store a fraction with the 7 decimals Moodle keeps."""
    return Decimal(str(value)).quantize(Decimal("0.0000001"), rounding=ROUND_HALF_UP)


def update_score(attempt: QuizAttempt) -> None:
    """Recompute the attempt's percent score, state and pass mark from its answers' fractions."""
    graded_keys = [
        k
        for k, i in question_items(attempt).items()
        if i["question"]["type"] != "description"
    ]
    fractions = {r.question_key: r.fraction for r in attempt.responses}
    essays_open = any(
        question_items(attempt)[k]["question"]["type"] == "essay"
        and k in fractions
        and fractions[k] is None
        for k in graded_keys
    )
    total = sum((fractions.get(k) or Decimal(0)) for k in graded_keys)
    score = (Decimal(100) * total / len(graded_keys)) if graded_keys else Decimal(0)
    attempt.score = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    attempt.state = NEEDS_GRADING if essays_open else GRADED
    passing = Decimal(str(settings(attempt.activity)["passing_grade"]))
    attempt.passed = None if essays_open else attempt.score >= passing
    apply_quiz_result(attempt.user_id, attempt.activity)
    if attempt.state == GRADED:
        xapi.quiz_graded(attempt, utcnow())
        lti_scores.queue_quiz_score(attempt, utcnow())


def counted_score(user_id: int, activity_id: int, method: str) -> Decimal | None:
    """Return the score that counts for the learner: highest, last, first or average graded attempt.

    Asked of the database (one query), not of every attempt loaded: a learner may have many.
    """
    graded = (
        QuizAttempt.user_id == user_id,
        QuizAttempt.activity_id == activity_id,
        QuizAttempt.state == GRADED,
        QuizAttempt.score.is_not(None),
    )
    if method in ("first", "last"):
        order = (
            QuizAttempt.number.asc() if method == "first" else QuizAttempt.number.desc()
        )
        return db.session.scalar(
            select(QuizAttempt.score).where(*graded).order_by(order).limit(1)
        )
    if method == "average":
        total, count = db.session.execute(
            select(func.sum(QuizAttempt.score), func.count(QuizAttempt.id)).where(
                *graded
            )
        ).one()
        if not count:
            return None
        return (Decimal(str(total)) / count).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return db.session.scalar(select(func.max(QuizAttempt.score)).where(*graded))


def apply_quiz_result(user_id: int, activity: Activity) -> None:
    """Write the counted score on the learner's progress; passing completes the quiz (once)."""
    quiz = settings(activity)
    score = counted_score(user_id, activity.id, quiz["grading"])
    if score is None:
        return
    now = utcnow()
    insert_on_conflict(
        ActivityProgress,
        {"user_id": user_id, "activity_id": activity.id, "first_visit_at": now,
         "last_visit_at": now, "state": {}, "score": score},
        conflict=["user_id", "activity_id"],
        update={"score": score, "last_visit_at": now},
    )  # fmt: skip
    passed = (
        score >= Decimal(str(quiz["passing_grade"])) or quiz.get("role") == "pretest"
    )
    if (
        passed and activity.archived_at is None
    ):  # a pretest's score never holds a learner back
        progress.complete_activity(user_id, activity, score=score, commit=False)


def review_allowed(
    activity: Activity, attempt: QuizAttempt, attempts: list[QuizAttempt]
) -> bool:
    """Tell whether the learner may now see right answers and feedback for `attempt`."""
    if attempt.state == IN_PROGRESS:
        return False
    rule = settings(activity)["show_answers"]
    if rule == "after_submit":
        return True
    if rule == "after_last_attempt":
        return attempts_left(activity, attempts) == 0
    if (
        rule == "after_close"
    ):  # the quiz's module is past its due date in the learner's angkatan
        from lms.learn.angkatan import quiz_closed
        from lms.ledger.records import local_today

        return quiz_closed(attempt.user_id, activity, local_today())
    if rule == "after_pass_or_last_attempt":
        return attempts_left(activity, attempts) == 0 or any(
            a.passed for a in attempts if a.state != IN_PROGRESS
        )
    return False
