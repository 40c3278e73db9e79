"""A cohort page's figures, shared for a short while instead of recounted on every view.

Supervisors' cohort figures may be a little old: the report, the per-unit summary and each
member's JP are computed once and kept (`lms.cache.cohort_figures`: Redis, or in-process) for
`LMS_REPORT_CACHE_SECONDS`, under the cohort's id and its `figures_version`, and stamped with the
day and the course's `content_version`, so a new day or a change to the course recounts. A change
to the cohort's membership, staff, dates or due dates raises `figures_version` in the database
(`forget_figures`), so every process, each with its own cache or not, stops using the older
figures at once; and a recount that was already running when the change came is kept under the
old version, where no one looks. Exports, reminders and the API never use them: they are the
record, and always count afresh.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select, update

from lms import cache as lms_cache
from lms.cohorts.report import (
    CohortReport,
    MemberReport,
    UnitSummary,
    cohort_jp,
    cohort_reports,
)
from lms.extensions import db
from lms.models import Cohort, CohortStaff, User
from lms.models.types import utcnow


class ActivityLine(NamedTuple):
    """A current activity of the course, as the report lists it."""

    id: int
    title: str
    type: str
    module_id: int
    key: str
    course_id: int


@dataclass
class CohortFigures:
    """What a cohort page shows that costs a recount; plain data, so Redis can hold it."""

    #: (the day, the course's content_version) they were computed for
    stamp: tuple[date, int]
    computed_at: datetime
    members: list[MemberReport]
    activities: list[ActivityLine]
    expected_percent: int
    units: list[UnitSummary]
    #: JP earned this year per member (members without any are left out)
    jp: dict[int, Decimal]
    #: Members below the yearly JP target, per work unit name
    below: Counter
    #: (work unit id, name) of the members' units, by name: the page's filter
    unit_choices: list[tuple[int | None, str]]
    #: (role, name, email) of the cohort's staff
    staff: list[tuple[str, str, str]]

    def report(self, cohort: Cohort) -> CohortReport:
        """Return the figures as the cohort's report."""
        return CohortReport(
            cohort, self.members, self.activities, self.expected_percent
        )

    @property
    def quizzes(self) -> list[ActivityLine]:
        """Return the course's current quizzes, in course order."""
        return [a for a in self.activities if a.type == "quiz"]


def compute_figures(cohort: Cohort, today: date) -> CohortFigures:
    """Count a cohort's figures now (four queries)."""
    (report,) = cohort_reports([cohort], today)
    jp = cohort_jp(cohort, today.year)
    target = current_app.config["LMS_YEARLY_JP_TARGET"]
    below = Counter(
        m.unit_name for m in report.members if jp.get(m.user_id, 0) < target
    )
    units = sorted(
        {(m.unit_id, m.unit_name) for m in report.members}, key=lambda u: u[1]
    )
    staff = db.session.execute(
        select(CohortStaff.role, User.name, User.email).join(User, User.id == CohortStaff.user_id)
        .where(CohortStaff.cohort_id == cohort.id).order_by(CohortStaff.role, User.name)
    )  # fmt: skip
    return CohortFigures((today, cohort.course.content_version), utcnow(), report.members,
                         [ActivityLine(*a) for a in report.activities], report.expected_percent, report.units(),
                         jp, below, units, [tuple(row) for row in staff])  # fmt: skip


def cohort_figures(cohort: Cohort, today: date, refresh: bool = False) -> CohortFigures:
    """Return the cohort's figures: shared ones if recent enough, else (or when `refresh`) counted now.

    The caller has checked that the user may see the cohort.
    """
    seconds = current_app.config["LMS_REPORT_CACHE_SECONDS"]
    if seconds <= 0:
        return compute_figures(cohort, today)
    if not refresh:
        figures = lms_cache.cohort_figures(
            cohort, lambda: compute_figures(cohort, today), seconds
        )
        if figures.stamp == (today, cohort.course.content_version):
            return figures
    figures = compute_figures(cohort, today)
    lms_cache.put_cohort_figures(cohort, figures, seconds)
    return figures


def forget_figures(*cohort_ids: int) -> None:
    """Retire the shared figures of these cohorts (their members, staff or dates changed); commits.

    Called after the change is committed: whoever reads the new version sees the change too.
    """
    db.session.execute(
        update(Cohort)
        .where(Cohort.id.in_(cohort_ids))
        .values(figures_version=Cohort.figures_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
