"""What authoring in the browser keeps: every saved revision of an activity, and uploaded images."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.types import UTCDateTime, utcnow

#: The note of a revision made by an import (stored in English, shown translated).
IMPORTED_NOTE = "Imported from the course files"


class ActivityRevision(db.Model):
    """One saved text of an activity: who saved it, when, and what changed."""

    __tablename__ = "activity_revisions"
    __table_args__ = (UniqueConstraint("activity_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    #: 1, 2, 3... within the activity.
    number: Mapped[int] = mapped_column(Integer)
    #: None for the version that came from the course files.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    #: The activity file's full text (front matter and body).
    source: Mapped[str] = mapped_column(Text)
    #: What changed, in the author's words or counted in lines.
    summary: Mapped[str] = mapped_column(String(300), default="")
    #: When this text was published to learners; None while it is a draft.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CourseImage(db.Model):
    """An image uploaded for a course, stored on disk under a name made from its content."""

    __tablename__ = "course_images"
    __table_args__ = (UniqueConstraint("course_id", "stored_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    #: `<sha256>.<ext>`: the file name on disk and in the image's URL.
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(255), default="")
    #: Decided from the file's first bytes, never from its name or the browser's word.
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
