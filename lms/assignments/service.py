"""Handing in and grading assignments, without any request in sight."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from lms.audit import record
from lms.extensions import db
from lms.files import sniff, store
from lms.learn import progress
from lms.models import Activity, AssignmentSubmission, Enrollment
from lms.models.assignment import PASSED, REVISE
from lms.models.types import utcnow
from lms.models.upsert import insert_on_conflict

MAX_TEXT = 50_000


class SubmissionError(ValueError):
    """A submission or grade is refused; the message says why."""


def current_submission(user_id: int, activity_id: int) -> AssignmentSubmission | None:
    """Return the learner's submission to the assignment, if any."""
    return db.session.scalar(
        select(AssignmentSubmission).where(
            AssignmentSubmission.user_id == user_id,
            AssignmentSubmission.activity_id == activity_id,
        )
    )


def submit(
    user_id: int,
    activity: Activity,
    text: str,
    data: bytes | None,
    filename: str | None,
) -> AssignmentSubmission:
    """Hand in (or hand in again) text and a file; the file's type is judged by its content."""
    spec = activity.spec
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise SubmissionError(_("The text is too long."))
    existing = current_submission(user_id, activity.id)
    if existing is not None and existing.outcome == PASSED:
        raise SubmissionError(
            _("This assignment has been graded as passed; it cannot change.")
        )
    stored = None
    if data:
        if len(data) > spec["max_size_mb"] * 1024 * 1024:
            raise SubmissionError(
                _("The file is larger than %(n)d MB.", n=spec["max_size_mb"])
            )
        kind = sniff(data)
        if kind is None or kind.extension not in spec["file_types"]:
            raise SubmissionError(_("This file type is not accepted; upload one of: %(types)s.",
                                    types=", ".join(spec["file_types"])))  # fmt: skip
        stored = (store(data, f"assignments/{activity.id}", kind), kind, len(data))
    elif spec["file_required"] and (existing is None or existing.file_path is None):
        raise SubmissionError(_("Attach your file."))
    if not text and not stored:
        raise SubmissionError(_("Write something or attach a file."))
    now = utcnow()
    insert_on_conflict(AssignmentSubmission,
                       {"user_id": user_id, "activity_id": activity.id, "text": "", "submitted_at": now,
                        "comment": "", "history": []},
                       conflict=["user_id", "activity_id"])  # fmt: skip
    submission = current_submission(user_id, activity.id)
    if existing is not None and (existing.outcome or existing.submitted_at):
        submission.history = [*submission.history, _snapshot(submission)]
    submission.text, submission.submitted_at = text, now
    submission.outcome, submission.graded_at, submission.graded_by_id = None, None, None
    if stored:
        submission.file_path, kind, size = stored[0], stored[1], stored[2]
        submission.file_name = (filename or f"file.{kind.extension}")[-255:]
        submission.file_type, submission.file_size = kind.mimetype, size
    db.session.commit()
    return submission


def _snapshot(submission: AssignmentSubmission) -> dict:
    return {
        "text": submission.text, "file_path": submission.file_path, "file_name": submission.file_name,
        "submitted_at": submission.submitted_at.isoformat() if submission.submitted_at else None,
        "outcome": submission.outcome, "comment": submission.comment,
        "graded_at": submission.graded_at.isoformat() if submission.graded_at else None,
    }  # fmt: skip


def grade(
    submission: AssignmentSubmission, outcome: str, comment: str, grader_id: int
) -> None:
    """Grade the submission passed or to revise, with a comment; passing completes the activity."""
    if outcome not in (PASSED, REVISE):
        raise SubmissionError(_("Choose passed or revise."))
    submission.outcome, submission.comment = outcome, comment.strip()
    submission.graded_by_id, submission.graded_at = grader_id, utcnow()
    activity = db.session.get(Activity, submission.activity_id)
    if outcome == PASSED:
        progress.complete_activity(submission.user_id, activity, commit=False)
    record("assignment.grade", grader_id, submission, outcome=outcome)
    db.session.commit()


def may_grade(user, submission: AssignmentSubmission) -> bool:
    """Course instructors and admins, the learner's cohort coaches and facilitators, and their mentor."""
    from lms.permissions import can, is_cohort_staff

    activity = db.session.get(Activity, submission.activity_id)
    if can(user, "course.teach", activity.course):
        return True
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == submission.user_id,
            Enrollment.course_id == activity.course_id,
        )
    )
    if enrollment is None:
        return False
    if enrollment.mentor_id == user.id:
        return True
    return enrollment.cohort_id is not None and is_cohort_staff(
        user.id, enrollment.cohort_id, ("coach", "facilitator")
    )


def submissions_to_grade(user, activity: Activity):
    """Return (submission, learner) pairs of the assignment this user may grade (two queries)."""
    from lms.models import CohortStaff, User
    from lms.permissions import can

    query = (
        select(AssignmentSubmission, User)
        .join(User, User.id == AssignmentSubmission.user_id)
        .join(
            Enrollment,
            (Enrollment.user_id == User.id)
            & (Enrollment.course_id == activity.course_id),
        )
        .where(AssignmentSubmission.activity_id == activity.id)
        .order_by(
            AssignmentSubmission.outcome.is_not(None), AssignmentSubmission.submitted_at
        )
    )
    if not can(user, "course.teach", activity.course):
        coached = select(CohortStaff.cohort_id).where(
            CohortStaff.user_id == user.id,
            CohortStaff.role.in_(("coach", "facilitator")),
        )
        query = query.where(
            (Enrollment.mentor_id == user.id) | Enrollment.cohort_id.in_(coached)
        )
    return db.session.execute(query).all()


def is_grader(user, activity: Activity) -> bool:
    """Tell whether the user grades anyone's work on this assignment."""
    from lms.models import Cohort, CohortStaff
    from lms.permissions import can

    if can(user, "course.teach", activity.course):
        return True
    coach = db.session.scalar(
        select(CohortStaff.id)
        .join(Cohort, Cohort.id == CohortStaff.cohort_id)
        .where(CohortStaff.user_id == user.id, CohortStaff.role.in_(("coach", "facilitator")),
               Cohort.course_id == activity.course_id)
        .limit(1)
    )  # fmt: skip
    mentor = db.session.scalar(
        select(Enrollment.id)
        .where(
            Enrollment.mentor_id == user.id, Enrollment.course_id == activity.course_id
        )
        .limit(1)
    )
    return coach is not None or mentor is not None
