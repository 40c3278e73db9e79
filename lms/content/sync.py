"""Steps two and three of an import: plan the changes against the database by key, then apply them.

A plan is computed from what `reader` read and what the database holds, without writing. Applying
it happens in one transaction: either every course in it is updated or nothing is. Learner state
points at activity ids, which never change for a key, so progress survives every re-import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from lms.content.reader import CourseData
from lms.extensions import db
from lms.models import Activity, Course, CourseImage, Module
from lms.models.authoring import IMPORTED_NOTE
from lms.models.types import utcnow


@dataclass
class CoursePlan:
    """What importing one course will change."""

    slug: str
    new_course: bool = False
    #: The course's own details, or a module's title, summary or order changed.
    course_changed: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    #: Images in the folder's images/ that the course does not have yet.
    images_added: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """Tell whether applying this plan writes anything."""
        return bool(
            self.new_course
            or self.course_changed
            or self.added
            or self.updated
            or self.moved
            or self.archived
            or self.restored
            or self.images_added
        )

    def as_dict(self) -> dict:
        """Return the plan as JSON-able data."""
        return {k: v for k, v in self.__dict__.items()}


def plan_import(courses: list[CourseData]) -> list[CoursePlan]:
    """Compare what was read with the database; write nothing."""
    plans = []
    for data in courses:
        course = db.session.scalar(select(Course).where(Course.slug == data.slug))
        plan = CoursePlan(slug=data.slug, new_course=course is None)
        existing = {} if course is None else _activities_by_key(course.id)
        if course is not None:
            fields = _course_fields(data)
            stored = db.session.execute(
                select(Module.key, Module.source)
                .where(Module.course_id == course.id, Module.archived_at.is_(None))
                .order_by(Module.position)
            ).all()
            plan.course_changed = fields != {k: getattr(course, k) for k in fields} or [
                tuple(row) for row in stored
            ] != [(m.key, m.source) for m in data.modules]
        position = 0
        for module in data.modules:
            for item in module.activities:
                position += 1
                current = existing.pop(item.key, None)
                if current is None:
                    plan.added.append(item.key)
                elif current.archived_at is not None:
                    plan.restored.append(item.key)
                elif current.content_hash != item.content_hash:
                    plan.updated.append(item.key)
                elif current.position != position or current.module.key != module.key:
                    plan.moved.append(item.key)
                else:
                    plan.unchanged += 1
        plan.archived = sorted(k for k, a in existing.items() if a.archived_at is None)
        known = (
            set()
            if course is None
            else set(
                db.session.scalars(
                    select(CourseImage.sha256).where(CourseImage.course_id == course.id)
                )
            )
        )
        plan.images_added = sorted(
            {i.name for i in data.images if i.sha256 not in known}
        )
        plans.append(plan)
    return plans


def apply_import(courses: list[CourseData]) -> list[CoursePlan]:
    """Plan and apply the import in one transaction; on any error nothing is written."""
    plans = plan_import(courses)
    try:
        for data, plan in zip(courses, plans, strict=True):
            if plan.changed:
                _apply_course(data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    from lms.learn.progress import refresh_course_enrollments

    for data, plan in zip(courses, plans, strict=True):
        # An updated survey may have become optional (or required): recount then too.
        if plan.archived or plan.added or plan.restored or plan.updated:
            refresh_course_enrollments(data.slug)
    return plans


def _course_fields(data: CourseData) -> dict:
    meta = data.meta
    return {
        "title": meta["title"],
        "summary": meta["summary"],
        "jp": meta["jp"],
        "audience": meta["audience"],
        "language": meta["language"],
        "category": meta["category"],
        "cohort_based": meta["cohort"],
        "objectives": list(meta["objectives"]),
        "description_html": data.description_html,
        "source": data.source,
        "minutes": sum(a.parsed.minutes for a in data.activities),
    }


def _activities_by_key(course_id: int) -> dict[str, Activity]:
    rows = db.session.scalars(
        select(Activity).where(Activity.course_id == course_id)
    ).all()
    return {a.key: a for a in rows}


def _apply_course(data: CourseData) -> None:
    from lms.authoring.uploads import add_image

    now = utcnow()
    course = db.session.scalar(select(Course).where(Course.slug == data.slug))
    if course is None:
        course = Course(slug=data.slug)
        db.session.add(course)
    if course.source != data.source:
        course.draft_source = None  # a changed course.md supersedes the browser's draft
    for name, value in _course_fields(data).items():
        setattr(course, name, value)
    db.session.flush()
    for image in data.images:
        add_image(
            course, image.data, image.name, None, current_app.config["LMS_UPLOADS_DIR"]
        )

    modules = {
        m.key: m
        for m in db.session.scalars(select(Module).where(Module.course_id == course.id))
    }
    activities = _activities_by_key(course.id)
    seen_modules, seen_activities = set(), set()
    position = 0
    for module_position, module_data in enumerate(data.modules, start=1):
        module = modules.get(module_data.key)
        if module is None:
            module = Module(course_id=course.id, key=module_data.key)
            db.session.add(module)
        module.position, module.title = module_position, module_data.title
        if module.source != module_data.source:
            module.draft_source = None  # as for the course: the files win
        module.source = module_data.source
        module.summary, module.intro_html, module.archived_at = (
            module_data.summary,
            module_data.intro_html,
            None,
        )
        db.session.flush()
        seen_modules.add(module_data.key)
        for item in module_data.activities:
            position += 1
            seen_activities.add(item.key)
            activity = activities.get(item.key)
            if activity is None:
                activity = Activity(course_id=course.id, key=item.key, version=0)
                db.session.add(activity)
            if (
                activity.content_hash != item.content_hash
                or activity.archived_at is not None
            ):
                activity.version = (activity.version or 0) + 1
                if (
                    activity.id is not None
                    and activity.content_hash != item.content_hash
                ):
                    _record_import_revision(activity, item, now)
            parsed = item.parsed
            activity.module_id, activity.position, activity.type = (
                module.id,
                position,
                item.type,
            )
            activity.title, activity.minutes, activity.html = (
                parsed.title,
                parsed.minutes,
                parsed.html,
            )
            activity.spec, activity.objectives = parsed.spec, parsed.objectives
            activity.required = parsed.required
            activity.source = item.source
            activity.source_path, activity.content_hash = (
                item.source_path,
                item.content_hash,
            )
            activity.archived_at = None
    for key, activity in activities.items():
        if key not in seen_activities and activity.archived_at is None:
            activity.archived_at = now
    for key, module in modules.items():
        if key not in seen_modules and module.archived_at is None:
            module.archived_at = now


def _record_import_revision(activity: Activity, item, now) -> None:
    """Keep the browser history true: the imported text becomes the newest, published revision.

    A draft saved in the browser before the import stays in the history (it can be restored), but
    it is no longer what an editor opens or what Publish would put live over the imported text.
    """
    from lms.models import ActivityRevision

    latest = db.session.scalar(
        select(ActivityRevision.number)
        .where(ActivityRevision.activity_id == activity.id)
        .order_by(ActivityRevision.number.desc())
        .limit(1)
    )
    if latest is None:
        return  # never edited in the browser: the first edit records the imported text itself
    db.session.add(
        ActivityRevision(activity_id=activity.id, number=latest + 1, author_id=None, title=item.parsed.title,
                         source=item.source, summary=IMPORTED_NOTE, published_at=now)
    )  # fmt: skip
