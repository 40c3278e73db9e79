"""Cohorts (angkatan): a course run for a group with dates, staff, mentors and reminders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.course import Course, Module
from lms.models.types import UTCDateTime, utcnow

#: Staff roles in a cohort, as leadership training names them.
STAFF_ROLES = ("supervisor", "facilitator", "coach")


class Cohort(db.Model):
    """One run of a course for a group of learners ("PKP Angkatan I 2027")."""

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("course_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Goes up whenever the cohort's members, staff or dates change: the shared figures of
    #: the cohort page are kept under it, so every process stops using older ones at once.
    figures_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    course: Mapped[Course] = relationship()
    due_dates: Mapped[list[CohortModuleDue]] = relationship(
        cascade="all, delete-orphan"
    )


class CohortModuleDue(db.Model):
    """When a module must be finished by a cohort's members."""

    __tablename__ = "cohort_module_dues"
    __table_args__ = (UniqueConstraint("cohort_id", "module_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)

    module: Mapped[Module] = relationship()


class CohortStaff(db.Model):
    """A supervisor, facilitator or coach of a cohort."""

    __tablename__ = "cohort_staff"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))


class Reminder(db.Model):
    """A reminder sent to a member, recorded so the same one is never sent twice."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id", "kind", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    #: behind | overdue | due_soon
    kind: Mapped[str] = mapped_column(String(20))
    #: What makes it unique within its kind (a due date and module, or the day a supervisor sent it).
    key: Mapped[str] = mapped_column(String(100))
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutgoingEmail(db.Model):
    """An email waiting to be sent by the mail worker (never sent inside a request)."""

    __tablename__ = "outgoing_emails"
    __table_args__ = (
        # The worker's claim: unsent messages that are due, oldest first.
        Index("ix_outgoing_emails_due", "sent_at", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: The same message as HTML (the second part of a multipart/alternative email).
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Not tried again before this time (back-off after a failure, as for xAPI statements).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
