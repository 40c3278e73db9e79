"""Moderators' pages: pin, lock, hide, move, accept, reports; and a course's discussion setting."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lms.audit import record
from lms.discussions import moderation, notify
from lms.discussions.forms import CourseDiscussionForm, MoveForm, ReportForm
from lms.discussions.lookup import load_post, load_thread, post_url
from lms.extensions import db
from lms.learn.lookup import course_or_404
from lms.models import Activity, User
from lms.permissions import require, threads_moderated_by

bp = Blueprint("discussion_moderation", __name__)


@bp.post("/discussions/<int:thread_id>/moderate")
@login_required
def moderate(thread_id: int):
    """Pin, lock or hide a thread, or undo it."""
    thread, enrollment = load_thread(thread_id)
    require("discussion.moderate", thread, enrollment)
    flag = request.form.get("flag", "")
    if flag not in moderation.THREAD_FLAGS:
        abort(400)
    moderation.set_thread_flag(
        thread, flag, request.form.get("value") == "1", current_user.id
    )
    db.session.commit()
    flash(_("The discussion was updated."), "success")
    return redirect(url_for("discussions.thread", thread_id=thread.id))


@bp.post("/discussions/<int:thread_id>/move")
@login_required
def move(thread_id: int):
    """Move a question to another lesson or quiz of its course."""
    thread, enrollment = load_thread(thread_id)
    require("discussion.moderate", thread, enrollment)
    form = MoveForm()
    form.activity.choices = [SelectChoice(a.id, a.title) for a in db.session.scalars(select(Activity).where(
        Activity.course_id == thread.course_id, Activity.is_current()))]  # fmt: skip
    if not form.validate_on_submit() or thread.kind != "question":
        abort(400)
    moderation.move_thread(
        thread, db.session.get(Activity, form.activity.data), current_user.id
    )
    db.session.commit()
    flash(_("The question was moved."), "success")
    return redirect(url_for("discussions.thread", thread_id=thread.id))


@bp.post("/discussions/posts/<int:post_id>/accept")
@login_required
def accept(post_id: int):
    """Mark an answer as the accepted one."""
    post, thread, enrollment = load_post(post_id)
    require("discussion.accept", thread, enrollment)
    if post.number == 1 or post.deleted_at or post.hidden_at:
        abort(400)
    moderation.accept_answer(post, current_user.id)
    db.session.commit()
    flash(_("The answer was accepted."), "success")
    return redirect(post_url(post))


@bp.post("/discussions/posts/<int:post_id>/hide")
@login_required
def hide_post(post_id: int):
    """Hide a post from its readers, or show it again."""
    post, thread, enrollment = load_post(post_id)
    require("discussion.moderate", thread, enrollment)
    moderation.set_post_hidden(post, request.form.get("value") == "1", current_user.id)
    db.session.commit()
    return redirect(post_url(post))


@bp.post("/discussions/posts/<int:post_id>/report")
@login_required
def report(post_id: int):
    """Report a post to the moderators."""
    post, _thread, enrollment = load_post(post_id)
    require("post.report", post, enrollment)
    form = ReportForm()
    if form.validate_on_submit():
        if moderation.report_post(post, current_user.id, form.reason.data or ""):
            notify.tell_moderators(post.thread, post)
        db.session.commit()
        flash(_("Thank you: the moderators will look at this post."), "success")
    return redirect(post_url(post))


@bp.post("/discussions/posts/<int:post_id>/resolve")
@login_required
def resolve(post_id: int):
    """Close the reports of a post once a moderator has dealt with it."""
    post, thread, enrollment = load_post(post_id)
    require("discussion.moderate", thread, enrollment)
    moderation.resolve_reports(post, current_user.id)
    db.session.commit()
    return redirect(request.form.get("back") == "thread" and post_url(post)
                    or url_for(".reports", slug=thread.course.slug))  # fmt: skip


@bp.get("/courses/<slug>/discussions/reports")
@login_required
def reports(slug: str):
    """List the open reports of the course's posts that the moderator may act on."""
    course = course_or_404(slug)
    require("discussion.reports", course)
    rows = moderation.open_reports(threads_moderated_by(current_user, course))
    reporters = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({r.reporter_id for r, _p, _t in rows} or {-1})))}  # fmt: skip
    return render_template("discussions/reports.html", course=course, rows=rows,
                           reporters=reporters)  # fmt: skip


@bp.post("/courses/<slug>/discussions/settings")
@login_required
def course_settings(slug: str):
    """Choose whether learners in a cohort see only their cohort's questions."""
    course = course_or_404(slug)
    require("course.teach", course)
    form = CourseDiscussionForm()
    if form.validate_on_submit():
        course.discussions_by_cohort = form.by_cohort.data
        record(
            "discussion.settings",
            current_user.id,
            course,
            by_cohort=form.by_cohort.data,
        )
        db.session.commit()
        flash(_("The discussion setting was saved."), "success")
    return redirect(url_for("learn.course", slug=slug))
