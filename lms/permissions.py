"""Who may do what to which object: decided here, for web views and API alike."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from lms.models import Activity, Course, Enrollment


def can(
    user, action: str, obj: Any = None, enrollment: Enrollment | None = None
) -> bool:
    """Tell whether `user` may perform `action` on `obj`."""
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"unknown permission action {action!r}")
    return rule(user, obj, enrollment)


def _view_course(user, course: Course, _enrollment) -> bool:
    if course.archived_at is not None:
        return user.is_authenticated and user.has_role("admin")
    return course.published or _teach(user, course, None)


def _enroll(user, course: Course, _enrollment) -> bool:
    return user.is_authenticated and course.archived_at is None and course.published


def _view_activity(user, activity: Activity, enrollment) -> bool:
    if not user.is_authenticated or not _view_course(user, activity.course, None):
        return False
    if activity.archived_at is not None:
        return enrollment is not None or user.has_role("admin")
    return enrollment is not None or _teach(user, activity.course, None)


def _submit_activity(user, activity: Activity, enrollment) -> bool:
    return (
        user.is_authenticated
        and enrollment is not None
        and enrollment.user_id == user.id
        and activity.archived_at is None
        and activity.course.published
    )


def _teach(user, course: Course, _enrollment) -> bool:
    """Instructors assigned to the course, and admins."""
    if not user.is_authenticated:
        return False
    if user.has_role("admin"):
        return True
    return user.has_role("instructor") and is_course_staff(user.id, course.id)


def is_course_staff(user_id: int, course_id: int) -> bool:
    """Tell whether the user is on the course's teaching staff."""
    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import CourseStaff

    return (
        db.session.scalar(
            select(CourseStaff.id).where(
                CourseStaff.user_id == user_id, CourseStaff.course_id == course_id
            )
        )
        is not None
    )


def _view_attempt(user, attempt, _enrollment) -> bool:
    if not user.is_authenticated:
        return False
    return attempt.user_id == user.id or _teach(user, attempt.activity.course, None)


RULES = {
    "course.teach": _teach,
    "attempt.view": _view_attempt,
    "course.view": _view_course,
    "course.enroll": _enroll,
    "activity.view": _view_activity,
    "activity.submit": _submit_activity,
}


def require(action: str, obj: Any = None, enrollment: Enrollment | None = None) -> None:
    """Abort with 403 (or send an anonymous user to sign in) unless the current user may do `action` on `obj`."""
    if can(current_user, action, obj, enrollment):
        return
    if not current_user.is_authenticated:
        from lms.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)
