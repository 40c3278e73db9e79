"""Reading a course's outline and a learner's progress on it, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Activity, ActivityProgress, Course, Enrollment, Module


@dataclass
class OutlineItem:
    """One activity as the outline shows it."""

    id: int
    key: str
    title: str
    type: str
    minutes: int
    completed_at: datetime | None = None
    visited: bool = False


@dataclass
class OutlineModule:
    """One module with its current activities."""

    key: str
    title: str
    summary: str
    items: list[OutlineItem] = field(default_factory=list)


@dataclass
class Outline:
    """A course's current modules and activities, with one learner's status on each."""

    modules: list[OutlineModule]

    @property
    def items(self) -> list[OutlineItem]:
        """Return every activity in course order."""
        return [item for module in self.modules for item in module.items]

    @property
    def completed(self) -> int:
        """Return how many activities the learner completed."""
        return sum(1 for item in self.items if item.completed_at)

    @property
    def percent(self) -> int:
        """Return the percent of activities completed (rounded down)."""
        total = len(self.items)
        return (100 * self.completed // total) if total else 0

    def neighbours(self, key: str) -> tuple[OutlineItem | None, OutlineItem | None]:
        """Return the activities before and after `key`."""
        items = self.items
        for index, item in enumerate(items):
            if item.key == key:
                return (
                    items[index - 1] if index else None,
                    items[index + 1] if index + 1 < len(items) else None,
                )
        return None, None

    def first_unfinished(self) -> OutlineItem | None:
        """Return the first activity the learner has not completed."""
        return next((item for item in self.items if not item.completed_at), None)


def course_outline(course: Course, user_id: int | None) -> Outline:
    """Build the outline in three queries: modules, activities, and the learner's progress."""
    modules = db.session.execute(
        select(Module.id, Module.key, Module.title, Module.summary)
        .where(Module.course_id == course.id, Module.archived_at.is_(None))
        .order_by(Module.position)
    ).all()
    rows = db.session.execute(
        select(
            Activity.id,
            Activity.key,
            Activity.title,
            Activity.type,
            Activity.minutes,
            Activity.module_id,
        )
        .where(
            Activity.course_id == course.id,
            Activity.archived_at.is_(None),
            Activity.published.is_(True),
        )
        .order_by(Activity.position)
    ).all()
    progress = {}
    if user_id is not None:
        progress = {
            row.activity_id: row
            for row in db.session.execute(
                select(ActivityProgress.activity_id, ActivityProgress.completed_at)
                .join(Activity, Activity.id == ActivityProgress.activity_id)
                .where(
                    ActivityProgress.user_id == user_id, Activity.course_id == course.id
                )
            )
        }
    by_id = {m.id: OutlineModule(m.key, m.title, m.summary) for m in modules}
    for row in rows:
        seen = progress.get(row.id)
        by_id[row.module_id].items.append(
            OutlineItem(
                row.id,
                row.key,
                row.title,
                row.type,
                row.minutes,
                completed_at=seen.completed_at if seen else None,
                visited=seen is not None,
            )
        )
    return Outline([m for m in by_id.values() if m.items])


@dataclass
class CatalogEntry:
    """A course as the catalogue lists it."""

    course: Course
    activities: int
    enrollment: Enrollment | None

    @property
    def percent(self) -> int:
        """Return the learner's percent complete (0 when not enrolled)."""
        if not self.enrollment or not self.activities:
            return 0
        return min(100, 100 * self.enrollment.completed_activities // self.activities)


def catalog(user_id: int | None, enrolled_only: bool = False) -> list[CatalogEntry]:
    """List published courses with their activity counts and the learner's enrollment (3 queries)."""
    courses = db.session.scalars(
        select(Course)
        .where(Course.published.is_(True), Course.archived_at.is_(None))
        .order_by(Course.title)
    ).all()
    counts = dict(
        db.session.execute(
            select(Activity.course_id, func.count(Activity.id))
            .where(Activity.archived_at.is_(None), Activity.published.is_(True))
            .group_by(Activity.course_id)
        ).all()
    )
    enrollments = {}
    if user_id is not None:
        enrollments = {
            e.course_id: e
            for e in db.session.scalars(
                select(Enrollment).where(Enrollment.user_id == user_id)
            )
        }
    entries = [
        CatalogEntry(c, counts.get(c.id, 0), enrollments.get(c.id)) for c in courses
    ]
    if enrolled_only:
        entries = [e for e in entries if e.enrollment is not None]
    return entries
