"""Writing in discussions: asking, answering, editing with history, removing, quoting."""

from __future__ import annotations

from sqlalchemy import case, select, update

from lms.content.render import render_markdown
from lms.discussions import notify
from lms.extensions import db
from lms.models import (
    Activity,
    Cohort,
    DiscussionPost,
    DiscussionThread,
    Enrollment,
    PostRevision,
    ThreadFollow,
    ThreadRead,
    User,
)
from lms.models.types import utcnow
from lms.models.upsert import insert_if_absent, insert_on_conflict

#: The longest post, in characters (the content limits bound the rendering further).
MAX_BODY_CHARS = 20_000
#: Lines of a quoted post carried into a reply.
QUOTE_LINES = 20


def check_attachment(data: bytes):
    """Return the kind of an attached file, or raise ValueError saying why it is refused."""
    from flask import current_app
    from flask_babel import gettext as _

    from lms.files import sniff

    limit = current_app.config["LMS_MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise ValueError(
            _("The file is larger than %(mb).1f MB.", mb=limit / 1024 / 1024)
        )
    kind = sniff(data)
    if kind is None:
        raise ValueError(
            _("Attach a PDF, an image (PNG, JPEG, GIF, WebP) or an Office document.")
        )
    return kind


def attach(post: DiscussionPost, data: bytes, filename: str, kind) -> None:
    """Keep a checked file with the post (removed again if the transaction does not commit)."""
    from werkzeug.utils import secure_filename

    from lms.files import store

    post.file_path = store(data, "discussions", kind)
    post.file_name = (secure_filename(filename) or f"lampiran.{kind.extension}")[-200:]
    post.file_type = kind.mimetype


def render_post(body: str) -> str:
    """Render a post's Markdown with the one renderer and sanitizer (LimitError past a limit)."""
    return render_markdown(body)


def ask(
    user: User,
    activity: Activity,
    enrollment: Enrollment | None,
    title: str,
    body: str,
) -> DiscussionThread:
    """Open a question on a lesson or quiz, seen by the asker's cohort when the course says so."""
    by_cohort = activity.course.discussions_by_cohort
    thread = DiscussionThread(
        course_id=activity.course_id,
        activity_id=activity.id,
        cohort_id=enrollment.cohort_id if (enrollment and by_cohort) else None,
        kind="question",
        title=title.strip(),
        author_id=user.id,
        post_count=0,
    )
    return _open(thread, user, body)


def open_topic(
    user: User, cohort: Cohort, title: str, body: str, learner_id: int | None = None
) -> DiscussionThread:
    """Open a topic of a cohort's forum: for the whole cohort, or about one learner's work."""
    thread = DiscussionThread(
        course_id=cohort.course_id,
        cohort_id=cohort.id,
        learner_id=learner_id,
        kind="topic",
        title=title.strip(),
        author_id=user.id,
        post_count=0,
    )
    thread = _open(thread, user, body)
    for user_id in _topic_followers(cohort, learner_id):
        insert_if_absent(ThreadFollow, {"thread_id": thread.id, "user_id": user_id},
                         ["thread_id", "user_id"])  # fmt: skip
    return thread


def _topic_followers(cohort: Cohort, learner_id: int | None) -> set[int]:
    """Those who hear of a topic about a learner's work: the learner, their mentor, the coaches."""
    from lms.models import CohortStaff

    if learner_id is None:
        return set()
    mentor = db.session.scalar(select(Enrollment.mentor_id).where(
        Enrollment.cohort_id == cohort.id, Enrollment.user_id == learner_id))  # fmt: skip
    coaches = db.session.scalars(select(CohortStaff.user_id).where(
        CohortStaff.cohort_id == cohort.id, CohortStaff.role == "coach"))  # fmt: skip
    return {learner_id, *coaches} | ({mentor} if mentor else set())


def _open(thread: DiscussionThread, user: User, body: str) -> DiscussionThread:
    html = render_post(body)  # refuse before anything is written
    thread.last_post_at = utcnow()
    db.session.add(thread)
    db.session.flush()
    _add_post(thread, user, body, html)
    return thread


def first_post(thread: DiscussionThread) -> DiscussionPost:
    """Return the post that opened the thread."""
    return db.session.scalars(select(DiscussionPost).where(
        DiscussionPost.thread_id == thread.id, DiscussionPost.number == 1)).one()  # fmt: skip


def reply(user: User, thread: DiscussionThread, body: str) -> DiscussionPost:
    """Add a post at the end of the thread; its author follows the thread from then on."""
    return _add_post(thread, user, body, render_post(body))


def _add_post(
    thread: DiscussionThread, user: User, body: str, html: str
) -> DiscussionPost:
    now = utcnow()
    # One statement takes the next number: two replies at once never get the same one.
    number = db.session.execute(
        update(DiscussionThread)
        .where(DiscussionThread.id == thread.id)
        .values(post_count=DiscussionThread.post_count + 1, last_post_at=now)
        .returning(DiscussionThread.post_count)
    ).scalar_one()
    db.session.refresh(thread, ["post_count", "last_post_at"])
    post = DiscussionPost(thread_id=thread.id, number=number, author_id=user.id,
                          body=body, html=html, created_at=now, accepted=False)  # fmt: skip
    db.session.add(post)
    db.session.flush()
    insert_if_absent(ThreadFollow, {"thread_id": thread.id, "user_id": user.id},
                     ["thread_id", "user_id"])  # fmt: skip
    mark_read(user.id, thread.id, number)
    notify.post_added(thread, post, user)
    return post


def mark_read(user_id: int, thread_id: int, count: int) -> None:
    """Record that the user has seen the thread's first `count` posts (never fewer than before)."""
    seen = ThreadRead.read_count
    insert_on_conflict(
        ThreadRead,
        {"user_id": user_id, "thread_id": thread_id, "read_count": count},
        ["user_id", "thread_id"],
        {"read_count": case((seen > count, seen), else_=count)},
    )


def edit_post(post: DiscussionPost, body: str) -> DiscussionPost:
    """Change a post's text, keeping the text it had in its history."""
    html = render_post(body)
    db.session.add(PostRevision(post_id=post.id, body=post.body, html=post.html,
                                written_at=post.edited_at or post.created_at))  # fmt: skip
    post.body, post.html, post.edited_at = body, html, utcnow()
    return post


def remove_post(post: DiscussionPost) -> DiscussionPost:
    """Remove a post's text; the post keeps its place and reads "removed"."""
    post.deleted_at = utcnow()
    post.accepted = False
    return post


def history(post: DiscussionPost) -> list[PostRevision]:
    """Return the texts the post had before its edits, oldest first."""
    return list(db.session.scalars(select(PostRevision).where(
        PostRevision.post_id == post.id).order_by(PostRevision.id)))  # fmt: skip


def quote(post: DiscussionPost) -> str:
    """Return the start of a reply quoting `post` in Markdown, with its author's name."""
    if post.deleted_at or post.hidden_at:
        return ""
    lines = post.body.strip().splitlines()[:QUOTE_LINES]
    name = post.author.name if post.author else "?"
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **{name}:**\n>\n{quoted}\n\n"
