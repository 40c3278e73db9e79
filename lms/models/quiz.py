"""Quiz attempts: what a learner was shown, what they answered, and every score they were given."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.course import Activity
from lms.models.types import JSONType, UTCDateTime, utcnow

#: Attempt states: answering, submitted and fully graded, submitted with essays still to grade.
IN_PROGRESS, GRADED, NEEDS_GRADING = "in_progress", "graded", "needs_grading"


class QuizAttempt(db.Model):
    """One attempt at a quiz, with a snapshot of exactly the questions it showed."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "activity_id", "number"),
        # At most one open attempt per learner and quiz, even from two tabs at once.
        Index(
            "uq_quiz_attempts_open",
            "user_id",
            "activity_id",
            unique=True,
            sqlite_where=text("state = 'in_progress'"),
            postgresql_where=text("state = 'in_progress'"),
        ),
        # Covers what starting, submitting and grading ask of a learner's attempts (last number,
        # finished count, counted score) without reading the rows and their large snapshots.
        Index(
            "ix_quiz_attempts_learner_scores",
            "user_id",
            "activity_id",
            "state",
            "number",
            "score",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    #: 1 for the learner's first attempt at this quiz, then 2, 3, ...
    number: Mapped[int] = mapped_column(Integer)
    #: Seed of the attempt's random draws and shuffles (kept for audit and reproduction).
    seed: Mapped[int] = mapped_column(BigInteger)
    #: The activity version the questions were taken from.
    quiz_version: Mapped[int] = mapped_column(Integer)
    #: [{"question": full question dict, "view": what the learner sees}] in display order.
    snapshot: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    state: Mapped[str] = mapped_column(String(20), default=IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: True when submitted after the time limit (graded on what was saved in time).
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Percent, 0-100; None until submitted.
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    passed: Mapped[bool | None] = mapped_column(Boolean)

    activity: Mapped[Activity] = relationship()
    responses: Mapped[list[QuizResponse]] = relationship(
        back_populates="attempt", order_by="QuizResponse.id"
    )


class QuizResponse(db.Model):
    """A learner's answer to one question of one attempt, saved as soon as it is given."""

    __tablename__ = "quiz_responses"
    __table_args__ = (UniqueConstraint("attempt_id", "question_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE")
    )
    question_key: Mapped[str] = mapped_column(String(120))
    response: Mapped[Any] = mapped_column(JSONType)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: 0..1 once graded; None for an essay not graded yet.
    fraction: Mapped[Decimal | None] = mapped_column(Numeric(8, 7))
    #: A teacher's comment (essays, manual grading).
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    attempt: Mapped[QuizAttempt] = relationship(back_populates="responses")


class QuizRegrade(db.Model):
    """An instructor's deliberate regrade of one question across submitted attempts."""

    __tablename__ = "quiz_regrades"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE")
    )
    question_key: Mapped[str] = mapped_column(String(120))
    #: full_credit | old_or_new | new_only
    option: Mapped[str] = mapped_column(String(20))
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts_changed: Mapped[int] = mapped_column(Integer, default=0)


class AttemptScoreChange(db.Model):
    """A score an attempt had before it changed (regrade or manual grading): nothing is forgotten."""

    __tablename__ = "attempt_score_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    regrade_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_regrades.id", ondelete="SET NULL")
    )
    old_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    new_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    reason: Mapped[str] = mapped_column(String(40))
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
