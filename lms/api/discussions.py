"""Discussions: the questions on a lesson or quiz, a thread's posts, asking and answering.

The web's rules (`lms.permissions`): a learner reads the questions of their own cohort (or the
course's outside cohorts, as the course says); a locked thread takes posts from moderators only.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import activity_for, authorize, check_id, course_for
from lms.api.problems import ApiProblem
from lms.api.schemas import Page, PageArgs
from lms.content.limits import LimitError
from lms.discussions import reading, writing
from lms.discussions.lookup import load_thread_row, rate_limited
from lms.extensions import db
from lms.learn import progress
from lms.permissions import questions_visible_to
from lms.xapi import statements

bp = Blueprint(
    "api_discussions",
    __name__,
    url_prefix="/api/v1",
    description="Questions on lessons and quizzes, and the posts of a thread.",
)


class ThreadOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "question | topic"})
    author = fields.String(allow_none=True)
    posts = fields.Integer(required=True, attribute="post_count")
    unread = fields.Integer(required=True)
    pinned = fields.Boolean(required=True)
    locked = fields.Boolean(required=True)
    answered = fields.Boolean(required=True)
    last_post_at = fields.DateTime(required=True)


class ThreadList(Page):
    items = fields.List(fields.Nested(ThreadOut), required=True)


class PostOut(Schema):
    id = fields.Integer(required=True)
    number = fields.Integer(required=True)
    author = fields.String(allow_none=True)
    html = fields.String(
        allow_none=True,
        metadata={"description": "Sanitized HTML; null for a removed or hidden post"},
    )
    state = fields.String(
        required=True, metadata={"description": "shown | removed | hidden"}
    )
    accepted = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    edited_at = fields.DateTime(allow_none=True)


class ThreadPage(Page):
    thread = fields.Nested(ThreadOut, required=True)
    items = fields.List(fields.Nested(PostOut), required=True)


class AskArgs(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    body = fields.String(
        required=True, validate=validate.Length(min=1, max=writing.MAX_BODY_CHARS)
    )


class PostArgs(Schema):
    body = fields.String(
        required=True, validate=validate.Length(min=1, max=writing.MAX_BODY_CHARS)
    )


def thread_out(thread, unread: int = 0) -> dict:
    """Return what a list shows of a thread."""
    return {**{c: getattr(thread, c) for c in ("id", "title", "kind", "post_count", "pinned",
            "locked", "answered", "last_post_at")},
            "author": thread.author.name if thread.author else None, "unread": unread}  # fmt: skip


def post_out(post, moderator: bool) -> dict:
    """Return a post as a reader sees it: removed and hidden posts keep their place, not their text."""
    state = "removed" if post.deleted_at else "hidden" if post.hidden_at else "shown"
    readable = state == "shown" or (state == "hidden" and moderator)
    return {"id": post.id, "number": post.number, "accepted": post.accepted,
            "author": post.author.name if post.author else None, "state": state,
            "html": post.html if readable else None, "created_at": post.created_at,
            "edited_at": post.edited_at}  # fmt: skip


def _page(entries, number, per_page, total) -> dict:
    pages = (total + per_page - 1) // per_page
    return {
        "items": entries,
        "page": number,
        "per_page": per_page,
        "total": total,
        "pages": pages,
    }


def _written(thread_or_post):
    try:
        return thread_or_post()
    except LimitError as error:
        raise ApiProblem("validation-error", str(error)) from error


@bp.route("/courses/<slug>/activities/<module_key>/<activity_key>/threads")
class Threads(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, ThreadList)
    @problems_documented(bp, 401, 403, 404, 429)
    def get(self, args, slug, module_key, activity_key):
        """List the questions on a lesson or quiz you may read, pinned first then latest."""
        user = api_user()
        course = course_for(slug, user)
        activity = activity_for(course, module_key, activity_key)
        enrollment = progress.get_enrollment(user.id, course.id)
        authorize(user, "activity.view", activity, enrollment)
        condition = reading.questions_on(
            activity.id, questions_visible_to(user, course, enrollment)
        )
        page = reading.thread_list(condition, user.id, args["page"], args["per_page"])
        items = [thread_out(e.thread, e.unread) for e in page.entries]
        return _page(items, page.number, args["per_page"], page.total)

    @rate_limited
    @bp.arguments(AskArgs)
    @bp.response(201, ThreadOut)
    @problems_documented(bp, 401, 403, 404, 422, 429)
    def post(self, args, slug, module_key, activity_key):
        """Ask a question on a lesson or quiz (Markdown; `@Full_Name` mentions a member)."""
        user = api_user()
        course = course_for(slug, user)
        activity = activity_for(course, module_key, activity_key)
        enrollment = progress.get_enrollment(user.id, course.id)
        authorize(user, "discussion.ask", activity, enrollment)
        thread = _written(
            lambda: writing.ask(user, activity, enrollment, args["title"], args["body"])
        )
        statements.post_commented(user.id, thread, writing.first_post(thread))
        db.session.commit()
        return thread_out(thread)


@bp.route("/threads/<int:thread_id>")
class Thread(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, ThreadPage)
    @problems_documented(bp, 401, 403, 404, 429)
    def get(self, args, thread_id):
        """Show a thread and a page of its posts (in order), and mark them read."""
        user = api_user()
        thread, enrollment = load_thread_row(check_id(thread_id, "thread"), user)
        authorize(user, "discussion.view", thread, enrollment)
        page = reading.thread_posts(thread, args["page"], args["per_page"])
        if page.entries:
            writing.mark_read(user.id, thread.id, page.entries[-1].number)
            db.session.commit()
        from lms.permissions import can

        moderator = can(user, "discussion.moderate", thread, enrollment)
        items = [post_out(p, moderator) for p in page.entries]
        return {**_page(items, page.number, args["per_page"], page.total),
                "thread": thread_out(thread)}  # fmt: skip


@bp.route("/threads/<int:thread_id>/posts")
class Posts(MethodView):
    @rate_limited
    @bp.arguments(PostArgs)
    @bp.response(201, PostOut)
    @problems_documented(bp, 401, 403, 404, 422, 429)
    def post(self, args, thread_id):
        """Answer a question or comment on a topic (Markdown)."""
        user = api_user()
        thread, enrollment = load_thread_row(check_id(thread_id, "thread"), user)
        authorize(user, "discussion.reply", thread, enrollment)
        post = _written(lambda: writing.reply(user, thread, args["body"]))
        statements.post_commented(user.id, thread, post)
        db.session.commit()
        return post_out(post, False)
