"""Discussion pages: a lesson's questions, a thread, writing, following and email choices."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, select
from wtforms.fields.choices import SelectChoice

from lms.content.limits import LimitError
from lms.discussions import notify, reading, writing
from lms.discussions.forms import AskForm, EmailModeForm, MoveForm, PostForm
from lms.discussions.lookup import (
    load_activity,
    load_post,
    load_thread,
    post_url,
    rate_limited,
)
from lms.extensions import db
from lms.files import open_stored
from lms.models import Activity, DiscussionPost, ThreadFollow
from lms.permissions import can, questions_visible_to, require
from lms.xapi import statements

bp = Blueprint("discussions", __name__)


def _attachment(form) -> tuple | None:
    """Return (bytes, file name, kind) of the form's attached file, checked; None without one."""
    upload = form.attachment.data
    if not upload or not upload.filename:
        return None
    data = upload.read(current_app.config["LMS_MAX_UPLOAD_BYTES"] + 1)
    return data, upload.filename, writing.check_attachment(data)


@bp.get("/discussions/posts/<int:post_id>/attachment")
@login_required
def attachment(post_id: int):
    """Send a post's attached file to those who read the post."""
    post, thread, enrollment = load_post(post_id)
    hidden = post.hidden_at and not can(
        current_user, "discussion.moderate", thread, enrollment
    )
    if not post.file_path or post.deleted_at or hidden:
        abort(404)
    data = io.BytesIO(open_stored(post.file_path).read_bytes())
    response = send_file(data, mimetype=post.file_type, as_attachment=True,
                         download_name=post.file_name or "lampiran")  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/courses/<slug>/<module_key>/<activity_key>/discussions/")
@login_required
def threads(slug: str, module_key: str, activity_key: str):
    """List the questions on a lesson or quiz that the reader may see, pinned first."""
    course, activity, enrollment = load_activity(slug, module_key, activity_key)
    require("discussion.list", activity, enrollment)
    visible = questions_visible_to(current_user, course, enrollment)
    page = reading.thread_list(reading.questions_on(activity.id, visible),
                               current_user.id, _page())  # fmt: skip
    form = (
        AskForm() if can(current_user, "discussion.ask", activity, enrollment) else None
    )
    return render_template("discussions/threads.html", course=course, activity=activity,
                           page=page, form=form, teacher=can(current_user, "course.teach", course))  # fmt: skip


@bp.post("/courses/<slug>/<module_key>/<activity_key>/discussions/ask")
@login_required
@rate_limited
def ask(slug: str, module_key: str, activity_key: str):
    """Open a question on a lesson or quiz."""
    course, activity, enrollment = load_activity(slug, module_key, activity_key)
    require("discussion.ask", activity, enrollment)
    form = AskForm()
    if form.validate_on_submit():
        try:
            upload = _attachment(form)
            thread = writing.ask(current_user, activity, enrollment, form.title.data,
                                 form.body.data)  # fmt: skip
        except ValueError as error:  # a content limit, or a refused file
            form.body.errors.append(str(error))
        else:
            first = writing.first_post(thread)
            if upload:
                writing.attach(first, *upload)
            statements.post_commented(current_user.id, thread, first)
            db.session.commit()
            return redirect(url_for(".thread", thread_id=thread.id))
    visible = questions_visible_to(current_user, course, enrollment)
    page = reading.thread_list(
        reading.questions_on(activity.id, visible), current_user.id
    )
    return render_template("discussions/threads.html", course=course, activity=activity,
                           page=page, form=form, teacher=can(current_user, "course.teach", course)), 400  # fmt: skip


@bp.get("/discussions/<int:thread_id>/")
@login_required
def thread(thread_id: int):
    """Show a thread's posts, a page at a time, and mark them read."""
    thread, enrollment = load_thread(thread_id)
    return _render_thread(thread, enrollment, PostForm())


def _render_thread(thread, enrollment, form, status=200):
    page = reading.thread_posts(thread, _page())
    if page.entries:
        writing.mark_read(current_user.id, thread.id, page.entries[-1].number)
        db.session.commit()
    quoted = request.args.get("quote", type=int)
    if quoted and not form.body.data:
        post = next((p for p in page.entries if p.id == quoted), None)
        post = post or db.session.get(DiscussionPost, quoted)
        if post is not None and post.thread_id == thread.id:
            form.body.data = writing.quote(post)
    following = db.session.scalar(select(ThreadFollow.id).where(
        ThreadFollow.thread_id == thread.id, ThreadFollow.user_id == current_user.id))  # fmt: skip
    moderator = can(current_user, "discussion.moderate", thread, enrollment)
    move_form = None
    if moderator and thread.kind == "question":
        move_form = MoveForm(activity=thread.activity_id)
        move_form.activity.choices = [SelectChoice(a.id, a.title) for a in db.session.scalars(
            select(Activity).where(Activity.course_id == thread.course_id,
                                   Activity.is_current()).order_by(Activity.position))]  # fmt: skip
    return render_template(
        "discussions/thread.html", thread=thread, course=thread.course, page=page,
        enrollment=enrollment, form=form, following=following is not None,
        may=lambda action, obj: can(current_user, action, obj, enrollment),
        moderator=moderator, move_form=move_form,
        can_reply=can(current_user, "discussion.reply", thread, enrollment),
        can_accept=can(current_user, "discussion.accept", thread, enrollment),
    ), status  # fmt: skip


