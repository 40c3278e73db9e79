"""A learner's own angkatan: its name and period, their coach and mentor, each module's due date.

Per viewer, so read per request (one statement) and never kept in lms/cache.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.models import (
    Activity,
    ActivityProgress,
    Cohort,
    CohortModuleDue,
    CohortStaff,
    Enrollment,
    Module,
    User,
)

#: Days before a due date from which a module not done is "due soon".
DUE_SOON_DAYS = 7
#: A module's status for its learner, in the order a list of them is read.
DUE_STATUSES = ("overdue", "due_soon", "upcoming", "done")


def due_status(due_on: date, total: int, done: int, today: date) -> str:
    """Return a module's status for a learner: done, overdue, due_soon or upcoming."""
    if total and done >= total:
        return "done"
    if due_on < today:
        return "overdue"
    if due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "upcoming"


@dataclass(frozen=True)
class ModuleDue:
    """One module's due date and the learner's status on it."""

    module_key: str
    module_title: str
    due_on: date
    status: str


@dataclass
class LearnerCohort:
    """The angkatan a learner takes a course with, as the learner's pages show it."""

    course_id: int
    name: str
    starts_on: date
    ends_on: date
    coaches: str
    mentor: str | None
    dues: list[ModuleDue] = field(default_factory=list)

    def due_for(self, module_key: str) -> ModuleDue | None:
        """Return the module's due date and status, if the angkatan set one."""
        return next((d for d in self.dues if d.module_key == module_key), None)

    @property
    def next_due(self) -> ModuleDue | None:
        """Return the earliest module not done yet (overdue ones first, as they are earliest)."""
        return next((d for d in self.dues if d.status != "done"), None)


_mentor = aliased(User)
_coaches = (
    select(func.aggregate_strings(User.name, ", "))
    .join(CohortStaff, CohortStaff.user_id == User.id)
    .where(CohortStaff.cohort_id == Cohort.id, CohortStaff.role == "coach")
    .scalar_subquery()
)
_module_total = (
    select(func.count(Activity.id))
    .where(
        Activity.module_id == CohortModuleDue.module_id,
        Activity.counts_for_completion(),
    )
    .scalar_subquery()
)
_module_done = (
    select(func.count(ActivityProgress.id))
    .join(Activity, Activity.id == ActivityProgress.activity_id)
    .where(
        Activity.module_id == CohortModuleDue.module_id,
        Activity.counts_for_completion(),
        ActivityProgress.user_id == Enrollment.user_id,
        ActivityProgress.completed_at.is_not(None),
    )
    .scalar_subquery()
)
#: The user's angkatan in the courses `course_ids`, one row per due module (one row without dues).
_LEARNER_COHORTS = (
    select(
        Enrollment.course_id, Cohort.name, Cohort.starts_on, Cohort.ends_on,
        _coaches.label("coaches"), _mentor.name.label("mentor"), Module.key, Module.title,
        CohortModuleDue.due_on, _module_total.label("total"), _module_done.label("done"),
    )
    .join(Cohort, Cohort.id == Enrollment.cohort_id)
    .outerjoin(_mentor, _mentor.id == Enrollment.mentor_id)
    .outerjoin(CohortModuleDue, CohortModuleDue.cohort_id == Cohort.id)
    .outerjoin(Module, and_(Module.id == CohortModuleDue.module_id, Module.archived_at.is_(None)))
    .where(Enrollment.user_id == bindparam("user_id"),
           Enrollment.course_id.in_(bindparam("course_ids", expanding=True)))
    .order_by(Enrollment.course_id, CohortModuleDue.due_on, Module.position)
)  # fmt: skip


def learner_cohorts(
    user_id: int, course_ids: list[int], today: date
) -> dict[int, LearnerCohort]:
    """Return the user's angkatan by course id, for the courses given (one query; none if empty)."""
    found: dict[int, LearnerCohort] = {}
    if not course_ids:
        return found
    for row in db.session.execute(
        _LEARNER_COHORTS, {"user_id": user_id, "course_ids": course_ids}
    ):
        cohort = found.get(row.course_id)
        if cohort is None:
            cohort = found[row.course_id] = LearnerCohort(
                row.course_id, row.name, row.starts_on, row.ends_on,
                row.coaches or "", row.mentor,
            )  # fmt: skip
        if row.key is not None and row.due_on is not None:
            status = due_status(row.due_on, row.total or 0, row.done or 0, today)
            cohort.dues.append(ModuleDue(row.key, row.title, row.due_on, status))
    return found


def learner_cohort(enrollment: Enrollment | None, today: date) -> LearnerCohort | None:
    """Return the angkatan of this enrollment, or None (no query unless it is in one)."""
    if enrollment is None or enrollment.cohort_id is None:
        return None
    return learner_cohorts(enrollment.user_id, [enrollment.course_id], today).get(
        enrollment.course_id
    )


def next_activity(outline, cohort: LearnerCohort | None):
    """Return what to do next: the first unfinished activity of the earliest module not done."""
    due = cohort.next_due if cohort else None
    if due is not None:
        for module in outline.modules:
            if module.key == due.module_key:
                item = next((i for i in module.items if not i.completed_at), None)
                if item is not None:
                    return item
    return outline.first_unfinished()


def quiz_closed(user_id: int, activity: Activity, today: date) -> bool:
    """Tell whether the quiz is closed for the learner: its module's due date in their angkatan
    has passed, or the angkatan has ended (never for a learner outside an angkatan)."""
    row = db.session.execute(
        select(Cohort.ends_on, CohortModuleDue.due_on)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .outerjoin(CohortModuleDue, and_(CohortModuleDue.cohort_id == Cohort.id,
                                         CohortModuleDue.module_id == activity.module_id))
        .where(Enrollment.user_id == user_id, Enrollment.course_id == activity.course_id)
    ).first()  # fmt: skip
    if row is None:
        return False
    closes = row.due_on if row.due_on is not None else row.ends_on
    return closes < today
