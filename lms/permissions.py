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
    if not activity.published:  # a draft: only its course's staff may preview it
        return _teach(user, activity.course, None)
    return enrollment is not None or _teach(user, activity.course, None)


def _submit_activity(user, activity: Activity, enrollment) -> bool:
    return (
        user.is_authenticated
        and enrollment is not None
        and enrollment.user_id == user.id
        and activity.archived_at is None
        and activity.published
        and activity.course.published
        and activity.course.archived_at is None
    )


def _teach(user, course: Course, _enrollment) -> bool:
    """Instructors assigned to the course, and admins."""
    if not user.is_authenticated:
        return False
    if user.has_role("admin"):
        return True
    return user.has_role("instructor") and is_course_staff(user.id, course.id)


def _create_course(user, _obj, _enrollment) -> bool:
    """Instructors and admins may start a new course (and become its staff)."""
    return user.is_authenticated and bool(user.role_names & {"admin", "instructor"})


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


def _view_certificate(user, certificate, _enrollment) -> bool:
    """The learner it was issued to, the course's staff, and admins."""
    if not user.is_authenticated:
        return False
    if certificate.user_id == user.id or user.has_role("admin"):
        return True
    course = _course_by_id(certificate.course_id)
    return course is not None and _teach(user, course, None)


def _revoke_certificate(user, _certificate, _enrollment) -> bool:
    return user.is_authenticated and user.has_role("admin")


def _view_jp_record(user, record, _enrollment) -> bool:
    """The learner whose record it is, and admins."""
    return user.is_authenticated and (
        record.user_id == user.id or user.has_role("admin")
    )


def _course_by_id(course_id: int | None) -> Course | None:
    """Return the course by id, or None (also for a certificate whose course was deleted)."""
    from lms.extensions import db

    return db.session.get(Course, course_id) if course_id is not None else None


def is_cohort_staff(user_id: int, cohort_id: int, roles=None) -> bool:
    """Tell whether the user is on the cohort's staff (in one of `roles`, if given)."""
    held = _cohort_roles(user_id, cohort_id)
    return bool(held and (not roles or held & set(roles)))


def staff_roles_column():
    """Return, as a column of a query over cohorts, the roles on each cohort's staff of the user
    given as the parameter `user_id` ("supervisor,coach", or None); pass it to
    `remember_cohort_roles`, so that a view that loads a cohort checks it with no more queries."""
    from sqlalchemy import bindparam, func, select

    from lms.models import Cohort, CohortStaff

    return (
        select(func.aggregate_strings(CohortStaff.role, ","))
        .where(
            CohortStaff.cohort_id == Cohort.id,
            CohortStaff.user_id == bindparam("user_id"),
        )
        .scalar_subquery()
    )


def remember_cohort_roles(user_id: int, cohort_id: int, roles: str | None) -> None:
    """Tell this request the user's staff roles on the cohort, as `staff_roles_column` read them."""
    _roles_memo()[(user_id, cohort_id)] = (
        frozenset(roles.split(",")) if roles else frozenset()
    )


def _roles_memo() -> dict:
    """Return this request's memo of staff roles by (user, cohort) (a fresh one outside requests)."""
    from flask import g, has_request_context

    return g.setdefault("_lms_cohort_roles", {}) if has_request_context() else {}


def _cohort_roles(user_id: int, cohort_id: int) -> frozenset[str]:
    """Return the user's roles on the cohort's staff, read once per request (a page asks several times)."""
    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import CohortStaff

    known = _roles_memo()
    if (user_id, cohort_id) not in known:
        known[(user_id, cohort_id)] = frozenset(db.session.scalars(select(CohortStaff.role).where(
            CohortStaff.user_id == user_id, CohortStaff.cohort_id == cohort_id)))  # fmt: skip
    return known[(user_id, cohort_id)]


def _view_cohort(user, cohort, _enrollment) -> bool:
    """Admins, the cohort's staff, and the instructors of its course."""
    if not user.is_authenticated:
        return False
    return (
        user.has_role("admin")
        or is_cohort_staff(user.id, cohort.id)
        or _teach(user, cohort.course, None)
    )


def _manage_cohort(user, cohort, _enrollment) -> bool:
    """Admins and the instructors of the cohort's course."""
    return user.is_authenticated and _teach(user, cohort.course, None)


def _remind_cohort(user, cohort, _enrollment) -> bool:
    """Admins and the cohort's supervisors and facilitators."""
    if not user.is_authenticated:
        return False
    return user.has_role("admin") or is_cohort_staff(
        user.id, cohort.id, ("supervisor", "facilitator")
    )


def _create_cohort(user, _obj, _enrollment) -> bool:
    return user.is_authenticated and bool(user.role_names & {"admin", "instructor"})


def _export_learning_records(user, _obj, _enrollment) -> bool:
    """Admins export everyone's xAPI statements (each learner reads their own)."""
    return user.is_authenticated and user.has_role("admin")


def _admin(user, _obj, _enrollment) -> bool:
    return user.is_authenticated and user.has_role("admin")


RULES = {
    "admin.view": _admin,
    "xapi.export": _export_learning_records,
    "cohort.view": _view_cohort,
    "cohort.manage": _manage_cohort,
    "cohort.remind": _remind_cohort,
    "cohort.create": _create_cohort,
    "course.teach": _teach,
    "course.edit": _teach,
    "course.create": _create_course,
    "attempt.view": _view_attempt,
    "course.view": _view_course,
    "course.enroll": _enroll,
    "activity.view": _view_activity,
    "activity.submit": _submit_activity,
    "certificate.view": _view_certificate,
    "certificate.revoke": _revoke_certificate,
    "jp_record.view": _view_jp_record,
}


def require(action: str, obj: Any = None, enrollment: Enrollment | None = None) -> None:
    """Abort with 403 (or send an anonymous user to sign in) unless the current user may do `action` on `obj`."""
    if can(current_user, action, obj, enrollment):
        return
    if not current_user.is_authenticated:
        from lms.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)
