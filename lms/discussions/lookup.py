"""Finding what a discussion page names, checked through lms.permissions; the posting limit."""

from __future__ import annotations

from flask import abort, current_app, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.discussions import reading
from lms.extensions import db, limiter
from lms.learn import progress
from lms.learn.lookup import course_activity_enrollment
from lms.models import DiscussionPost, DiscussionThread
from lms.permissions import require

#: The largest id a database integer column holds everywhere (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1


def _poster() -> str:
    return (
        f"user:{current_user.id}"
        if current_user.is_authenticated
        else get_remote_address()
    )


def _post_limit() -> str:
    return current_app.config["LMS_DISCUSSION_RATE_LIMIT"]


#: Posting is rate-limited per member (questions, answers and comments alike).
rate_limited = limiter.limit(_post_limit, key_func=_poster, methods=["POST"],
                             scope="discussion-post")  # fmt: skip


def load_activity(slug: str, module_key: str, activity_key: str):
    """Return the course, the activity and the user's enrollment, or stop with 404."""
    course, activity, enrollment = course_activity_enrollment(
        slug, module_key, activity_key, current_user.id
    )
    if course is None or activity is None:
        abort(404)
    require("course.view", course)
    return course, activity, enrollment


def load_thread(thread_id: int) -> tuple[DiscussionThread, object]:
    """Return the thread (with its course) and the user's enrollment in its course, or 404/403."""
    thread, enrollment = load_thread_row(thread_id)
    require("discussion.view", thread, enrollment)
    return thread, enrollment


def load_thread_row(thread_id: int, user=None) -> tuple[DiscussionThread, object]:
    """Return the thread with its course and cohort, and the user's enrollment, or stop with 404."""
    user = user or current_user
    if not 0 < thread_id <= MAX_ID:
        abort(404)
    thread = db.session.scalar(
        select(DiscussionThread)
        .options(
            joinedload(DiscussionThread.course),
            joinedload(DiscussionThread.cohort),
            joinedload(DiscussionThread.activity),
        )
        .where(DiscussionThread.id == thread_id)
    )  # fmt: skip
    if thread is None:
        abort(404)
    enrollment = (
        progress.get_enrollment(user.id, thread.course_id)
        if user.is_authenticated
        else None
    )
    return thread, enrollment


def load_post(post_id: int):
    """Return a post, its thread and the user's enrollment, once the user may read the thread."""
    if not 0 < post_id <= MAX_ID:
        abort(404)
    post = db.session.get(DiscussionPost, post_id) or abort(404)
    thread, enrollment = load_thread(post.thread_id)
    post.thread = thread
    return post, thread, enrollment


def post_url(post: DiscussionPost) -> str:
    """Return the address of a post: its thread's page, at the post."""
    page = -(-post.number // reading.POSTS_PER_PAGE)
    return url_for(
        "discussions.thread",
        thread_id=post.thread_id,
        page=page,
        _anchor=f"post-{post.number}",
    )
