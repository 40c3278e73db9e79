"""Course content as stored: courses, their modules and their activities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    inspect,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from lms.extensions import db
from lms.models.types import JSONType, UTCDateTime, utcnow


class Course(db.Model):
    """A course; its slug (the folder name) is its permanent identity."""

    __tablename__ = "courses"
    #: The catalogue's word search (ILIKE '%word%'): a trigram index on PostgreSQL; SQLite gets
    #: a plain index of the same name and scans (see migration 0023_catalog_trgm).
    __table_args__ = (
        Index(
            "ix_courses_words",
            "title",
            "summary",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops", "summary": "gin_trgm_ops"},
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(300), default="")
    #: Learning hours (jam pelajaran) a learner earns by completing the course.
    jp: Mapped[int] = mapped_column(Integer, default=0, index=True)
    language: Mapped[str] = mapped_column(String(8), default="id")
    category: Mapped[str] = mapped_column(String(100), default="", index=True)
    cohort_based: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A learner in a cohort sees the discussions of their cohort only (else the whole course's).
    discussions_by_cohort: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    objectives: Mapped[list[str]] = mapped_column(JSONType, default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The text of course.md as last imported or saved (front matter and description).
    source: Mapped[str] = mapped_column(Text, default="")
    #: Details saved in the browser but not yet shown to learners (a course.md text), or None.
    #: Only the authoring pages read it.
    draft_source: Mapped[str | None] = mapped_column(Text, deferred=True)
    #: Sum of the minutes of the current activities, kept by the importer.
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: Bumped whenever the course's content changes; caches of the outline key on it.
    content_version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    modules: Mapped[list[Module]] = relationship(
        back_populates="course",
        order_by="Module.position",
        cascade="all, delete-orphan",
    )


class Module(db.Model):
    """A module of a course, ordered by position; keyed by its folder name without the prefix."""

    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    #: The text of module.md as last imported or saved.
    source: Mapped[str] = mapped_column(Text, default="")
    #: A module.md text saved in the browser but not yet shown to learners, or None.
    draft_source: Mapped[str | None] = mapped_column(Text, deferred=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="modules")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="module", order_by="Activity.position"
    )


class Activity(db.Model):
    """One activity (lesson, quiz, ...) of a course, identified by its stable key."""

    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("course_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("modules.id", ondelete="CASCADE"), index=True
    )
    #: `module-key/activity-key`: the path in the course folder without numeric prefixes.
    key: Mapped[str] = mapped_column(String(201))
    #: The activity type's entry-point name (lesson, quiz, ...).
    type: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    #: Order within the whole course (module order first, then file order).
    position: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: The body, rendered and sanitized once when the content was imported or saved.
    html: Mapped[str] = mapped_column(Text, default="")
    #: Type-specific data (a quiz's settings and questions, ...), already rendered where it is HTML.
    spec: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    objectives: Mapped[list[str]] = mapped_column(JSONType, default=list)
    source_path: Mapped[str] = mapped_column(String(500), default="")
    #: The activity file's full text (front matter and body) as last imported or published.
    source: Mapped[str] = mapped_column(Text, default="")
    #: False for an activity created in the browser and not yet published (learners never see it).
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    #: False for an activity the course is complete without (an optional survey).
    required: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    #: Incremented on every content change (optimistic locking for editors, cache keys).
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    module: Mapped[Module] = relationship(back_populates="activities")
    course: Mapped[Course] = relationship()

    @classmethod
    def is_current(cls):
        """SQL: the activity is part of its course now (published, not archived)."""
        return and_(cls.archived_at.is_(None), cls.published.is_(True))

    @classmethod
    def counts_for_completion(cls):
        """SQL: the activity is current and its course is not complete without it."""
        return and_(cls.is_current(), cls.required.is_(True))


class CourseStaff(db.Model):
    """A person who teaches a course (edits it, sees its results, grades by hand)."""

    __tablename__ = "course_staff"
    __table_args__ = (UniqueConstraint("course_id", "user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: `instructor` for now; later roles (e.g. assistant) fit the same table.
    role: Mapped[str] = mapped_column(String(20), default="instructor")


@event.listens_for(Session, "before_flush")
def _bump_content_version(session: Session, flush_context, instances) -> None:
    """Bump the content version of every course this flush changes: the course row, a module or an
    activity, any column. Everything kept of a course (`lms.cache`) is kept per this version, so
    this is the one place that makes every process see a change."""
    courses: dict[int, Course] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Course | Module | Activity) or not _changed(
            session, obj
        ):
            continue
        if isinstance(obj, Course):
            course = obj
        else:
            course = (
                obj.course
                if obj.course_id is None
                else session.get(Course, obj.course_id)
            )
        if (
            course is not None
            and course.id is not None
            and course not in session.deleted
        ):
            courses[course.id] = course
    for course in courses.values():
        if not inspect(course).attrs.content_version.history.has_changes():
            course.content_version = (course.content_version or 0) + 1


def _changed(session: Session, obj) -> bool:
    """Tell whether the flush adds, deletes or changes a column learners may see of `obj`."""
    if obj in session.new or obj in session.deleted:
        return True
    state = inspect(obj)
    return any(
        state.attrs[column.key].history.has_changes()
        for column in state.mapper.column_attrs
        if column.key not in _UNSEEN
    )


#: Columns no learner sees: versions, times of change and drafts waiting in the editor.
_UNSEEN = frozenset({"content_version", "updated_at", "draft_source", "version"})
