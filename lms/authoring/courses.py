"""Course and module details written as the files they export to (course.md, module.md)."""

from __future__ import annotations

import yaml
from flask import current_app
from sqlalchemy import func, select

from lms.authoring.uploads import uploaded_image_sizes
from lms.content.frontmatter import split_front_matter, validate_meta
from lms.content.image_sizes import known_images
from lms.content.reader import COURSE_FIELDS, MODULE_FIELDS, SLUG_RE
from lms.content.render import render_markdown
from lms.extensions import db
from lms.models import Activity, Course, CourseStaff, Module
from lms.models.types import utcnow


class AuthoringError(ValueError):
    """A request to change a course that cannot be done as asked; the message says why."""


def file_text(meta: dict, body: str) -> str:
    """Write front matter and a Markdown body as one course file."""
    meta = {k: v for k, v in meta.items() if v not in ("", None, [])}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    body = body.replace("\r\n", "\n").strip()
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"


def read_file_text(text: str, fields: dict, path: str) -> tuple[dict, str]:
    """Read and validate a course or module file; raise ContentError naming the line."""
    meta, body, _ = split_front_matter(text, path)
    return validate_meta(meta, fields, path, text), body


def course_details(course: Course) -> dict:
    """Return the course's details as the settings form shows them: the draft's, if one waits."""
    text = course.draft_source or course.source
    meta, body = read_file_text(text, COURSE_FIELDS, "course.md")
    return {**meta, "description": body.strip()}


def module_details(module: Module) -> dict:
    """Return the module's details as the module form shows them: the draft's, if one waits."""
    text = module.draft_source or module.source
    meta, body = read_file_text(text, MODULE_FIELDS, "module.md")
    return {**meta, "intro": body.strip()}


def course_text(details: dict) -> str:
    """Write course.md from the settings form's details."""
    meta = {
        "title": details["title"].strip(),
        "summary": details["summary"].strip(),
        "audience": (details.get("audience") or "").strip(),
        "jp": details["jp"],
        "language": details.get("language") or "id",
        "category": (details.get("category") or "").strip(),
        "cohort": bool(details.get("cohort")),
        "objectives": [o.strip() for o in details.get("objectives") or [] if o.strip()],
    }
    return file_text(meta, details.get("description") or "")


def module_text(details: dict) -> str:
    """Write module.md from the module form's details."""
    meta = {
        "title": details["title"].strip(),
        "summary": (details.get("summary") or "").strip(),
    }
    return file_text(meta, details.get("intro") or "")


def apply_course_text(course: Course, text: str) -> None:
    """Set the course's details from the text of its course.md (validated as an import would)."""
    meta, body = read_file_text(text, COURSE_FIELDS, "course.md")
    course.title, course.summary, course.jp = meta["title"], meta["summary"], meta["jp"]
    course.audience, course.language = meta["audience"], meta["language"]
    course.category, course.cohort_based = meta["category"], meta["cohort"]
    course.objectives = list(meta["objectives"])
    course.description_html = _render(course, body)
    course.source = text


def apply_module_text(module: Module, text: str) -> None:
    """Set the module's title, summary and introduction from the text of its module.md."""
    meta, body = read_file_text(text, MODULE_FIELDS, "module.md")
    module.title, module.summary = meta["title"], meta["summary"]
    module.intro_html = _render(db.session.get(Course, module.course_id), body)
    module.source = text


def _render(course: Course, body: str) -> str:
    """Render a course's Markdown, sizing the images uploaded for it."""
    uploads_dir = current_app.config["LMS_UPLOADS_DIR"]
    with known_images(uploaded_image_sizes(course, uploads_dir)):
        return render_markdown(body)


def create_course(slug: str, details: dict, creator_id: int) -> Course:
    """Create an unpublished course with its creator on the teaching staff."""
    if not SLUG_RE.match(slug):
        raise AuthoringError("slug")
    if db.session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
        raise AuthoringError("taken")
    course = Course(slug=slug, published=False, content_version=1)
    apply_course_text(course, course_text(details))
    db.session.add(course)
    db.session.flush()
    db.session.add(
        CourseStaff(course_id=course.id, user_id=creator_id, role="instructor")
    )
    db.session.commit()
    return course


def update_course(course: Course, details: dict) -> None:
    """Save the course's details and show them to learners (a waiting draft is used up)."""
    apply_course_text(course, course_text(details))
    course.draft_source = None
    db.session.commit()


def save_course_draft(course: Course, details: dict) -> None:
    """Keep the details as a draft: learners see the published ones until it is published."""
    text = course_text(details)
    read_file_text(text, COURSE_FIELDS, "course.md")  # valid as an import would require
    course.draft_source = text
    db.session.commit()


