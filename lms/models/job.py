"""The job runner's tables: long jobs queued by a request, and the runs of scheduled duties."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.types import JSONType, UTCDateTime, utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class Job(db.Model):
    """A long piece of work (a large member import) queued by a request and run by a worker."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state", "state", "lease_until"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: What to run: a key of `lms.jobs.long_jobs.HANDLERS`.
    kind: Mapped[str] = mapped_column(String(50))
    #: The handler's arguments.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: queued, running, done or failed.
    state: Mapped[str] = mapped_column(String(10), default="queued")
    #: What the handler returned (done) or the problems it found (failed).
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: The cohort (or other object) the job is about, for listing a page's jobs.
    subject: Mapped[str] = mapped_column(String(60), default="", index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A running job whose worker died is taken up again after this time.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")


class ScheduledRun(db.Model):
    """When a scheduled duty (reminders) runs next: one worker of the fleet wins each run."""

    __tablename__ = "scheduled_runs"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
