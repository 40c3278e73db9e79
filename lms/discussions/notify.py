"""Hearing of new posts: mentions and followed threads become notices, emailed at once or daily."""

from __future__ import annotations

import re
from collections import defaultdict
from contextlib import nullcontext
from datetime import datetime

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from lms.extensions import db
from lms.mail import absolute_url, queue_email
from lms.models import (
    DiscussionNotice,
    DiscussionPost,
    DiscussionPreference,
    DiscussionThread,
    Enrollment,
    ThreadFollow,
    User,
)
from lms.models.types import utcnow
from lms.models.upsert import insert_if_absent

#: `@Nama_Lengkap`: a member's name with its spaces written as underscores (no nested quantifier).
MENTION = re.compile(r"(?<![\w@])@([\w.-]{2,60})")
#: Mentions in one post that are looked up (more are left as text).
MAX_MENTIONS = 10
_UNSUBSCRIBE_SALT = "discussion-unsubscribe"


def mention_handle(name: str) -> str:
    """Return how a member is mentioned: their name, spaces as underscores."""
    return "_".join(name.split())


def mentioned_handles(body: str) -> list[str]:
    """Return the distinct handles mentioned in `body`, lower-cased, at most MAX_MENTIONS."""
    found: list[str] = []
    for match in MENTION.finditer(body):
        handle = match.group(1).rstrip(".-").lower()
        if handle not in found:
            found.append(handle)
        if len(found) == MAX_MENTIONS:
            break
    return found


def mentioned_readers(
    thread: DiscussionThread, body: str, author_id: int
) -> list[User]:
    """Return the people `body` mentions who may read the thread (never its author)."""
    from lms.permissions import can

    handles = mentioned_handles(body)
    if not handles:
        return []
    key = func.lower(func.replace(User.name, " ", "_"))
    people = db.session.scalars(
        select(User).where(key.in_(handles), User.id != author_id, User.active)
    ).all()
    enrollments = {
        e.user_id: e
        for e in db.session.scalars(
            select(Enrollment).where(
                Enrollment.course_id == thread.course_id,
                Enrollment.user_id.in_([p.id for p in people]),
            )
        )
    }
    return [
        p for p in people if can(p, "discussion.view", thread, enrollments.get(p.id))
    ]


def post_added(thread: DiscussionThread, post: DiscussionPost, author: User) -> None:
    """Give a notice of the new post to those it mentions and those who follow the thread."""
    reasons: dict[int, str] = {}
    for person in mentioned_readers(thread, post.body, author.id):
        reasons[person.id] = "mention"
    if not thread.hidden:
        followers = db.session.scalars(select(ThreadFollow.user_id).where(
            ThreadFollow.thread_id == thread.id, ThreadFollow.user_id != author.id))  # fmt: skip
        for user_id in followers:
            reasons.setdefault(user_id, "reply")
    if not reasons:
        return
    for user_id, reason in reasons.items():
        insert_if_absent(DiscussionNotice, {"user_id": user_id, "post_id": post.id,
                         "reason": reason, "created_at": post.created_at},
                         ["user_id", "post_id"])  # fmt: skip
    _email_at_once(list(reasons), post, thread, author)


def latest_notices(user_id: int, limit: int = 50) -> list[tuple]:
    """Return the member's latest notices with their posts, threads and authors (one query)."""
    from sqlalchemy.orm import aliased

    author = aliased(User)
    return list(db.session.execute(
        select(DiscussionNotice, DiscussionPost, DiscussionThread, author.name)
        .join(DiscussionPost, DiscussionPost.id == DiscussionNotice.post_id)
        .join(DiscussionThread, DiscussionThread.id == DiscussionPost.thread_id)
        .outerjoin(author, author.id == DiscussionPost.author_id)
        .where(DiscussionNotice.user_id == user_id)
        .order_by(DiscussionNotice.id.desc()).limit(limit)
    ).all())  # fmt: skip


def email_mode(user_id: int) -> str:
    """Return how the user hears of discussions by email (immediate, digest or off)."""
    mode = db.session.scalar(
        select(DiscussionPreference.email_mode).where(
            DiscussionPreference.user_id == user_id
        )
    )
    return mode or "immediate"


def set_email_mode(user_id: int, mode: str) -> None:
    """Choose how the user hears of discussions by email."""
    preference = db.session.get(DiscussionPreference, user_id)
    if preference is None:
        db.session.add(DiscussionPreference(user_id=user_id, email_mode=mode))
    else:
        preference.email_mode = mode


def _email_at_once(
    user_ids: list[int], post: DiscussionPost, thread: DiscussionThread, author: User
) -> None:
    """Email the notice now to those who chose immediate emails (the default)."""
    with _links_context():
        _email_each(user_ids, post, thread, author)


def _links_context():
    """Outside a request (a script, the worker), build links under LMS_BASE_URL."""
    if has_request_context():
        return nullcontext()
    base = current_app.config.get("LMS_BASE_URL") or "http://localhost"
    return current_app.test_request_context(base_url=base)


