"""Running a cohort: create it, add members (one by one or from CSV), staff, due dates, bulk changes."""

from __future__ import annotations

from datetime import date

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
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lms.cohorts import import_job, member_import
from lms.cohorts import members as service
from lms.cohorts.figures import forget_figures
from lms.cohorts.forms import AddMemberForm, CohortForm, ImportMembersForm, StaffForm
from lms.cohorts.views import get_cohort
from lms.extensions import db
from lms.lti import roster
from lms.mail import send_in_background
from lms.models import Cohort, CohortModuleDue, Course, LtiContext, Module
from lms.permissions import courses_taught_by, require

bp = Blueprint("cohort_admin", __name__, url_prefix="/cohorts")


def _back(cohort: Cohort):
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a cohort of a course the user teaches (any course, for admins)."""
    require("cohort.create")
    form = CohortForm()
    query = (
        courses_taught_by(current_user)
        .where(Course.archived_at.is_(None))
        .order_by(Course.title)
    )
    form.course.choices = [
        SelectChoice(c.id, c.title) for c in db.session.scalars(query)
    ]
    if form.validate_on_submit():
        course = db.session.get(Course, form.course.data)
        require("course.teach", course)
        if db.session.scalar(
            select(Cohort.id).where(
                Cohort.course_id == course.id, Cohort.name == form.name.data.strip()
            )
        ):
            form.name.errors.append(
                _("This course already has a cohort with that name.")
            )
        else:
            cohort = Cohort(course_id=course.id, name=form.name.data.strip(), starts_on=form.starts_on.data,
                            ends_on=form.ends_on.data)  # fmt: skip
            db.session.add(cohort)
            db.session.commit()
            flash(_("Cohort %(name)s created.", name=cohort.name), "success")
            return _back(cohort)
    return render_template("cohorts/new.html", form=form)


@bp.post("/<int:cohort_id>/members")
@login_required
def add_member(cohort_id: int):
    """Add one member by NIP or email."""
    cohort = get_cohort(cohort_id, "cohort.manage")
    form = AddMemberForm()
    if not form.validate_on_submit():
        abort(400)
    person = service.find_person(form.person.data)
    mentor = service.find_person(form.mentor.data) if form.mentor.data else None
    if person is None or (form.mentor.data and mentor is None):
        flash(
            _("No account has that NIP or email. To create accounts, import a CSV."),
            "error",
        )
        return _back(cohort)
    try:
        service.add_member(cohort, person, mentor)
    except service.CohortError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(name)s added.", name=person.name), "success")
    return _back(cohort)


@bp.post("/<int:cohort_id>/members/import")
@login_required
def import_members(cohort_id: int):
    """Check a whole CSV first; add its members only if every row is good."""
    cohort = get_cohort(cohort_id, "cohort.manage")
    form = ImportMembersForm()
    if not form.validate_on_submit():
        abort(400)
    raw = form.file.data.read(current_app.config["LMS_MAX_UPLOAD_BYTES"] + 1)
    form.file.data.close()
    if len(raw) > current_app.config["LMS_MAX_UPLOAD_BYTES"]:
        problems = [(0, _("The file is too large."))]
        rows = []
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        if text.count("\n") > current_app.config["LMS_IMPORT_INLINE_ROWS"]:
            import_job.queue_import(cohort, text, current_user.id, request.url_root)
            db.session.commit()
            flash(_("The file is large: the worker is importing it. The result will appear on this page."),
                  "success")  # fmt: skip
            return _back(cohort)
        rows, problems = member_import.parse_members_csv(cohort, text)
    if problems:
        return render_template(
            "cohorts/import_errors.html", cohort=cohort, problems=problems
        ), 422
    try:
        added, created, tokens = member_import.import_members(
            cohort, rows, current_user.id
        )
    except service.CohortError as exc:
        flash(str(exc), "error")
        return _back(cohort)
    import_job.first_login_emails(cohort, tokens)
    db.session.commit()
    send_in_background(current_app._get_current_object())
    flash(_("%(added)d members added; %(created)d new accounts were sent a link to set their password.",
            added=added, created=created), "success")  # fmt: skip
    return _back(cohort)


@bp.post("/<int:cohort_id>/members/import-lti")
@login_required
def import_lti_members(cohort_id: int):
    """Add the active learners of a platform course that launches this one (LTI NRPS), all or none."""
    cohort = get_cohort(cohort_id, "cohort.manage")
    if not FlaskForm().validate_on_submit():
        abort(400)
    context = db.session.get(LtiContext, request.form.get("context", 0, type=int))
    if context is None or context.course_id != cohort.course_id:
        abort(404)
    try:
        done = roster.import_roster(cohort, context, current_user.id,
                                    remove_departed=bool(request.form.get("remove_departed")))  # fmt: skip
    except service.CohortError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(added)d members added from %(title)s; %(created)d new accounts (they sign in through the platform); %(left)d teachers or inactive members left out.",
                added=done.added, title=context.title or context.context_id, created=done.created,
                left=done.left_out), "success")  # fmt: skip
        if done.removed:
            flash(_("%(removed)d members who left the platform course were taken out of the cohort (they keep their progress).",
                    removed=done.removed), "success")  # fmt: skip
    return _back(cohort)


@bp.post("/<int:cohort_id>/members/bulk")
@login_required
def bulk(cohort_id: int):
    """Remove the selected members, or move them to another cohort of the same course."""
    cohort = get_cohort(cohort_id, "cohort.manage")
    if not FlaskForm().validate_on_submit():
        abort(400)
    user_ids = [int(v) for v in request.form.getlist("member") if v.isdigit()]
    action = request.form.get("action")
    try:
        if action == "remove":
            count = service.remove_members(cohort, user_ids)
        elif action == "move":
            target = get_cohort(
                request.form.get("target", type=int) or 0, "cohort.manage"
            )
            count = service.move_members(cohort, target, user_ids)
        else:
            abort(400)
    except service.CohortError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(n)d members changed.", n=count), "success")
    return _back(cohort)


@bp.post("/<int:cohort_id>/close")
@login_required
def close(cohort_id: int):
    """Close the cohort."""
    cohort = get_cohort(cohort_id, "cohort.manage")
    if not FlaskForm().validate_on_submit():
        abort(400)
    service.close_cohort(cohort)
    flash(_("The cohort is closed."), "success")
    return _back(cohort)


@bp.post("/<int:cohort_id>/staff")
@login_required
def add_staff(cohort_id: int):
    """Add a supervisor, facilitator or coach."""
    cohort = get_cohort(cohort_id, "cohort.manage")
    form = StaffForm()
    if not form.validate_on_submit():
        abort(400)
    person = service.find_person(form.person.data)
    if person is None:
        flash(_("No account has that NIP or email."), "error")
    else:
        service.add_staff(cohort, person, form.role.data)
        flash(_("%(name)s added to the staff.", name=person.name), "success")
    return _back(cohort)


@bp.route("/<int:cohort_id>/dues", methods=["GET", "POST"])
@login_required
def dues(cohort_id: int):
    """Set or clear each module's due date for the cohort."""
    cohort = get_cohort(cohort_id, "cohort.manage")
    modules = db.session.scalars(
        select(Module)
        .where(Module.course_id == cohort.course_id, Module.archived_at.is_(None))
        .order_by(Module.position)
    ).all()
    current = {d.module_id: d for d in cohort.due_dates}
    form = FlaskForm()
    if form.validate_on_submit():
        for module in modules:
            value = request.form.get(f"due-{module.id}", "").strip()
            try:
                due_on = date.fromisoformat(value) if value else None
            except ValueError:
                flash(_("%(module)s: not a date.", module=module.title), "error")
                return redirect(url_for("cohort_admin.dues", cohort_id=cohort.id))
            if due_on is None and module.id in current:
                db.session.delete(current[module.id])
            elif due_on is not None and module.id in current:
                current[module.id].due_on = due_on
            elif due_on is not None:
                db.session.add(
                    CohortModuleDue(
                        cohort_id=cohort.id, module_id=module.id, due_on=due_on
                    )
                )
        db.session.commit()
        forget_figures(cohort.id)
        flash(_("Due dates saved."), "success")
        return _back(cohort)
    return render_template(
        "cohorts/dues.html", cohort=cohort, modules=modules, current=current, form=form
    )
