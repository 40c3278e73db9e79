"""Reading discussions in a fixed number of queries: thread lists, thread pages, unread counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.models import (
    Course,
    DiscussionPost,
    DiscussionThread,
    Enrollment,
    ThreadRead,
    User,
)
from lms.permissions import member_scope

#: Threads on one page of a list, and posts on one page of a thread.
THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 25


@dataclass
class ThreadEntry:
    """A thread as a list shows it, with how many of its posts the reader has not seen."""

    thread: DiscussionThread
    unread: int


@dataclass
class Page:
    """One page of a list: its entries, its number and the number of pages."""

    entries: list
    number: int
    pages: int
    total: int


def _read_join(user_id: int):
    return and_(
        ThreadRead.thread_id == DiscussionThread.id, ThreadRead.user_id == user_id
    )


def thread_list(
    condition, user_id: int, page: int = 1, per_page: int = THREADS_PER_PAGE
) -> Page:
    """Return a page of the threads matching `condition`, pinned first then latest: two queries."""
    total = db.session.scalar(
        select(func.count()).select_from(DiscussionThread).where(condition)
    )
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        select(DiscussionThread, func.coalesce(ThreadRead.read_count, 0))
        .outerjoin(ThreadRead, _read_join(user_id))
        .options(joinedload(DiscussionThread.author).lazyload(User.roles))
        .where(condition)
        .order_by(DiscussionThread.pinned.desc(), DiscussionThread.last_post_at.desc(),
                  DiscussionThread.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()  # fmt: skip
    entries = [ThreadEntry(t, max(0, t.post_count - read)) for t, read in rows]
    return Page(entries, page, pages, total)


def questions_on(activity_id: int, visible):
    """Return the SQL condition: questions on the activity that `visible` lets the reader see."""
    return and_(DiscussionThread.activity_id == activity_id,
                DiscussionThread.kind == "question", visible)  # fmt: skip


def thread_posts(
    thread: DiscussionThread, page: int = 1, per_page: int = POSTS_PER_PAGE
) -> Page:
    """Return a page of the thread's posts with their authors: one query, by the posts' places."""
    pages = max(1, -(-thread.post_count // per_page))
    page = min(max(1, page), pages)
    first = (page - 1) * per_page + 1
    posts = db.session.scalars(
        select(DiscussionPost)
        .options(joinedload(DiscussionPost.author).lazyload(User.roles))
        .where(DiscussionPost.thread_id == thread.id,
               DiscussionPost.number.between(first, first + per_page - 1))
        .order_by(DiscussionPost.number)
    ).all()  # fmt: skip
    return Page(list(posts), page, pages, thread.post_count)


#: Posts of a question the member has not read.
_UNREAD = DiscussionThread.post_count - func.coalesce(ThreadRead.read_count, 0)
#: The questions with posts a member (`user_id`) has not read, in the courses they take.
_UNREAD_QUESTIONS = (
    select()
    .select_from(DiscussionThread)
    .join(Enrollment, and_(Enrollment.course_id == DiscussionThread.course_id,
                           Enrollment.user_id == bindparam("user_id")))
    .join(Course, Course.id == DiscussionThread.course_id)
    .outerjoin(ThreadRead, and_(ThreadRead.thread_id == DiscussionThread.id,
                                ThreadRead.user_id == bindparam("user_id")))
    .where(DiscussionThread.kind == "question", DiscussionThread.hidden.is_(False),
           _UNREAD > 0,
           ~Course.discussions_by_cohort
           | DiscussionThread.cohort_id.is_not_distinct_from(Enrollment.cohort_id))
)  # fmt: skip
# Built once: a lesson page asks for its counts on every request.
_UNREAD_BY_ACTIVITY = (
    _UNREAD_QUESTIONS.add_columns(DiscussionThread.activity_id, func.sum(_UNREAD))
    .where(DiscussionThread.course_id == bindparam("course_id"))
    .group_by(DiscussionThread.activity_id)
)
_UNREAD_BY_COURSE = _UNREAD_QUESTIONS.add_columns(
    DiscussionThread.course_id, func.sum(_UNREAD)
).group_by(DiscussionThread.course_id)


def unread_by_activity(user_id: int, course_id: int) -> dict[int, int]:
    """Return the posts a member has not read, per activity of the course: one aggregate query."""
    rows = db.session.execute(
        _UNREAD_BY_ACTIVITY, {"user_id": user_id, "course_id": course_id}
    )
    return {activity_id: int(count) for activity_id, count in rows}


def unread_by_course(user_id: int) -> dict[int, int]:
    """Return the posts a member has not read, per course they take: one aggregate query."""
    rows = db.session.execute(_UNREAD_BY_COURSE, {"user_id": user_id})
    return {course_id: int(count) for course_id, count in rows}


def scope_for(course: Course, enrollment: Enrollment | None):
    """Return the member scope of the course's questions for an enrollment (None: no member)."""
    if enrollment is None:
        return None
    return member_scope(course, enrollment.cohort_id)
