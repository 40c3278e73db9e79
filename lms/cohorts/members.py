"""Who is in a cohort: adding people one by one or from a CSV, removing, moving and closing."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lms.audit import record
from lms.cohorts.figures import forget_figures
from lms.extensions import db
from lms.models import (
    STAFF_ROLES,
    Cohort,
    CohortStaff,
    Enrollment,
    User,
    WorkUnit,
)
from lms.models.types import utcnow
from lms.models.upsert import insert_on_conflict


class CohortError(ValueError):
    """A cohort change cannot be made as asked; the message says why."""


def find_person(identifier: str) -> User | None:
    """Find a user by NIP (digits) or email."""
    identifier = identifier.strip()
    if identifier.isdigit():
        return db.session.scalar(select(User).where(User.nip == identifier))
    return db.session.scalar(
        select(User).where(func.lower(User.email) == identifier.lower())
    )


def add_member(cohort: Cohort, user: User, mentor: User | None = None) -> Enrollment:
    """Put `user` in the cohort, enrolling them in its course; refuse a second cohort of that course."""
    if cohort.closed_at is not None:
        raise CohortError(_("The cohort is closed."))
    insert_on_conflict(
        Enrollment,
        {"user_id": user.id, "course_id": cohort.course_id, "enrolled_at": utcnow(),
         "completed_activities": 0, "cohort_id": cohort.id},
        conflict=["user_id", "course_id"],
    )  # fmt: skip
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.course_id == cohort.course_id
        )
    )
    if enrollment.cohort_id is None:
        enrollment.cohort_id = cohort.id
    elif enrollment.cohort_id != cohort.id:
        other = db.session.get(Cohort, enrollment.cohort_id)
        db.session.rollback()
        raise CohortError(
            _(
                "%(name)s is already in %(cohort)s for this course.",
                name=user.name,
                cohort=other.name,
            )
        )
    if mentor is not None:
        enrollment.mentor_id = mentor.id
    db.session.commit()
    forget_figures(cohort.id)
    return enrollment


def add_staff(cohort: Cohort, user: User, role: str) -> None:
    """Make `user` a supervisor, facilitator or coach of the cohort (again is harmless)."""
    if role not in STAFF_ROLES:
        raise CohortError(_("Unknown staff role %(role)s.", role=role))
    insert_on_conflict(CohortStaff, {"cohort_id": cohort.id, "user_id": user.id, "role": role},
                       conflict=["cohort_id", "user_id", "role"])  # fmt: skip
    if role == "supervisor" and not user.has_role("supervisor"):
        from lms.auth.accounts import get_roles

        user.roles.extend(get_roles(["supervisor"]))
        record("user.roles", None, user, added="supervisor")
    db.session.commit()
    forget_figures(cohort.id)


def remove_members(cohort: Cohort, user_ids: list[int]) -> int:
    """Take members out of the cohort; they keep their enrollment and progress in the course."""
    count = leave_cohort(cohort, user_ids)
    db.session.commit()
    forget_figures(cohort.id)
    return count


def leave_cohort(cohort: Cohort, user_ids: list[int]) -> int:
    """Take members out of the cohort in the current transaction (the caller commits)."""
    result = db.session.execute(
        update(Enrollment)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.user_id.in_(user_ids))
        .values(cohort_id=None, mentor_id=None)
    )
    return result.rowcount


def move_members(cohort: Cohort, target: Cohort, user_ids: list[int]) -> int:
    """Move members to another cohort of the same course, keeping their progress."""
    if target.course_id != cohort.course_id:
        raise CohortError(_("Members can only move to a cohort of the same course."))
    if target.closed_at is not None:
        raise CohortError(_("The cohort is closed."))
    result = db.session.execute(
        update(Enrollment)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.user_id.in_(user_ids))
        .values(cohort_id=target.id)
    )
    db.session.commit()
    forget_figures(cohort.id, target.id)
    return result.rowcount


def close_cohort(cohort: Cohort) -> None:
    """Close the cohort: no more members; its reports stay."""
    cohort.closed_at = cohort.closed_at or utcnow()
    db.session.commit()
    forget_figures(cohort.id)


def new_learner(
    email: str, name: str, nip: str | None = None, unit: WorkUnit | None = None
) -> User:
    """Add a learner's account without a password (not committed).

    No one can sign in with it until its owner sets a password (a member import mails a link) or
    comes through a learning platform (LTI).
    """
    from lms.auth.accounts import get_roles

    user = User(email=email, name=name, nip=nip, work_unit=unit, password_hash="!",
                roles=get_roles(["learner"]))  # fmt: skip
    db.session.add(user)
    db.session.flush()
    return user


def join_cohort(cohort: Cohort, user: User) -> bool | None:
    """Enroll the user in the cohort's course, in the cohort (not committed).

    Return True if they joined, False if they were in it already, and None, changing nothing, if
    they are in another cohort of the course.
    """
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.course_id == cohort.course_id
        )
    )
    if enrollment is None:
        db.session.add(Enrollment(user_id=user.id, course_id=cohort.course_id, cohort_id=cohort.id,
                                  completed_activities=0, enrolled_at=utcnow()))  # fmt: skip
        return True
    if enrollment.cohort_id is None:
        enrollment.cohort_id = cohort.id
        return True
    return False if enrollment.cohort_id == cohort.id else None