def modules_with_drafts(course_id: int) -> set[int]:
    """Return the ids of the course's modules whose details have a draft."""
    return set(
        db.session.scalars(
            select(Module.id).where(
                Module.course_id == course_id, Module.draft_source.is_not(None)
            )
        )
    )


def discard_course_draft(course: Course) -> None:
    """Drop the course details' draft; the published details stay."""
    course.draft_source = None
    db.session.commit()


def set_course_published(course: Course, published: bool) -> None:
    """Publish the course in the catalogue, or take it out."""
    course.published = published
    db.session.commit()


def create_module(course: Course, key: str, details: dict) -> Module:
    """Add a module at the end of the course."""
    if not SLUG_RE.match(key):
        raise AuthoringError("slug")
    if db.session.scalar(
        select(Module.id).where(Module.course_id == course.id, Module.key == key)
    ):
        raise AuthoringError("taken")
    last = db.session.scalar(
        select(Module.position)
        .where(Module.course_id == course.id)
        .order_by(Module.position.desc())
        .limit(1)
    )
    module = Module(course_id=course.id, key=key, position=(last or 0) + 1)
    apply_module_text(module, module_text(details))
    db.session.add(module)
    db.session.commit()
    return module


def update_module(module: Module, details: dict) -> None:
    """Save the module's title, summary and introduction and show them to learners."""
    apply_module_text(module, module_text(details))
    module.draft_source = None
    db.session.commit()


def save_module_draft(module: Module, details: dict) -> None:
    """Keep the module's details as a draft: learners see the published ones until then."""
    text = module_text(details)
    read_file_text(text, MODULE_FIELDS, "module.md")
    module.draft_source = text
    db.session.commit()


def discard_module_draft(module: Module) -> None:
    """Drop the module details' draft; the published details stay."""
    module.draft_source = None
    db.session.commit()


def current_modules(course_id: int) -> list[Module]:
    """Return the course's modules that are not archived, in order."""
    return list(
        db.session.scalars(
            select(Module)
            .where(Module.course_id == course_id, Module.archived_at.is_(None))
            .order_by(Module.position)
        )
    )


def move_module(module: Module, step: int) -> None:
    """Move the module one place up (-1) or down (+1) in the course."""
    modules = current_modules(module.course_id)
    _swap(modules, modules.index(module), step)
    for position, item in enumerate(modules, start=1):
        item.position = position
    renumber_activities(module.course_id)
    db.session.commit()


def move_activity(activity: Activity, step: int) -> None:
    """Move the activity one place up (-1) or down (+1) within its module."""
    siblings = list(
        db.session.scalars(
            select(Activity)
            .where(
                Activity.module_id == activity.module_id,
                Activity.archived_at.is_(None),
            )
            .order_by(Activity.position)
        )
    )
    _swap(siblings, siblings.index(activity), step)
    for position, item in enumerate(siblings, start=1):
        item.position = position
    renumber_activities(activity.course_id)
    db.session.commit()


def set_activity_archived(activity: Activity, archived: bool) -> None:
    """Take the activity out of the course, or bring it back; learners' records on it stay.

    An archived activity leaves the outline and no longer counts toward completing the course
    (every enrollment is recounted), exactly as when its file is removed before an import.
    """
    from lms.learn.progress import refresh_course_enrollments

    activity.archived_at = utcnow() if archived else None
    renumber_activities(activity.course_id)
    course = activity.course
    course.minutes = current_minutes(course.id)
    db.session.commit()
    refresh_course_enrollments(course.slug)


def current_minutes(course_id: int) -> int:
    """Return the minutes of the course's current (published, not archived) activities."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Activity.minutes), 0)).where(
            Activity.course_id == course_id,
            Activity.is_current(),
        )
    )


def archived_activities(course_id: int) -> list[Activity]:
    """Return the course's archived activities, most recently archived first."""
    return list(
        db.session.scalars(
            select(Activity)
            .where(Activity.course_id == course_id, Activity.archived_at.is_not(None))
            .order_by(Activity.archived_at.desc())
        )
    )


def _swap(items: list, index: int, step: int) -> None:
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def renumber_activities(course_id: int) -> None:
    """Number the course's activities 1, 2, 3... in module order, then in order within a module."""
    rows = db.session.execute(
        select(Activity)
        .join(Module, Module.id == Activity.module_id)
        .where(Activity.course_id == course_id)
        .order_by(
            Module.archived_at.is_not(None),
            Module.position,
            Activity.archived_at.is_not(None),
            Activity.position,
            Activity.id,
        )
    ).scalars()
    for position, activity in enumerate(list(rows), start=1):
        activity.position = position
    db.session.flush()
