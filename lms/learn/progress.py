"""Learner progress: idempotent writes and completion derived in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Row, and_, bindparam, func, select, update

from lms.certificates.issue import issue_certificate
from lms.extensions import db
from lms.models import Activity, ActivityProgress, Course, Enrollment, JpRecord, User
from lms.models.types import utcnow
from lms.models.upsert import insert_on_conflict
from lms.xapi import statements as xapi


def enroll(user: User, course: Course) -> Enrollment:
    """Enroll `user` in `course`; enrolling twice is harmless."""
    insert_on_conflict(
        Enrollment,
        {
            "user_id": user.id,
            "course_id": course.id,
            "enrolled_at": utcnow(),
            "completed_activities": 0,
        },
        conflict=["user_id", "course_id"],
    )
    db.session.commit()
    return get_enrollment(user.id, course.id)


_ENROLLMENT = select(Enrollment).where(
    Enrollment.user_id == bindparam("user_id"),
    Enrollment.course_id == bindparam("course_id"),
)


def get_enrollment(user_id: int, course_id: int) -> Enrollment | None:
    """Return the user's enrollment in the course, if any."""
    return db.session.scalar(_ENROLLMENT, {"user_id": user_id, "course_id": course_id})


_COURSE_PROGRESS = (
    select(*ActivityProgress.__table__.columns)
    .join(Activity, Activity.id == ActivityProgress.activity_id)
    .where(
        ActivityProgress.user_id == bindparam("user_id"),
        Activity.course_id == bindparam("course_id"),
    )
)


def course_progress(user_id: int, course_id: int) -> dict[int, Row]:
    """Return the user's progress on the course's activities, by activity id (one query).

    Read-only rows with the columns of `ActivityProgress` (no ORM objects: pages read them).
    """
    rows = db.session.execute(
        _COURSE_PROGRESS, {"user_id": user_id, "course_id": course_id}
    )
    return {row.activity_id: row for row in rows}


#: A visit within this time of the last recorded one is not written again (reading stays read-only).
VISIT_RESOLUTION = timedelta(minutes=5)


def visit_worth_recording(row: ActivityProgress | None, complete_on_view: bool) -> bool:
    """Tell whether opening the activity now changes what is recorded about the learner."""
    if row is None:
        return True
    if complete_on_view and row.completed_at is None:
        return True
    return utcnow() - row.last_visit_at >= VISIT_RESOLUTION


def _ensure_progress_row(
    user_id: int, activity_id: int, now: datetime, update: dict | None = None
) -> None:
    """Create the learner's one progress row for the activity if missing (or `update` it)."""
    insert_on_conflict(
        ActivityProgress,
        {
            "user_id": user_id,
            "activity_id": activity_id,
            "first_visit_at": now,
            "last_visit_at": now,
            "state": {},
        },
        conflict=["user_id", "activity_id"],
        update=update,
    )


def record_visit(user_id: int, activity: Activity, complete: bool = False) -> None:
    """Note that the learner opened the activity (and complete it when its type says so)."""
    now = utcnow()
    _ensure_progress_row(user_id, activity.id, now, update={"last_visit_at": now})
    if complete:
        complete_activity(user_id, activity, commit=False)
    else:
        _touch_enrollment(user_id, activity.course_id, now)
    db.session.commit()


def complete_activity(
    user_id: int, activity: Activity, score: Decimal | None = None, commit: bool = True
) -> bool:
    """Mark the activity complete for the learner, once; return True if this call completed it."""
    now = utcnow()
    _ensure_progress_row(user_id, activity.id, now)
    result = db.session.execute(
        update(ActivityProgress)
        .where(
            ActivityProgress.user_id == user_id,
            ActivityProgress.activity_id == activity.id,
            ActivityProgress.completed_at.is_(None),
        )
        .values(completed_at=now, last_visit_at=now, score=score)
    )
    newly = result.rowcount == 1
    if newly:
        xapi.activity_completed(user_id, activity, now, score)
        refresh_enrollment(user_id, activity.course_id, now)
    if commit:
        db.session.commit()
    return newly


