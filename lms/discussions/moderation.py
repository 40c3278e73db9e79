"""Moderation: hide, lock, pin, move and accept; reports of posts; every action audited."""

from __future__ import annotations

from sqlalchemy import select, update

from lms.audit import record
from lms.extensions import db
from lms.models import Activity, DiscussionPost, DiscussionThread, PostReport
from lms.models.types import utcnow
from lms.models.upsert import insert_if_absent

#: Flags a moderator sets on a thread, and the verb the audit log names the change by.
THREAD_FLAGS = {"pinned": "pin", "locked": "lock", "hidden": "hide"}


def set_thread_flag(
    thread: DiscussionThread, flag: str, value: bool, actor_id: int
) -> None:
    """Pin, lock or hide a thread (or undo it), recorded in the audit log."""
    if flag not in THREAD_FLAGS:
        raise ValueError(f"unknown thread flag {flag!r}")
    setattr(thread, flag, value)
    verb = THREAD_FLAGS[flag]
    record(f"discussion.{'' if value else 'un'}{verb}", actor_id, thread,
           course_id=thread.course_id)  # fmt: skip


def set_post_hidden(post: DiscussionPost, hidden: bool, actor_id: int) -> None:
    """Hide a post from its readers (moderators still see it), or show it again; audited."""
    post.hidden_at = utcnow() if hidden else None
    if hidden:
        post.accepted = False
    record("discussion.hide_post" if hidden else "discussion.unhide_post", actor_id, post,
           thread_id=post.thread_id)  # fmt: skip


def remove_as_moderator(post: DiscussionPost, actor_id: int) -> None:
    """Record that a moderator removed someone else's post."""
    record("discussion.remove_post", actor_id, post, thread_id=post.thread_id,
           author_id=post.author_id)  # fmt: skip


def move_thread(thread: DiscussionThread, activity: Activity, actor_id: int) -> None:
    """Move a question to another lesson or quiz of the same course; audited."""
    if activity.course_id != thread.course_id or thread.kind != "question":
        raise ValueError("a question moves only within its course")
    record("discussion.move", actor_id, thread, from_activity=thread.activity_id,
           to_activity=activity.id)  # fmt: skip
    thread.activity_id = activity.id


def accept_answer(post: DiscussionPost, actor_id: int) -> None:
    """Mark an answer as the accepted one of its question (one per question); audited."""
    db.session.execute(update(DiscussionPost).where(
        DiscussionPost.thread_id == post.thread_id).values(accepted=False))  # fmt: skip
    post.accepted = True
    post.thread.answered = True
    record("discussion.accept", actor_id, post, thread_id=post.thread_id)


def report_post(post: DiscussionPost, reporter_id: int, reason: str) -> bool:
    """Report a post to the moderators; tell whether this is the member's first report of it."""
    return insert_if_absent(PostReport, {"post_id": post.id, "reporter_id": reporter_id,
                            "reason": reason[:500], "created_at": utcnow()},
                            ["post_id", "reporter_id"])  # fmt: skip


def resolve_reports(post: DiscussionPost, actor_id: int) -> None:
    """Close the open reports of a post; audited."""
    db.session.execute(update(PostReport).where(PostReport.post_id == post.id,
        PostReport.resolved_at.is_(None)).values(resolved_at=utcnow()))  # fmt: skip
    record("discussion.resolve_reports", actor_id, post, thread_id=post.thread_id)


def open_reports(
    condition,
) -> list[tuple[PostReport, DiscussionPost, DiscussionThread]]:
    """Return the open reports of posts in threads matching `condition`, oldest first."""
    return list(db.session.execute(
        select(PostReport, DiscussionPost, DiscussionThread)
        .join(DiscussionPost, DiscussionPost.id == PostReport.post_id)
        .join(DiscussionThread, DiscussionThread.id == DiscussionPost.thread_id)
        .where(PostReport.resolved_at.is_(None), condition)
        .order_by(PostReport.id).limit(200)
    ).all())  # fmt: skip
