"""The learner's pages: catalogue, course, activity, enrollment, progress and "my courses"."""

from __future__ import annotations

from collections.abc import Mapping

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import Row, select

from lms.activities.registry import activity_types
from lms.discussions.reading import unread_by_activity, unread_by_course
from lms.extensions import db
from lms.learn import progress
from lms.learn.angkatan import learner_cohort, learner_cohorts, next_activity
from lms.learn.calendar import feed_url
from lms.learn.lookup import (
    course_activity_enrollment,
    course_and_enrollment,
    course_or_404,
    key_url,
    pretest_redirect,
)
from lms.learn.outline import catalog as catalog_entries
from lms.learn.outline import course_organisers, course_outline
from lms.learn.search import (
    MAX_WORD,
    MAX_WORDS,
    CatalogSearch,
    categories,
    search_catalog,
)
from lms.ledger.records import local_today
from lms.models import Activity, ActivityProgress, Course
from lms.permissions import can, require

bp = Blueprint("learn", __name__)


def cohort_only_message() -> str:
    """Return why a learner cannot enrol in a cohort-only course by themselves."""
    return _(
        "This course is open only to members of its angkatan (cohort). "
        "To join, ask the course's organiser to add you to an angkatan."
    )


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _course_or_404(slug: str) -> Course:
    course = course_or_404(slug)
    require("course.view", course)
    return course


@bp.get("/")
@bp.get("/courses/")
def catalog():
    """List the courses matching the search, with the learner's progress on those they take."""
    search = CatalogSearch.from_args(request.args)
    entries = search_catalog(_user_id(), search)
    return render_template("learn/catalog.html", entries=entries, search=search,
                           categories=categories(entries, search), max_words=MAX_WORDS, max_word=MAX_WORD)  # fmt: skip


@bp.get("/courses/<slug>/")
def course(slug: str):
    """Show a course: its modules, activities and the learner's status on each."""
    course, enrollment = course_and_enrollment(slug, _user_id())
    if course is None:
        abort(404)
    require("course.view", course)
    outline = course_outline(course, _user_id() if enrollment else None)
    unread = unread_by_activity(enrollment.user_id, course.id) if enrollment else {}
    angkatan = learner_cohort(enrollment, local_today())
    closed = course.cohort_based and enrollment is None
    return render_template(
        "learn/course.html",
        course=course,
        organisers=course_organisers(course) if closed else [],
        outline=outline,
        enrollment=enrollment,
        angkatan=angkatan,
        next_item=next_activity(outline, angkatan) if enrollment else None,
        unread=unread,
    )


@bp.post("/courses/<slug>/enroll")
@login_required
def enroll(slug: str):
    """Enroll the current user in the course (again is harmless)."""
    course = _course_or_404(slug)
    if FlaskForm().validate_on_submit():
        if course.cohort_based:
            flash(cohort_only_message(), "error")
            return redirect(url_for("learn.course", slug=slug))
        require("course.enroll", course)
        progress.enroll(current_user, course)
        flash(_("You are enrolled in %(title)s.", title=course.title), "success")
    return redirect(url_for("learn.resume", slug=slug))


@bp.get("/courses/<slug>/continue")
@login_required
def resume(slug: str):
    """Open the first activity the learner has not finished."""
    course = _course_or_404(slug)
    if progress.get_enrollment(current_user.id, course.id) is None:
        return redirect(url_for("learn.course", slug=slug))
    outline = course_outline(course, current_user.id)
    target = outline.first_unfinished() or (outline.items[0] if outline.items else None)
    if target is None:
        return redirect(url_for("learn.course", slug=slug))
    return redirect(key_url(slug, target.key))


def _load_activity(slug: str, module_key: str, activity_key: str):
    course, activity, enrollment = course_activity_enrollment(
        slug, module_key, activity_key, current_user.id
    )
    if course is None:
        abort(404)
    require("course.view", course)
    if activity is None:
        abort(404)
    return course, activity, enrollment