def _touch_enrollment(user_id: int, course_id: int, now: datetime) -> None:
    db.session.execute(
        update(Enrollment)
        .where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
        .values(last_activity_at=now)
    )


def _current_activity_count(course_id: int):
    return (
        select(func.count(Activity.id))
        .where(
            Activity.course_id == course_id,
            Activity.counts_for_completion(),
        )
        .scalar_subquery()
    )


def _completed_count(course_id: int, user_id):
    """Count, in SQL, the required current activities of the course that `user_id` (a value or a
    column) completed."""
    return (
        select(func.count(ActivityProgress.id))
        .join(Activity, Activity.id == ActivityProgress.activity_id)
        .where(
            ActivityProgress.user_id == user_id,
            Activity.course_id == course_id,
            Activity.counts_for_completion(),
            ActivityProgress.completed_at.is_not(None),
        )
        .scalar_subquery()
    )


def refresh_enrollment(
    user_id: int, course_id: int, now: datetime | None = None
) -> None:
    """Recount the learner's completed activities and complete the course when all are done."""
    now = now or utcnow()
    db.session.execute(
        update(Enrollment)
        .where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
        .values(
            completed_activities=_completed_count(course_id, user_id),
            last_activity_at=now,
        )
    )
    finished = db.session.execute(
        update(Enrollment)
        .where(
            Enrollment.user_id == user_id,
            Enrollment.course_id == course_id,
            Enrollment.completed_at.is_(None),
            Enrollment.completed_activities >= _current_activity_count(course_id),
            _current_activity_count(course_id) > 0,
        )
        .values(completed_at=now)
    )
    if finished.rowcount == 1:
        on_course_completed(user_id, course_id, now)


def refresh_course_enrollments(slug: str) -> None:
    """Recount every enrollment of a course after its activities changed (import, edit).

    One UPDATE recounts them all in SQL, whatever the number of learners; then each learner who
    has now done every current activity completes the course (their JP and certificate). When
    the learners were last active does not change: an import is not their activity.
    """
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    db.session.execute(
        update(Enrollment)
        .where(Enrollment.course_id == course.id)
        .values(completed_activities=_completed_count(course.id, Enrollment.user_id))
        .execution_options(synchronize_session=False)
    )
    total = db.session.scalar(select(_current_activity_count(course.id)))
    finishing = []
    if total:
        finishing = db.session.scalars(
            select(Enrollment.user_id).where(
                Enrollment.course_id == course.id,
                Enrollment.completed_at.is_(None),
                Enrollment.completed_activities >= total,
            )
        ).all()
    now = utcnow()
    for user_id in finishing:
        finished = db.session.execute(
            update(Enrollment)
            .where(
                Enrollment.user_id == user_id,
                Enrollment.course_id == course.id,
                Enrollment.completed_at.is_(None),
            )
            .values(completed_at=now)
            .execution_options(synchronize_session=False)
        )
        if finished.rowcount == 1:
            on_course_completed(user_id, course.id, now)
    db.session.commit()


def on_course_completed(user_id: int, course_id: int, now: datetime) -> None:
    """Record what completing a course earns, once: its JP for this year and a certificate."""
    course = db.session.get(Course, course_id)
    local = now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    insert_on_conflict(
        JpRecord,
        {
            "user_id": user_id,
            "course_id": course_id,
            "year": local.year,
            "hours": Decimal(course.jp),
            "earned_on": local.date(),
            "source": "course",
            "title": course.title,
            "provider": current_app.config.get("LMS_PROVIDER_NAME", "Kelas ASN"),
            "created_at": now,
        },
        conflict=["user_id", "course_id"],
    )
    xapi.course_completed(user_id, course, now)
    issue_certificate(user_id, course_id, local.date())


def jp_earned(user_id: int, year: int) -> Decimal:
    """Return the JP the learner earned in `year`."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(JpRecord.hours), 0)).where(
            and_(
                JpRecord.user_id == user_id,
                JpRecord.year == year,
                JpRecord.status == "approved",
            )
        )
    )
    return Decimal(total)
