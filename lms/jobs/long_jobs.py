"""Long jobs: work a request queues (a large member import) and a worker runs, once.

A job is claimed (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and marked running with a lease; its
work and its "done" are committed together, so a worker that dies mid-job leaves nothing half
done, and another worker takes the job up again when the lease runs out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select

from lms.extensions import db
from lms.models import Job
from lms.models.types import utcnow

#: A running job whose worker has been silent this long is taken up again.
LEASE = timedelta(minutes=30)
#: A job that fails (or kills its worker) this many times is given up.
MAX_ATTEMPTS = 3


class JobFailed(Exception):
    """The job cannot be done as asked (its file has problems); `result` tells the person why."""

    def __init__(self, result: dict[str, Any]):
        super().__init__(str(result))
        self.result = result


@dataclass(frozen=True)
class JobType:
    """How to run one kind of job."""

    #: run(job) -> result: does the work without committing.
    run: Callable[[Job], dict[str, Any]]
    #: after(job): runs after the work is committed (to drop kept figures, say).
    after: Callable[[Job], None] | None = None


def job_types() -> dict[str, JobType]:
    """Return the kinds of long job, by name."""
    from lms.cohorts import import_job

    return {"member_import": JobType(import_job.run, import_job.after)}


def enqueue(
    kind: str, payload: dict, subject: str = "", by_user_id: int | None = None
) -> Job:
    """Queue a job (committed by the caller's transaction)."""
    if kind not in job_types():
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, payload=payload, subject=subject, created_by_id=by_user_id,
              state="queued", result={}, attempts=0, error="")  # fmt: skip
    db.session.add(job)
    return job


def claim_job(now: datetime) -> Job | None:
    """Take the oldest queued job (or one whose worker died) and mark it running; committed."""
    query = (
        select(Job)
        .where(or_(Job.state == "queued",
                   and_(Job.state == "running", Job.lease_until < now)))
        .order_by(Job.id)
        .limit(1)
    )  # fmt: skip
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = db.session.scalars(query).first()
    if job is None:
        db.session.rollback()
        return None
    if job.attempts >= MAX_ATTEMPTS:
        job.state, job.finished_at = "failed", now
        job.error = job.error or "the job stopped its worker too many times"
        db.session.commit()
        return None
    job.state, job.started_at, job.lease_until = "running", now, now + LEASE
    job.attempts += 1
    db.session.commit()
    return job


def run_one(now: datetime | None = None) -> bool:
    """Run one due job; return whether there was one."""
    job = claim_job(now or utcnow())
    if job is None:
        return False
    kind = job_types()[job.kind]
    try:
        result = kind.run(job)
    except JobFailed as exc:
        db.session.rollback()
        _finish(job.id, "failed", exc.result, "")
        return True
    except Exception as exc:
        db.session.rollback()
        current_app.logger.exception("job %s (%s) failed", job.id, job.kind)
        again = job.attempts < MAX_ATTEMPTS
        _finish(job.id, "queued" if again else "failed", {}, repr(exc)[:500])
        return True
    job.state, job.result, job.finished_at = "done", result, utcnow()
    db.session.commit()  # the work and its "done" together
    if kind.after:
        kind.after(job)
    return True


def _finish(job_id: int, state: str, result: dict, error: str) -> None:
    job = db.session.get(Job, job_id)
    job.state, job.result, job.error = state, result, error
    job.finished_at = utcnow() if state != "queued" else None
    job.lease_until = None
    db.session.commit()
