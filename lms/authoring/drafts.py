"""Activities written in the browser: create, save a draft (a revision), publish.

The activity row holds what learners see; every save adds an `ActivityRevision`. A revision that is
newer than the last published one is the draft. Saving is a compare-and-set on `Activity.version`,
so of two editors who opened the same text, the second to save is refused instead of overwriting.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass

import yaml
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lms.activities.base import ActivityType, ParsedActivity
from lms.activities.registry import activity_types
from lms.authoring.courses import AuthoringError, current_minutes, renumber_activities
from lms.authoring.uploads import uploaded_image_sizes
from lms.content.errors import ContentError
from lms.content.image_sizes import known_images
from lms.content.reader import SLUG_RE
from lms.extensions import db
from lms.models import Activity, ActivityRevision, Course, Module
from lms.models.authoring import IMPORTED_NOTE
from lms.models.types import utcnow

#: What a new activity's file starts with, in the course's language.
STARTERS = {
    "lesson": lambda title: (
        "## " + title + "\n\n" + _("Write the lesson here in Markdown.") + "\n"
    ),
    "quiz": lambda title: (
        "::q1:: " + _("Replace this with your first question.") + " {T}\n"
    ),
    "survey": lambda title: (
        "## "
        + title
        + "\n\nlikert* q1: "
        + _("Replace this with your first statement.")
        + "\n  1: "
        + _("Strongly disagree")
        + "\n  5: "
        + _("Strongly agree")
        + "\n"
    ),
}


class EditConflict(Exception):
    """Someone saved the activity after this editor opened it; `latest` is their revision."""

    def __init__(self, latest: ActivityRevision | None):
        super().__init__("the activity changed since it was opened")
        self.latest = latest


@dataclass
class WorkingCopy:
    """What the editor starts from: the draft if there is one, else the published text."""

    source: str
    version: int
    #: True when the text differs from what learners see (a draft, or never published).
    pending: bool


def content_hash(type_name: str, text: str) -> str:
    """Hash an activity file the way the importer does, so an exported file re-imports unchanged."""
    return hashlib.sha256(f"{type_name}\0{text}".encode()).hexdigest()


def file_suffix(activity: Activity, activity_type: ActivityType) -> str:
    """Return the file suffix the activity is written with (`.md`, `.gift`, `.aiken`...)."""
    for suffix in activity_type.suffixes:
        if activity.source_path.endswith(suffix):
            return suffix
    return activity_type.suffixes[0]


def parse_source(activity: Activity, text: str) -> ParsedActivity:
    """Parse `text` exactly as an import would; raise ContentError with the problems' lines."""
    activity_type = activity_types()[activity.type]
    name = activity.key.split("/", 1)[1] + file_suffix(activity, activity_type)
    course = db.session.get(Course, activity.course_id)
    with known_images(uploaded_image_sizes(course, current_app.config["LMS_UPLOADS_DIR"])):  # fmt: skip
        return activity_type.parse(name, text)


def latest_revision(activity_id: int) -> ActivityRevision | None:
    """Return the activity's newest revision, if it has any."""
    return db.session.scalar(
        select(ActivityRevision)
        .where(ActivityRevision.activity_id == activity_id)
        .order_by(ActivityRevision.number.desc())
        .limit(1)
    )


def working_copy(activity: Activity) -> WorkingCopy:
    """Return the text an editor opens, and the version their save must match."""
    latest = latest_revision(activity.id)
    if latest is not None and latest.published_at is None:
        return WorkingCopy(latest.source, activity.version, True)
    return WorkingCopy(activity.source, activity.version, not activity.published)


def create_activity(
    course: Course, module: Module, type_name: str, key: str, title: str, author_id: int
) -> Activity:
    """Add an unpublished activity at the end of the module, with a first revision to edit."""
    registry = activity_types()
    if type_name not in registry:
        raise AuthoringError("type")
    if not SLUG_RE.match(key):
        raise AuthoringError("slug")
    full_key = f"{module.key}/{key}"
    if db.session.scalar(
        select(Activity.id).where(
            Activity.course_id == course.id, Activity.key == full_key
        )
    ):
        raise AuthoringError("taken")
    front = yaml.safe_dump(
        {"title": title.strip(), "minutes": 10}, allow_unicode=True, sort_keys=False
    )
    with force_locale(course.language or "id"):
        starter = STARTERS[type_name](title.strip()) if type_name in STARTERS else ""
        if type_name == "survey":
            note = _(
                "true: the course and its certificate wait for the answers; false: optional"
            )
            front += f"required: true  # {note}\n"
    text = f"---\n{front}---\n{starter}"
    activity_type = registry[type_name]
    activity = Activity(
        course_id=course.id,
        module_id=module.id,
        key=full_key,
        type=type_name,
        position=10**6,
        source_path=f"{module.key}/{key}{activity_type.suffixes[0]}",
        published=False,
        version=1,
    )
    try:
        parsed = parse_source(activity, text)
    except ContentError:  # a type whose files need more than a title to start from
        raise AuthoringError("type") from None
    _apply(activity, parsed, text)
    db.session.add(activity)
    db.session.flush()
    renumber_activities(course.id)
    db.session.add(
        ActivityRevision(
            activity_id=activity.id,
            number=1,
            author_id=author_id,
            title=activity.title,
            source=text,
            summary="Created",
        )
    )
    db.session.commit()
    return activity


