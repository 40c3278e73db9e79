"""One cohort member in detail, for the cohort's staff: every activity, attempts, submissions, JP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from lms.extensions import db
from lms.learn.angkatan import LearnerCohort, learner_cohorts
from lms.ledger.records import jp_totals
from lms.models import (
    Activity,
    ActivityProgress,
    AssignmentSubmission,
    Cohort,
    Enrollment,
    Module,
    QuizAttempt,
    User,
)


@dataclass
class ActivityLine:
    """One activity as the member detail page shows it."""

    module_title: str
    title: str
    type: str
    #: done | started | not_started
    status: str
    score: Decimal | None
    attempts: int
    last_visit: datetime | None
    #: None without a submission, else waiting | passed | revise.
    submission: str | None
    submitted_at: datetime | None


@dataclass
class MemberDetail:
    """A member of a cohort with their enrollment, activities, due dates and JP this year."""

    user: User
    enrollment: Enrollment
    mentor: str | None
    activities: list[ActivityLine]
    angkatan: LearnerCohort | None
    jp: Decimal


def _line(module_title, title, kind, completed, score, last_visit, attempts, outcome, submitted_at,
          progress_id) -> ActivityLine:  # fmt: skip
    status = (
        "done"
        if completed
        else "started"
        if progress_id or submitted_at
        else "not_started"
    )
    submission = (outcome or "waiting") if submitted_at else None
    return ActivityLine(module_title, title, kind, status, score, attempts or 0, last_visit,
                        submission, submitted_at)  # fmt: skip


def member_detail(cohort: Cohort, user_id: int, today: date) -> MemberDetail | None:
    """Return the member's detail, or None when they are not in the cohort."""
    row = db.session.execute(
        select(User, Enrollment)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(User.id == user_id, Enrollment.cohort_id == cohort.id)
    ).one_or_none()
    if row is None:
        return None
    user, enrollment = row
    mentor = (
        db.session.get(User, enrollment.mentor_id).name
        if enrollment.mentor_id
        else None
    )
    attempts = (
        select(func.count(QuizAttempt.id))
        .where(QuizAttempt.user_id == user_id, QuizAttempt.activity_id == Activity.id,
               QuizAttempt.submitted_at.is_not(None))
        .scalar_subquery()
    )  # fmt: skip
    rows = db.session.execute(
        select(Module.title, Activity.title, Activity.type, ActivityProgress.completed_at,
               ActivityProgress.score, ActivityProgress.last_visit_at, attempts.label("attempts"),
               AssignmentSubmission.outcome, AssignmentSubmission.submitted_at, ActivityProgress.id)
        .join(Module, Module.id == Activity.module_id)
        .outerjoin(ActivityProgress, (ActivityProgress.activity_id == Activity.id)
                   & (ActivityProgress.user_id == user_id))
        .outerjoin(AssignmentSubmission, (AssignmentSubmission.activity_id == Activity.id)
                   & (AssignmentSubmission.user_id == user_id))
        .where(Activity.course_id == cohort.course_id, Activity.is_current(), Module.archived_at.is_(None))
        .order_by(Module.position, Activity.position)
    ).all()  # fmt: skip
    lines = [_line(*row) for row in rows]
    angkatan = learner_cohorts(user_id, [cohort.course_id], today).get(cohort.course_id)
    jp = jp_totals([user_id], today.year)[user_id]
    return MemberDetail(user, enrollment, mentor, lines, angkatan, jp)
