"""Discussions: questions on lessons, cohort forum topics, their posts, reads, follows and reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.cohort import Cohort
from lms.models.course import Activity, Course
from lms.models.types import UTCDateTime, utcnow
from lms.models.user import User

#: Kinds of thread: a question on a lesson or quiz, or a topic of a cohort's forum.
THREAD_KINDS = ("question", "topic")
#: How a member hears of new posts by email: each at once, one a day, or not at all.
EMAIL_MODES = ("immediate", "digest", "off")


class DiscussionThread(db.Model):
    """A question asked on an activity, or a topic of a cohort's forum; holds its posts."""

    __tablename__ = "discussion_threads"
    __table_args__ = (
        Index("ix_discussion_threads_list", "activity_id", "pinned", "last_post_at"),
        Index("ix_discussion_threads_course_cohort", "course_id", "cohort_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    #: The lesson or quiz a question is about; None for a forum topic.
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE")
    )
    #: The cohort whose members see it; None for the course's learners outside cohorts.
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    #: A forum topic about one learner's aksi perubahan: only they, coaches, mentor, organisers.
    learner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(10), default="question")
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Posts in the thread, removed ones included (they keep their place); kept by the writer.
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    #: An instructor accepted one of its answers.
    answered: Mapped[bool] = mapped_column(Boolean, default=False)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    course: Mapped[Course] = relationship()
    activity: Mapped[Activity | None] = relationship()
    cohort: Mapped[Cohort | None] = relationship()


class DiscussionPost(db.Model):
    """One post of a thread: Markdown as written and its HTML, rendered once when saved."""

    __tablename__ = "discussion_posts"
    __table_args__ = (UniqueConstraint("thread_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_threads.id", ondelete="CASCADE")
    )
    #: Its place in the thread, from 1 (the question or the topic's opening).
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Removed by its author or a moderator: "removed" shows in its place.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Hidden by a moderator (moderators still read it).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: An attached file (its kind judged by its bytes), relative to the uploads folder, if any.
    file_path: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    file_type: Mapped[str] = mapped_column(String(100), default="")

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    thread: Mapped[DiscussionThread] = relationship()


class PostRevision(db.Model):
    """A post's text before one of its edits."""

    __tablename__ = "discussion_post_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_posts.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    #: When the text below was written (the post's creation or its previous edit).
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PostReport(db.Model):
    """A member's report of a post to the moderators; one per member and post."""

    __tablename__ = "discussion_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_posts.id", ondelete="CASCADE")
    )
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[DiscussionPost] = relationship()


class ThreadFollow(db.Model):
    """A member hears of each new post in a thread."""

    __tablename__ = "discussion_follows"
    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_threads.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )


class ThreadRead(db.Model):
    """How many of a thread's posts a member has seen: the rest are unread."""

    __tablename__ = "discussion_reads"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_threads.id", ondelete="CASCADE"), index=True
    )
    read_count: Mapped[int] = mapped_column(Integer, default=0)


class DiscussionNotice(db.Model):
    """A post a member should hear of (they follow its thread, or it mentions them)."""

    __tablename__ = "discussion_notices"
    __table_args__ = (UniqueConstraint("user_id", "post_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_posts.id", ondelete="CASCADE")
    )
    #: mention | reply
    reason: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it went out by email (at once or in a digest); None while it waits.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    post: Mapped[DiscussionPost] = relationship()


class DiscussionPreference(db.Model):
    """How a member wants to hear of discussions by email."""

    __tablename__ = "discussion_preferences"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_mode: Mapped[str] = mapped_column(String(10), default="immediate")
