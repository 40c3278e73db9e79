"""Duties on a schedule (no cron): each run is won by one worker of the fleet.

A worker wins a run by moving the duty's `next_run_at` forward with a conditional UPDATE that only
one transaction can make (both databases), so the fleet runs each duty once per period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from lms.extensions import db
from lms.models import ScheduledRun
from lms.models.types import utcnow
from lms.models.upsert import insert_if_absent


@dataclass(frozen=True)
class Duty:
    """A duty run every `every`."""

    name: str
    every: Callable[[dict], timedelta]
    run: Callable[[], str]


def _reminders() -> str:
    from lms.cohorts.reminders import due_soon_reminders
    from lms.ledger.records import local_today

    queued = due_soon_reminders(local_today(), current_app.config["LMS_REMINDER_DAYS"])
    return f"{queued} reminders queued"


def _digests() -> str:
    from lms.discussions.notify import send_digests

    return f"{send_digests()} discussion digests queued"


#: The scheduled duties.
DUTIES = (
    Duty(
        "due-soon-reminders",
        lambda config: timedelta(minutes=config["LMS_REMINDER_EVERY_MINUTES"]),
        _reminders,
    ),
    Duty("discussion-digests", lambda config: timedelta(days=1), _digests),
)


def win(duty: Duty, now: datetime) -> bool:
    """Claim the duty's run due at `now` for this worker; return whether this worker won it."""
    insert_if_absent(ScheduledRun, {"name": duty.name, "next_run_at": now, "last_error": ""},
                     conflict=["name"])  # fmt: skip
    won = db.session.execute(
        update(ScheduledRun)
        .where(ScheduledRun.name == duty.name, ScheduledRun.next_run_at <= now)
        .values(next_run_at=now + duty.every(current_app.config), last_started_at=now)
    ).rowcount
    db.session.commit()
    return won == 1


def run_due(now: datetime | None = None) -> list[str]:
    """Run every duty whose time has come and that this worker wins; return what they said."""
    now = now or utcnow()
    said = []
    for duty in DUTIES:
        if not win(duty, now):
            continue
        try:
            said.append(f"{duty.name}: {duty.run()}")
            error = ""
        except Exception as exc:
            db.session.rollback()
            current_app.logger.exception("scheduled duty %s failed", duty.name)
            error = repr(exc)[:500]
        db.session.execute(
            update(ScheduledRun).where(ScheduledRun.name == duty.name)
            .values(last_finished_at=utcnow(), last_error=error)
        )  # fmt: skip
        db.session.commit()
    return said
