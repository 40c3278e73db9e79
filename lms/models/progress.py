"""Learner state: enrollments, per-activity progress and the JP (learning hours) ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.course import Activity, Course
from lms.models.types import JSONType, UTCDateTime, utcnow
from lms.models.user import User


class Enrollment(db.Model):
    """A learner taking a course; keeps a summary of their progress current."""

    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    #: The cohort (angkatan) the learner takes the course with, if any: one per course.
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True
    )
    #: The member's mentor in a cohort (their direct superior).
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Completed current activities, updated in the transaction that changes progress.
    completed_activities: Mapped[int] = mapped_column(Integer, default=0)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()


class ActivityProgress(db.Model):
    """One learner's state on one activity: exactly one row per (user, activity)."""

    __tablename__ = "activity_progress"
    __table_args__ = (UniqueConstraint("user_id", "activity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    first_visit_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_visit_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Score in percent where the activity type scores (quizzes).
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    #: Type-specific learner state.
    state: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    activity: Mapped[Activity] = relationship()


class JpRecord(db.Model):
    """Learning hours (JP) earned in a calendar year: from a completed course, once, or external."""

    __tablename__ = "jp_records"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: Set for a course completed here; NULL for external training.
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL")
    )
    year: Mapped[int] = mapped_column(Integer, index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    earned_on: Mapped[date] = mapped_column(Date)
    #: `course` or `external`.
    source: Mapped[str] = mapped_column(String(20), default="course")
    #: For external training: pelatihan, seminar, workshop, kursus, ... (free text).
    kind: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(200), default="Kelas ASN")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    #: Proof of external training (a certificate scan), relative to the uploads folder.
    proof_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: `approved` (counts in totals), `pending` (external, waiting for an approver) or `rejected`.
    status: Mapped[str] = mapped_column(
        String(20), default="approved", server_default="approved", index=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why an approver rejected the record; the learner sees it.
    review_reason: Mapped[str] = mapped_column(
        String(500), default="", server_default=""
    )
    user: Mapped[User] = relationship(foreign_keys=[user_id])
