"""Changing scores on purpose: regrading a fixed question and grading essays by hand.

Every change keeps the score before it (AttemptScoreChange) and who made it, when.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.assessment.attempts import (
    AttemptError,
    question_items,
    to_fraction,
    update_score,
)
from lms.audit import record
from lms.extensions import db
from lms.models import (
    Activity,
    AttemptScoreChange,
    QuizAttempt,
    QuizRegrade,
    QuizResponse,
)
from lms.models.quiz import IN_PROGRESS
from lms.quiz import grade

#: Canvas's regrade choices (besides "no regrade", which is simply not calling this).
REGRADE_OPTIONS = ("full_credit", "old_or_new", "new_only")


def regrade_question(
    activity: Activity, key: str, option: str, by_user_id: int
) -> QuizRegrade:
    """Regrade question `key` in every submitted attempt against its current version."""
    if option not in REGRADE_OPTIONS:
        raise AttemptError(_("Unknown regrade option."))
    current = next((q for q in activity.spec["questions"] if q["key"] == key), None)
    if current is None or current["type"] in ("description", "essay"):
        raise AttemptError(_("That question cannot be regraded automatically."))
    regrade = QuizRegrade(
        activity_id=activity.id, question_key=key, option=option, by_user_id=by_user_id
    )
    db.session.add(regrade)
    db.session.flush()
    attempts = db.session.scalars(
        select(QuizAttempt)
        .options(selectinload(QuizAttempt.responses))
        .where(QuizAttempt.activity_id == activity.id, QuizAttempt.state != IN_PROGRESS)
        .with_for_update()
    ).all()
    for attempt in attempts:
        item = question_items(attempt).get(key)
        if item is None:
            continue
        row = next((r for r in attempt.responses if r.question_key == key), None)
        if row is None:
            row = QuizResponse(
                attempt_id=attempt.id, question_key=key, response=None, comment=""
            )
            db.session.add(row)
            attempt.responses.append(row)
        new = _new_fraction(item["question"], current, row.response, option)
        if row.fraction is not None and to_fraction(new) == row.fraction:
            continue
        old_score = attempt.score
        row.fraction = to_fraction(new)
        update_score(attempt)
        db.session.add(AttemptScoreChange(attempt_id=attempt.id, regrade_id=regrade.id, old_score=old_score,
                                          new_score=attempt.score, reason=f"regrade:{option}",
                                          by_user_id=by_user_id))  # fmt: skip
        regrade.attempts_changed += 1
    record(
        "quiz.regrade",
        by_user_id,
        activity,
        question=key,
        option=option,
        attempts_changed=regrade.attempts_changed,
    )
    db.session.commit()
    return regrade


def _new_fraction(
    old_question: dict, new_question: dict, response, option: str
) -> float:
    if option == "full_credit":
        return 1.0
    if response is None:
        return 0.0
    new = grade(new_question, response)["fraction"] or 0.0
    if option == "new_only":
        return new
    old = grade(old_question, response)["fraction"] or 0.0
    return max(old, new)


def grade_by_hand(
    attempt: QuizAttempt, key: str, percent: Decimal, comment: str, by_user_id: int
) -> None:
    """Set one question's mark (an essay, or an override) with a comment; keep the old score."""
    if attempt.state == IN_PROGRESS:
        raise AttemptError(_("The attempt is still in progress."))
    if key not in question_items(attempt):
        raise AttemptError(_("That question is not part of this attempt."))
    if not Decimal(0) <= percent <= Decimal(100):
        raise AttemptError(_("A mark is a percentage from 0 to 100."))
    row = next((r for r in attempt.responses if r.question_key == key), None)
    if row is None:
        row = QuizResponse(
            attempt_id=attempt.id, question_key=key, response=None, comment=""
        )
        db.session.add(row)
        attempt.responses.append(row)
    old_score = attempt.score
    row.fraction = to_fraction(float(percent) / 100)
    row.comment = comment.strip()
    row.graded_by_id = by_user_id
    update_score(attempt)
    db.session.add(AttemptScoreChange(attempt_id=attempt.id, old_score=old_score, new_score=attempt.score,
                                      reason="manual", by_user_id=by_user_id))  # fmt: skip
    record("quiz.manual_grade", by_user_id, attempt, question=key, old_score=str(old_score),
           new_score=str(attempt.score))  # fmt: skip
    db.session.commit()


def regrade_history(activity: Activity) -> list[QuizRegrade]:
    """Return the quiz's regrades, newest first."""
    return list(
        db.session.scalars(
            select(QuizRegrade)
            .where(QuizRegrade.activity_id == activity.id)
            .order_by(QuizRegrade.at.desc())
        )
    )