@bp.post("/discussions/<int:thread_id>/reply")
@login_required
@rate_limited
def reply(thread_id: int):
    """Answer a question or comment on a topic."""
    thread, enrollment = load_thread(thread_id)
    require("discussion.reply", thread, enrollment)
    form = PostForm()
    if form.validate_on_submit():
        try:
            upload = _attachment(form)
            post = writing.reply(current_user, thread, form.body.data)
        except ValueError as error:  # a content limit, or a refused file
            form.body.errors.append(str(error))
        else:
            if upload:
                writing.attach(post, *upload)
            statements.post_commented(current_user.id, thread, post)
            db.session.commit()
            last = -(-post.number // reading.POSTS_PER_PAGE)
            return redirect(url_for(".thread", thread_id=thread.id, page=last,
                                    _anchor=f"post-{post.number}"))  # fmt: skip
    return _render_thread(thread, enrollment, form, 400)


@bp.post("/discussions/<int:thread_id>/follow")
@login_required
def follow(thread_id: int):
    """Follow a thread (hear of each new post), or stop following it."""
    thread, _enrollment = load_thread(thread_id)
    if request.form.get("follow") == "1":
        from lms.models.upsert import insert_if_absent

        insert_if_absent(ThreadFollow, {"thread_id": thread.id, "user_id": current_user.id},
                         ["thread_id", "user_id"])  # fmt: skip
        flash(_("You follow this discussion."), "success")
    else:
        db.session.execute(delete(ThreadFollow).where(ThreadFollow.thread_id == thread.id,
                           ThreadFollow.user_id == current_user.id))  # fmt: skip
        flash(_("You no longer follow this discussion."), "info")
    db.session.commit()
    return redirect(url_for(".thread", thread_id=thread.id))


@bp.route("/discussions/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    """Change one's own post within the editing window; the earlier text stays in its history."""
    post, thread, enrollment = load_post(post_id)
    require("post.edit", post, enrollment)
    form = PostForm(body=post.body)
    if form.validate_on_submit():
        try:
            writing.edit_post(post, form.body.data)
        except LimitError as error:
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your post was changed."), "success")
            return redirect(post_url(post))
    return render_template(
        "discussions/edit_post.html", post=post, thread=thread, form=form
    )


@bp.post("/discussions/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    """Remove a post: "removed" stays in its place."""
    from lms.discussions import moderation

    post, _thread, enrollment = load_post(post_id)
    require("post.delete", post, enrollment)
    if post.author_id != current_user.id:
        moderation.remove_as_moderator(post, current_user.id)
    writing.remove_post(post)
    db.session.commit()
    flash(_("The post was removed."), "info")
    return redirect(post_url(post))


@bp.get("/discussions/posts/<int:post_id>/history")
@login_required
def post_history(post_id: int):
    """Show the texts a post had before its edits."""
    post, thread, _enrollment = load_post(post_id)
    if post.deleted_at or (
        post.hidden_at and not can(current_user, "discussion.moderate", thread)
    ):
        abort(404)
    return render_template("discussions/history.html", post=post, thread=thread,
                           revisions=writing.history(post))  # fmt: skip


@bp.get("/discussions/notifications")
@login_required
def notifications():
    """List the latest posts that mention the member or came in threads they follow."""
    return render_template("discussions/notifications.html",
                           notices=notify.latest_notices(current_user.id),
                           per_page=reading.POSTS_PER_PAGE)  # fmt: skip


@bp.route("/discussions/email", methods=["GET", "POST"])
@login_required
def email_settings():
    """Choose how to hear of discussions by email: at once, a daily digest, or not at all."""
    form = EmailModeForm(mode=notify.email_mode(current_user.id))
    if form.validate_on_submit():
        notify.set_email_mode(current_user.id, form.mode.data)
        db.session.commit()
        flash(_("Your choice was saved."), "success")
        return redirect(url_for(".email_settings"))
    return render_template("discussions/email.html", form=form)


@bp.route("/discussions/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Stop a member's discussion emails from the link in one of them, signed in or not."""
    user_id = notify.user_of_token(token)
    if user_id is None:
        abort(404)
    form = EmailModeForm(mode="off")
    done = False
    if form.is_submitted() and form.validate():
        notify.set_email_mode(user_id, "off")
        db.session.commit()
        done = True
    return render_template("discussions/unsubscribe.html", form=form, done=done)
