"""Finding a course's pretest and posttest, and keeping learners to the pretest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms import cache
from lms.extensions import db
from lms.models import Activity, Course


@dataclass(frozen=True)
class CourseTests:
    """The ids and keys of a course's current pretest and posttest (either may be missing)."""

    pretest: tuple[int, str] | None = None
    posttest: tuple[int, str] | None = None


def course_tests(course: Course) -> CourseTests:
    """Return the course's pretest and posttest (kept per content version: no query per page)."""
    return cache.course_tests(course, _find_tests)


def _find_tests(course: Course) -> CourseTests:
    rows = db.session.execute(
        select(Activity.id, Activity.key, Activity.spec)
        .where(Activity.course_id == course.id, Activity.type == "quiz", Activity.is_current())
        .order_by(Activity.position)
    )  # fmt: skip
    found = {}
    for row in rows:
        role = (row.spec or {}).get("settings", {}).get("role")
        if role:
            found.setdefault(role, (row.id, row.key))
    return CourseTests(found.get("pretest"), found.get("posttest"))


def pretest_first(course: Course, activity: Activity, progress_rows) -> str | None:
    """Return the key of the pretest the learner must take before `activity`, or None."""
    pretest = course_tests(course).pretest
    if pretest is None or activity.id == pretest[0]:
        return None
    row = progress_rows.get(pretest[0])
    return None if row is not None and row.completed_at is not None else pretest[1]
