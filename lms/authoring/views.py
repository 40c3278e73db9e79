"""Authoring pages: instructors build and maintain their courses in the browser.

This module holds the course and module pages; the activity pages (activity_views.py) and the
course's files (file_views.py) are added to the same blueprint at the bottom, by name.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lms.activities.registry import activity_type_label, activity_types
from lms.authoring import activity_views, courses, drafts, file_views, quiz_views
from lms.authoring.blueprint import (
    ACTIVITY,
    COURSE,
    bp,
    course_or_404,
    module_or_404,
    move_step,
    refusal,
)
from lms.authoring.forms import CourseForm, ModuleForm, NewActivityForm
from lms.extensions import db
from lms.models import Activity, Course
from lms.permissions import courses_taught_by, require

__all__ = ["bp"]


@bp.get("/author/")
@login_required
def index():
    """List the courses the user may edit."""
    require("course.create")
    query = courses_taught_by(current_user).order_by(Course.title)
    return render_template(
        "authoring/index.html", courses=db.session.scalars(query).all()
    )


@bp.route("/author/new", methods=["GET", "POST"])
@login_required
def new_course():
    """Start a new course; its creator becomes its instructor."""
    require("course.create")
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = courses.create_course(
                form.slug.data, form.details(), current_user.id
            )
        except courses.AuthoringError as exc:
            form.slug.errors.append(refusal(exc))
        else:
            flash(_("Course created. Add a module to start."), "success")
            return redirect(url_for("authoring.course", slug=course.slug))
    return render_template("authoring/course_form.html", form=form, course=None)


@bp.get(f"{COURSE}/")
@login_required
def course(slug: str):
    """Show the course as its authors see it: every module and activity, drafts included."""
    course = course_or_404(slug)
    modules = courses.current_modules(course.id)
    activities = db.session.scalars(
        select(Activity)
        .where(Activity.course_id == course.id, Activity.archived_at.is_(None))
        .order_by(Activity.position)
    ).all()
    drafted = drafts.activities_with_drafts(course.id)
    return render_template(
        "authoring/course.html",
        course=course,
        modules=modules,
        activities=activities,
        archived=courses.archived_activities(course.id),
        drafted=drafted,
        drafted_modules=courses.modules_with_drafts(course.id),
        form=FlaskForm(),
    )


@bp.route(f"{COURSE}/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    """Edit the course's details."""
    course = course_or_404(slug)
    details = courses.course_details(course)
    details["objectives"] = "\n".join(details["objectives"])
    form = CourseForm(data={**details, "slug": course.slug})
    form.slug.data = (
        course.slug
    )  # the slug is the course's identity: never changed here
    if form.validate_on_submit():
        if course.published and request.form.get("action") == "draft":
            courses.save_course_draft(course, form.details())
            flash(_("Draft saved: learners see the published details until you show them this."), "success")  # fmt: skip
        else:
            courses.update_course(course, form.details())
            flash(_("Course details saved."), "success")
        return redirect(url_for("authoring.course", slug=slug))
    return render_template("authoring/course_form.html", form=form, course=course)


@bp.post(f"{COURSE}/settings/discard")
@login_required
def discard_course_draft(slug: str):
    """Drop the course details' draft."""
    course = course_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    courses.discard_course_draft(course)
    flash(_("Draft discarded: the published details stay."), "success")
    return redirect(url_for("authoring.settings", slug=slug))


@bp.post(f"{COURSE}/publish")
@login_required
def publish_course(slug: str):
    """Show the course in the catalogue, or take it out."""
    course = course_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    publish = request.form.get("published") == "1"
    courses.set_course_published(course, publish)
    flash(
        _("The course is in the catalogue.")
        if publish
        else _("The course is hidden from the catalogue."),
        "success",
    )
    return redirect(url_for("authoring.course", slug=slug))