def _email_each(user_ids, post, thread, author) -> None:
    modes = dict(db.session.execute(select(DiscussionPreference.user_id,
        DiscussionPreference.email_mode).where(DiscussionPreference.user_id.in_(user_ids))).all())  # fmt: skip
    now = utcnow()
    people = db.session.scalars(select(User).where(User.id.in_(user_ids), User.active))
    for person in people:
        if modes.get(person.id, "immediate") != "immediate":
            continue
        with force_locale(person.locale or "id"):
            subject = _("New in the discussion “%(title)s”", title=thread.title)
            body = _("%(name)s wrote:", name=author.name) + "\n\n" + post.body[:2000]
            queue_email(person.email, subject, _with_links(body, person, thread))
        db.session.execute(
            DiscussionNotice.__table__.update()
            .where(DiscussionNotice.user_id == person.id, DiscussionNotice.post_id == post.id)
            .values(emailed_at=now)
        )  # fmt: skip


def _with_links(body: str, person: User, thread: DiscussionThread) -> str:
    link = absolute_url("discussions.thread", thread_id=thread.id)
    stop = absolute_url("discussions.unsubscribe", token=unsubscribe_token(person.id))
    return "\n\n".join([body, _("Read it: %(link)s", link=link),
                        _("Stop these emails: %(link)s", link=stop)])  # fmt: skip


def send_digests(now: datetime | None = None) -> int:
    """Email each member who chose a daily digest their waiting notices in one message; return how many."""
    now = now or utcnow()
    rows = db.session.execute(
        select(DiscussionNotice, User)
        .join(User, User.id == DiscussionNotice.user_id)
        .join(DiscussionPreference, DiscussionPreference.user_id == User.id)
        .where(DiscussionNotice.emailed_at.is_(None), DiscussionPreference.email_mode == "digest",
               User.active)
        .order_by(DiscussionNotice.user_id, DiscussionNotice.id)
    ).all()  # fmt: skip
    waiting: dict[int, list[DiscussionNotice]] = defaultdict(list)
    people: dict[int, User] = {}
    for notice, person in rows:
        waiting[person.id].append(notice)
        people[person.id] = person
    posts = _posts_with_threads([n.post_id for ns in waiting.values() for n in ns])
    with _links_context():
        _queue_digests(waiting, people, posts, now)
    db.session.commit()
    return sum(1 for notices in waiting.values() if notices)


def _queue_digests(waiting, people, posts, now) -> None:
    for user_id, notices in waiting.items():
        person = people[user_id]
        with force_locale(person.locale or "id"):
            lines = []
            for notice in notices:
                post, thread = posts[notice.post_id]
                if post.deleted_at or post.hidden_at:
                    continue
                link = absolute_url("discussions.thread", thread_id=thread.id)
                lines.append(f"• {thread.title}: {post.body[:300]}\n  {link}")
            if lines:
                stop = absolute_url(
                    "discussions.unsubscribe", token=unsubscribe_token(user_id)
                )
                body = "\n\n".join([_("New in your discussions:"), *lines,
                                    _("Stop these emails: %(link)s", link=stop)])  # fmt: skip
                queue_email(person.email, _("Your discussions today"), body)
        for notice in notices:
            notice.emailed_at = now


def _posts_with_threads(post_ids: list[int]) -> dict[int, tuple]:
    if not post_ids:
        return {}
    rows = db.session.execute(select(DiscussionPost, DiscussionThread).join(
        DiscussionThread, DiscussionThread.id == DiscussionPost.thread_id).where(
        DiscussionPost.id.in_(post_ids)))  # fmt: skip
    return {post.id: (post, thread) for post, thread in rows}


def unsubscribe_token(user_id: int) -> str:
    """Return the signed token of a link that stops a member's discussion emails."""
    return _serializer().dumps(user_id)


def user_of_token(token: str) -> int | None:
    """Return the user id an unsubscribe token was signed for, or None if it was not ours."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE_SALT)


def tell_moderators(thread: DiscussionThread, post: DiscussionPost) -> int:
    """Email the thread's moderators that a post was reported; return how many were told."""
    from lms.models import CohortStaff, CourseStaff
    from lms.permissions import MODERATING_ROLES

    ids = set(db.session.scalars(select(CourseStaff.user_id).where(
        CourseStaff.course_id == thread.course_id)))  # fmt: skip
    if thread.cohort_id is not None:
        ids |= set(db.session.scalars(select(CohortStaff.user_id).where(
            CohortStaff.cohort_id == thread.cohort_id, CohortStaff.role.in_(MODERATING_ROLES))))  # fmt: skip
    off = set(db.session.scalars(select(DiscussionPreference.user_id).where(
        DiscussionPreference.user_id.in_(ids), DiscussionPreference.email_mode == "off")))  # fmt: skip
    people = db.session.scalars(
        select(User).where(User.id.in_(ids - off), User.active)
    ).all()
    with _links_context():
        link = absolute_url("discussion_moderation.reports", slug=thread.course.slug)
        for person in people:
            with force_locale(person.locale or "id"):
                queue_email(person.email, _("A post was reported in “%(title)s”", title=thread.title),
                            _with_links(_("Reported posts: %(link)s", link=link), person, thread))  # fmt: skip
    return len(people)