def save_draft(
    activity: Activity, text: str, author_id: int, expected_version: int, summary: str
) -> ActivityRevision:
    """Save `text` as a new revision (a draft) if nobody saved since `expected_version`.

    Raise ContentError when the text does not parse (nothing is saved) and EditConflict when
    another save came first.
    """
    text = text.replace("\r\n", "\n")
    parsed = parse_source(activity, text)
    result = db.session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.version == expected_version)
        .values(version=Activity.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise EditConflict(latest_revision(activity.id))
    db.session.refresh(activity, ["version"])
    previous = _ensure_baseline(activity)
    revision = ActivityRevision(
        activity_id=activity.id,
        number=(previous.number if previous else 0) + 1,
        author_id=author_id,
        title=parsed.title,
        source=text,
        summary=summary.strip()[:300]
        or line_changes(previous.source if previous else "", text),
    )
    db.session.add(revision)
    if (
        not activity.published
    ):  # nobody sees it yet: keep the row in step for the outline
        _apply(activity, parsed, text)
    db.session.commit()
    return revision


def _ensure_baseline(activity: Activity) -> ActivityRevision | None:
    """Record the imported text as revision 1 before the first browser edit, so it can be restored."""
    latest = latest_revision(activity.id)
    if latest is None and activity.source:
        latest = ActivityRevision(
            activity_id=activity.id,
            number=1,
            author_id=None,
            title=activity.title,
            source=activity.source,
            summary=IMPORTED_NOTE,
            published_at=activity.updated_at if activity.published else None,
        )
        db.session.add(latest)
        db.session.flush()
    return latest


def publish(activity: Activity) -> bool:
    """Make the draft what learners see; return False when there was nothing to publish.

    Raise ContentError, changing nothing, when the draft no longer parses.
    """
    latest = latest_revision(activity.id)
    if latest is not None and latest.published_at is None:
        text = latest.source
    elif not activity.published:
        text = activity.source
    else:
        return False
    parsed = parse_source(
        activity, text
    )  # before any change: a broken draft changes nothing
    newly_visible = not activity.published or activity.required != parsed.required
    latest = latest or _ensure_baseline(activity)
    _apply(activity, parsed, text)
    activity.published = True
    now = utcnow()
    db.session.execute(
        update(ActivityRevision)
        .where(ActivityRevision.id == latest.id)
        .values(published_at=now)
        .execution_options(synchronize_session=False)
    )
    course = activity.course
    course.minutes = current_minutes(course.id)
    db.session.commit()
    if newly_visible:
        from lms.learn.progress import refresh_course_enrollments

        refresh_course_enrollments(course.slug)
    return True


def _apply(activity: Activity, parsed: ParsedActivity, text: str) -> None:
    activity.title, activity.minutes = parsed.title, parsed.minutes
    activity.html, activity.spec = parsed.html, parsed.spec
    activity.objectives, activity.source = parsed.objectives, text
    activity.required = parsed.required
    activity.content_hash = content_hash(activity.type, text)


def line_changes(old: str, new: str) -> str:
    """Describe a change by the lines it adds and removes: `+3 −1 lines`."""
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), n=0):
        if not line.startswith(("+++", "---")):
            added += line.startswith("+")
            removed += line.startswith("-")
    return f"+{added} −{removed} lines"


def activities_with_drafts(course_id: int) -> set[int]:
    """Return the ids of the course's activities whose newest revision is not published (one query)."""
    newest = (
        select(
            ActivityRevision.activity_id,
            func.max(ActivityRevision.number).label("number"),
        )
        .join(Activity, Activity.id == ActivityRevision.activity_id)
        .where(Activity.course_id == course_id)
        .group_by(ActivityRevision.activity_id)
        .subquery()
    )
    return set(
        db.session.scalars(
            select(ActivityRevision.activity_id)
            .join(
                newest,
                (newest.c.activity_id == ActivityRevision.activity_id)
                & (newest.c.number == ActivityRevision.number),
            )
            .where(ActivityRevision.published_at.is_(None))
        )
    )