@bp.route(f"{COURSE}/modules/new", methods=["GET", "POST"])
@login_required
def new_module(slug: str):
    """Add a module at the end of the course."""
    course = course_or_404(slug)
    form = ModuleForm()
    if form.validate_on_submit():
        try:
            courses.create_module(course, form.key.data, form.details())
        except courses.AuthoringError as exc:
            form.key.errors.append(refusal(exc))
        else:
            flash(_("Module added."), "success")
            return redirect(url_for("authoring.course", slug=slug))
    return render_template(
        "authoring/module_form.html", form=form, course=course, module=None
    )


@bp.route(f"{COURSE}/modules/<key>/edit", methods=["GET", "POST"])
@login_required
def edit_module(slug: str, key: str):
    """Edit a module's title, summary and introduction."""
    module = module_or_404(slug, key)
    form = ModuleForm(data={**courses.module_details(module), "key": module.key})
    form.key.data = module.key
    if form.validate_on_submit():
        if module.course.published and request.form.get("action") == "draft":
            courses.save_module_draft(module, form.details())
            flash(_("Draft saved: learners see the published details until you show them this."), "success")  # fmt: skip
        else:
            courses.update_module(module, form.details())
            flash(_("Module saved."), "success")
        return redirect(url_for("authoring.course", slug=slug))
    return render_template(
        "authoring/module_form.html", form=form, course=module.course, module=module
    )


@bp.post(f"{COURSE}/modules/<key>/discard")
@login_required
def discard_module_draft(slug: str, key: str):
    """Drop the module details' draft."""
    module = module_or_404(slug, key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    courses.discard_module_draft(module)
    flash(_("Draft discarded: the published details stay."), "success")
    return redirect(url_for("authoring.edit_module", slug=slug, key=key))


@bp.post(f"{COURSE}/modules/<key>/move")
@login_required
def move_module(slug: str, key: str):
    """Move a module up or down."""
    module = module_or_404(slug, key)
    courses.move_module(module, move_step())
    return redirect(url_for("authoring.course", slug=slug))


@bp.route(f"{COURSE}/modules/<key>/activities/new", methods=["GET", "POST"])
@login_required
def new_activity(slug: str, key: str):
    """Start a new activity (unpublished) at the end of a module."""
    module = module_or_404(slug, key)
    form = NewActivityForm()
    form.type.choices = [
        SelectChoice(n, activity_type_label(n))
        for n in sorted(activity_types().by_name)
    ]
    if form.validate_on_submit():
        try:
            activity = drafts.create_activity(
                module.course,
                module,
                form.type.data,
                form.key.data,
                form.title.data,
                current_user.id,
            )
        except courses.AuthoringError as exc:
            form.key.errors.append(refusal(exc))
        else:
            return redirect(
                url_for("authoring.edit_activity", slug=slug, activity_id=activity.id)
            )
    return render_template(
        "authoring/activity_new.html", form=form, course=module.course, module=module
    )


# The activity pages and the course's files live in their own modules, on this same blueprint.
ROUTES = [
    (f"{ACTIVITY}/edit", activity_views.edit_activity, ["GET", "POST"]),
    (f"{ACTIVITY}/preview", activity_views.preview_activity, ["POST"]),
    (f"{ACTIVITY}/publish", activity_views.publish_activity, ["POST"]),
    (f"{ACTIVITY}/move", activity_views.move_activity, ["POST"]),
    (f"{ACTIVITY}/archive", activity_views.archive_activity, ["POST"]),
    (f"{ACTIVITY}/history", activity_views.history, ["GET"]),
    (f"{ACTIVITY}/revisions/<int:number>", activity_views.revision, ["GET"]),
    (f"{ACTIVITY}/revisions/<int:number>/restore", activity_views.restore, ["POST"]),
    (f"{COURSE}/images", file_views.images, ["GET", "POST"]),
    (f"{COURSE}/export.zip", file_views.export_zip, ["GET"]),
    (f"{ACTIVITY}/export/<fmt>", quiz_views.export_quiz, ["GET"]),
    (f"{COURSE}/modules/<key>/import-quiz", quiz_views.import_quiz, ["GET", "POST"]),
    ("/courses/<slug>/images/<name>", file_views.image, ["GET"]),
]
for url, view, methods in ROUTES:
    bp.add_url_rule(url, view_func=view, methods=methods)
