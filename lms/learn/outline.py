"""Reading a course's outline and a learner's progress on it, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import defer

from lms import cache
from lms.extensions import db
from lms.learn.lookup import ENROLLMENT_OF_USER
from lms.models import Activity, ActivityProgress, Course, Enrollment, Module


@dataclass(frozen=True)
class StructureItem:
    """One current activity of a course, as every learner's outline shows it."""

    id: int
    key: str
    title: str
    type: str
    minutes: int
    href: str
    #: False when the course is complete without it (an optional survey).
    required: bool = True


@dataclass(frozen=True)
class StructureModule:
    """One module of a course with its current activities."""

    key: str
    title: str
    summary: str
    items: tuple[StructureItem, ...]


@dataclass
class OutlineItem:
    """One activity as the outline shows it to one learner."""

    id: int
    key: str
    title: str
    type: str
    minutes: int
    completed_at: datetime | None = None
    visited: bool = False
    href: str = ""
    required: bool = True


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
    def total(self) -> int:
        """Return how many activities completing the course takes (optional ones left out)."""
        return sum(1 for item in self.items if item.required)

    @property
    def completed(self) -> int:
        """Return how many of those activities the learner completed."""
        return sum(1 for item in self.items if item.completed_at and item.required)

    @property
    def percent(self) -> int:
        """Return the percent of required activities completed (rounded down)."""
        total = self.total
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


def course_structure(course: Course) -> tuple[StructureModule, ...]:
    """Return the course's current modules and activities (kept per content version)."""
    return cache.course_structure(course, _load_structure)


def _load_structure(course: Course) -> tuple[StructureModule, ...]:
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
            Activity.required,
        )
        .where(
            Activity.course_id == course.id,
            Activity.is_current(),
        )
        .order_by(Activity.position)
    ).all()
    items: dict[int, list[StructureItem]] = {m.id: [] for m in modules}
    for row in rows:
        if row.module_id in items:
            items[row.module_id].append(
                StructureItem(
                    row.id,
                    row.key,
                    row.title,
                    row.type,
                    row.minutes,
                    _href(course.slug, row.key),
                    row.required,
                )
            )
    return tuple(
        StructureModule(m.key, m.title, m.summary, tuple(items[m.id]))
        for m in modules
        if items[m.id]
    )


def _href(slug: str, key: str) -> str:
    if not has_request_context():
        return ""
    module_key, activity_key = key.split("/", 1)
    return url_for(
        "learn.activity", slug=slug, module_key=module_key, activity_key=activity_key
    )


#: A learner's completion of a course's activities (built once: the course page runs it each view).
_OUTLINE_PROGRESS = (
    select(ActivityProgress.activity_id, ActivityProgress.completed_at)
    .join(Activity, Activity.id == ActivityProgress.activity_id)
    .where(
        ActivityProgress.user_id == bindparam("user_id"),
        Activity.course_id == bindparam("course_id"),
    )
)


def course_outline(
    course: Course, user_id: int | None, progress: Mapping[int, Any] | None = None
) -> Outline:
    """Build the outline from the cached structure and the learner's progress.

    `progress` maps activity ids to rows with a `completed_at`; without it, one query reads them.
    """
    structure = course_structure(course)
    if progress is None and user_id is None:
        progress = {}
    elif progress is None:
        progress = {
            row.activity_id: row
            for row in db.session.execute(
                _OUTLINE_PROGRESS, {"user_id": user_id, "course_id": course.id}
            )
        }
    modules = []
    for module in structure:
        items = []
        for item in module.items:
            seen = progress.get(item.id)
            items.append(
                OutlineItem(
                    item.id,
                    item.key,
                    item.title,
                    item.type,
                    item.minutes,
                    completed_at=seen.completed_at if seen else None,
                    visited=seen is not None,
                    href=item.href,
                    required=item.required,
                )
            )
        modules.append(OutlineModule(module.key, module.title, module.summary, items))
    return Outline(modules)


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


#: The published courses, each with its number of current activities and the user's enrollment
#: in it (if any), in one statement built once (the catalogue is the home page).
_CATALOG = (
    select(
        Course,
        select(func.count(Activity.id))
        .where(Activity.course_id == Course.id, Activity.counts_for_completion())
        .scalar_subquery(),
        Enrollment,
    )
    .outerjoin(Enrollment, ENROLLMENT_OF_USER)
    .where(Course.published.is_(True), Course.archived_at.is_(None))
    .order_by(Course.title)
    .options(defer(Course.source))  # the course file's text: listed nowhere
)


def catalog(user_id: int | None, enrolled_only: bool = False) -> list[CatalogEntry]:
    """List published courses with their activity counts and the learner's enrollment (1 query)."""
    entries = [
        CatalogEntry(course, activities, enrollment)
        for course, activities, enrollment in db.session.execute(
            _CATALOG, {"user_id": user_id}
        )
    ]
    if enrolled_only:
        entries = [e for e in entries if e.enrollment is not None]
    return entries


def course_organisers(course: Course) -> list[str]:
    """Return the names of the course's teaching staff (who add learners to its angkatan)."""
    from lms.models import CourseStaff, User

    return list(
        db.session.scalars(
            select(User.name)
            .join(CourseStaff, CourseStaff.user_id == User.id)
            .where(CourseStaff.course_id == course.id)
            .order_by(User.name)
        )
    )
