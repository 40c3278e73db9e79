"""Survey answers: who completed a survey, and the answers, which for an anonymous survey name no one."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db


class SurveyCompletion(db.Model):
    """That a learner answered a survey: one row per (survey, learner), kept apart from the answers.

    It holds no time and no link to the response, so an anonymous response cannot be joined back.
    """

    __tablename__ = "survey_completions"
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SurveyResponse(db.Model):
    """One learner's answers to a survey, under a random id (no sequence that orders responses).

    Anonymous: `user_id` and `work_unit_id` are empty and no time is stored; only the cohort is
    kept, for per-cohort reports shown when enough people answered.
    """

    __tablename__ = "survey_responses"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    #: The learner, for a survey that is not anonymous; None for an anonymous one.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True
    )


class SurveyAnswer(db.Model):
    """One answer: a number (rating, scale or choice index) or a text; keyed without a sequence."""

    __tablename__ = "survey_answers"
    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True
    )
    #: The answer's place in its response (questions in order, each facilitator, each choice).
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_key: Mapped[str] = mapped_column(String(60))
    #: For a question asked about each facilitator: whom this answer is about.
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: A rating (1-5, 0-10) or the index of a chosen choice.
    number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