@bp.get("/courses/<slug>/<module_key>/<activity_key>/")
@login_required
def activity(slug: str, module_key: str, activity_key: str):
    """Show one activity with the course outline beside it and previous/next links."""
    course, activity, enrollment = _load_activity(slug, module_key, activity_key)
    if not can(current_user, "activity.view", activity, enrollment):
        flash(_("Enroll in the course to open its activities."), "info")
        return redirect(url_for("learn.course", slug=slug))
    if enrollment is None:  # staff looking at a course they are not taking
        return _render_activity(course, activity, {}, None)
    rows = progress.course_progress(current_user.id, course.id)
    if (sent := pretest_redirect(course, activity, enrollment, rows)) is not None:
        return sent
    complete = activity_types()[activity.type].complete_on_view
    # Saving a course for offline reading fetches every lesson: that is not reading them.
    saving = request.headers.get("X-Offline-Save") == "1"
    if (
        not saving
        and activity.archived_at is None
        and progress.visit_worth_recording(rows.get(activity.id), complete)
    ):
        progress.record_visit(current_user.id, activity, complete=complete)
        rows = progress.course_progress(current_user.id, course.id)
    return _render_activity(course, activity, rows, enrollment)


def _progress_row(activity: Activity) -> ActivityProgress | None:
    return db.session.scalar(
        select(ActivityProgress).where(
            ActivityProgress.user_id == current_user.id,
            ActivityProgress.activity_id == activity.id,
        )
    )


def _render_activity(
    course: Course,
    activity: Activity,
    rows: Mapping[int, Row],
    enrollment=None,
):
    activity_type = activity_types()[activity.type]
    outline = course_outline(course, current_user.id, rows)
    row = rows.get(activity.id)
    previous, following = outline.neighbours(activity.key)
    body = activity_type.render(activity, row, user=current_user, enrollment=enrollment)
    unread = unread_by_activity(current_user.id, course.id) if enrollment else {}
    return render_template(
        "learn/activity.html",
        course=course,
        activity=activity,
        outline=outline,
        progress=row,
        previous=previous,
        following=following,
        activity_type=activity_type,
        body=body,
        angkatan=learner_cohort(enrollment, local_today()),
        unread=unread,
    )


@bp.post("/courses/<slug>/<module_key>/<activity_key>/complete")
@login_required
def complete(slug: str, module_key: str, activity_key: str):
    """Handle the learner's action on an activity (for a lesson: mark it done)."""
    course, activity, enrollment = _load_activity(slug, module_key, activity_key)
    if (sent := pretest_redirect(course, activity, enrollment)) is not None:
        return sent
    require("activity.submit", activity, enrollment)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = activity_types()[activity.type].submit(
            activity, _progress_row(activity), request.form.to_dict()
        )
    except NotImplementedError:
        abort(400)
    if result.completed:
        progress.complete_activity(current_user.id, activity)
        flash(result.message or _("Marked as done."), "success")
    elif result.message:
        flash(result.message, "error")
    outline = course_outline(course, current_user.id)
    following = outline.neighbours(activity.key)[1]
    if following is not None and result.completed:
        return redirect(key_url(slug, following.key))
    return redirect(key_url(slug, activity.key))


@bp.get("/my/")
@login_required
def my_courses():
    """Show the learner's courses with percent complete and this year's JP against the target."""
    year = local_today().year  # in the platform time zone
    entries = catalog_entries(current_user.id, enrolled_only=True)
    in_cohorts = [e.course.id for e in entries if e.enrollment.cohort_id is not None]
    return render_template(
        "learn/my_courses.html",
        entries=entries,
        angkatan=learner_cohorts(current_user.id, in_cohorts, local_today()),
        calendar_url=feed_url(current_user) if in_cohorts else None,
        in_cohort=bool(in_cohorts),
        form=FlaskForm(),
        unread=unread_by_course(current_user.id),
        jp=progress.jp_earned(current_user.id, year),
        jp_target=current_app.config["LMS_YEARLY_JP_TARGET"],
        year=year,
    )
