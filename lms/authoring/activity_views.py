"""Activity pages: the editor with its preview, publishing, order, history and restore."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms.activities.registry import activity_types
from lms.authoring import courses, drafts, revisions
from lms.authoring.blueprint import activity_or_404, move_step
from lms.authoring.forms import ActivityForm
from lms.authoring.preview import build_preview
from lms.content.errors import ContentError


@login_required
def edit_activity(slug: str, activity_id: int):
    """Edit an activity's text; "Preview" shows it as learners will, "Save" keeps a draft."""
    activity = activity_or_404(slug, activity_id)
    working = drafts.working_copy(activity)
    form = ActivityForm(data={"source": working.source, "version": working.version})
    preview, status = None, 200
    if form.validate_on_submit():
        if form.save.data:
            try:
                revision = drafts.save_draft(
                    activity,
                    form.source.data,
                    current_user.id,
                    _version(form.version.data),
                    form.summary.data or "",
                )
            except drafts.EditConflict as exc:
                flash(_conflict_message(exc), "error")
                status = 409
            except ContentError:
                flash(_("Not saved: fix the problems shown below."), "error")
                status = 422
            else:
                flash(_("Draft saved as revision %(n)d.", n=revision.number), "success")
                return redirect(
                    url_for(
                        "authoring.edit_activity", slug=slug, activity_id=activity_id
                    )
                )
        preview = build_preview(activity, activity.course, form.source.data)
    elif request.method == "GET":
        preview = build_preview(activity, activity.course, working.source)
    return (
        render_template(
            "authoring/activity_edit.html",
            form=form,
            course=activity.course,
            activity=activity,
            working=working,
            preview=preview,
            body=_render_preview(preview),
            action_form=FlaskForm(),
        ),
        status,
    )


def _version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        abort(400)


def _conflict_message(exc: drafts.EditConflict) -> str:
    latest = exc.latest
    if latest is None:
        return _(
            "Not saved: this activity changed since you opened it. "
            "Copy your text, reload the page and apply your changes again."
        )
    return _(
        "Not saved: someone else saved revision %(n)d of this activity after you opened it. "
        "Your text is kept below; copy it, reload the page and apply your changes again.",
        n=latest.number,
    )


def _render_preview(preview):
    if preview is None or preview.activity is None:
        return None
    activity_type = activity_types()[preview.activity.type]
    return activity_type.render(
        preview.activity, None, user=current_user, enrollment=None
    )


@login_required
def preview_activity(slug: str, activity_id: int):
    """Return the preview of the posted text as an HTML fragment (for the live preview)."""
    activity = activity_or_404(slug, activity_id)
    form = ActivityForm()
    if not form.validate_on_submit():
        abort(400)
    preview = build_preview(activity, activity.course, form.source.data)
    return render_template(
        "authoring/_preview.html",
        course=activity.course,
        preview=preview,
        body=_render_preview(preview),
    )


@login_required
def publish_activity(slug: str, activity_id: int):
    """Publish the activity's draft to learners."""
    activity = activity_or_404(slug, activity_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        published = drafts.publish(activity)
    except ContentError:  # a draft saved before a rule it now breaks (a limit, say)
        flash(
            _(
                "Not published: the draft has problems. Open it to see them and fix them."
            ),
            "error",
        )
    else:
        if published:
            flash(_("Published: learners now see this version."), "success")
        else:
            flash(
                _("Nothing to publish: learners already see the latest version."),
                "info",
            )
    return redirect(
        url_for("authoring.edit_activity", slug=slug, activity_id=activity_id)
    )


@login_required
def archive_activity(slug: str, activity_id: int):
    """Take the activity out of the course (archived=1) or bring it back (archived=0)."""
    activity = activity_or_404(slug, activity_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    archived = request.form.get("archived") == "1"
    courses.set_activity_archived(activity, archived)
    if archived:
        flash(
            _("%(title)s was removed from the course. Learners keep what they did in it.",
              title=activity.title),
            "success",
        )  # fmt: skip
    else:
        flash(_("%(title)s is back in the course.", title=activity.title), "success")
    return redirect(url_for("authoring.course", slug=slug))


@login_required
def move_activity(slug: str, activity_id: int):
    """Move an activity up or down within its module."""
    activity = activity_or_404(slug, activity_id)
    courses.move_activity(activity, move_step())
    return redirect(url_for("authoring.course", slug=slug))


@login_required
def history(slug: str, activity_id: int):
    """List the activity's revisions: who saved them, when, and what changed."""
    activity = activity_or_404(slug, activity_id)
    return render_template(
        "authoring/history.html",
        course=activity.course,
        activity=activity,
        rows=revisions.history(activity),
        form=FlaskForm(),
    )


@login_required
def revision(slug: str, activity_id: int, number: int):
    """Show one revision and how it differs from the one before it."""
    activity = activity_or_404(slug, activity_id)
    current = revisions.get_revision(activity, number)
    if current is None:
        abort(404)
    before = revisions.get_revision(activity, number - 1)
    return render_template(
        "authoring/revision.html",
        course=activity.course,
        activity=activity,
        revision=current,
        lines=revisions.diff(before.source if before else "", current.source),
        version=activity.version,
        form=FlaskForm(),
    )


@login_required
def restore(slug: str, activity_id: int, number: int):
    """Save an earlier revision's text again as a new draft."""
    activity = activity_or_404(slug, activity_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        restored = revisions.restore(
            activity,
            number,
            current_user.id,
            _version(request.form.get("version")),
            _("Restored revision %(n)d", n=number),
        )
    except LookupError:
        abort(404)
    except drafts.EditConflict as exc:
        flash(_conflict_message(exc), "error")
    except ContentError:
        flash(_("That revision no longer reads as a valid activity."), "error")
    else:
        flash(
            _(
                "Revision %(old)d restored as draft %(n)d. Publish it when ready.",
                old=number,
                n=restored.number,
            ),
            "success",
        )
    return redirect(
        url_for("authoring.edit_activity", slug=slug, activity_id=activity_id)
    )
