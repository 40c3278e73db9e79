"""Supervisors' pages: their cohorts, a cohort's members, the completion matrix, exports, reminders."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

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
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms import exports
from lms.cohorts import charts
from lms.cohorts.display import member_rows, status_labels, unit_rows
from lms.cohorts.figures import cohort_figures
from lms.cohorts.forms import AddMemberForm, ImportMembersForm, StaffForm
from lms.cohorts.reminders import remind_members
from lms.cohorts.report import (
    STATUSES,
    cohort_reports,
    cohort_summaries,
    completion_matrix,
    filter_members,
)
from lms.extensions import db
from lms.ledger.records import jp_totals, local_today
from lms.models import Cohort, WorkUnit
from lms.permissions import (
    can,
    cohorts_visible_to,
    remember_cohort_roles,
    require,
    staff_roles_column,
)
from lms.surveys.links import cohort_evaluation

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
#: Members listed per page (filters and sorting apply to all; exports hold all).
MEMBERS_PER_PAGE = 100


def visible_cohorts(user, course_id: int | None = None) -> list[Cohort]:
    """Return the cohorts the user may see, of one course if given, newest first."""
    query = cohorts_visible_to(user, course_id)
    return list(
        db.session.scalars(query.order_by(Cohort.starts_on.desc(), Cohort.name))
    )


#: A cohort with its course and the viewer's roles on its staff, in one query.
_COHORT_WITH_ROLES = (
    select(Cohort, staff_roles_column())
    .options(joinedload(Cohort.course))
    .where(Cohort.id == bindparam("cohort_id"))
)


def get_cohort(cohort_id: int, action: str = "cohort.view") -> Cohort:
    """Load a cohort the current user may act on, or stop with 404/403.

    The user's roles on the cohort's staff come with it, so the permission check asks no more.
    """
    row = db.session.execute(
        _COHORT_WITH_ROLES, {"cohort_id": cohort_id, "user_id": current_user.id}
    ).one_or_none()
    if row is None:
        abort(404)
    cohort, roles = row
    remember_cohort_roles(current_user.id, cohort.id, roles)
    require(action, cohort)
    return cohort


@bp.get("/")
@login_required
def index():
    """List the user's cohorts with their completion at a glance."""
    summaries = cohort_summaries(visible_cohorts(current_user), date.today())
    return render_template(
        "cohorts/index.html",
        summaries=summaries,
        can_create=can(current_user, "cohort.create"),
    )


def _filtered(report):
    """Return the members the page's filters and sort ask for."""
    unit = request.args.get("unit", type=int)
    status = (
        request.args.get("status") if request.args.get("status") in STATUSES else None
    )
    track = request.args.get("track") if request.args.get("track") == "behind" else None
    sort = request.args.get("sort", "name")
    return filter_members(report.members, unit, status, track, sort,
                          request.args.get("order") == "desc")  # fmt: skip


@bp.get("/<int:cohort_id>/")
@login_required
def cohort(cohort_id: int):
    """Show one cohort: members with status, per-unit summary, charts and (for managers) its admin.

    The figures may be up to `LMS_REPORT_CACHE_SECONDS` old (the page says when they were
    counted); `?refresh=1` counts them again.
    """
    cohort = get_cohort(cohort_id)  # authorised before any shared figures are looked at
    figures = cohort_figures(cohort, date.today(), refresh="refresh" in request.args)
    report = figures.report(cohort)
    members = _filtered(report)
    page = max(request.args.get("page", 1, type=int), 1)
    pages = max((len(members) + MEMBERS_PER_PAGE - 1) // MEMBERS_PER_PAGE, 1)
    shown = members[(page - 1) * MEMBERS_PER_PAGE : page * MEMBERS_PER_PAGE]
    manage = can(current_user, "cohort.manage", cohort)
    quizzes, units = figures.quizzes, figures.units
    target = current_app.config["LMS_YEARLY_JP_TARGET"]
    args = {k: v for k, v in request.args.items() if k != "refresh"}
    return render_template(
        "cohorts/cohort.html", cohort=cohort, report=report, counts=report.counts(), percent=report.percent,
        rows=member_rows(shown, [q.id for q in quizzes], figures.jp, target, manage,
                         _member_link(cohort, args)),
        has_rows=bool(shown), member_count=len(members), page=page, pages=pages, units=units, quizzes=quizzes,
        statuses=STATUSES, unit_choices=figures.unit_choices,
        distribution=charts.distribution_chart(
            [m.percent for m in report.members], _("Members by percent complete"), _("Percent complete")),
        unit_chart=charts.unit_progress_chart(
            [(u.unit_name, u.average_percent) for u in units], _("Average progress per work unit")),
        unit_rows=unit_rows(units, figures.below),
        manage=manage, remind=can(current_user, "cohort.remind", cohort),
        others=_other_cohorts(cohort) if manage else [],
        **(_manage_forms(cohort) if manage else {}),
        staff=figures.staff, jp_year=figures.stamp[0].year, jp_target=target, below=figures.below,
        as_of=format_time(figures.computed_at, "short"), page_args=args, query=urlencode(list(args.items())),
        evaluation=cohort_evaluation(cohort, current_user, report.activities),
    )  # fmt: skip


def _member_link(cohort: Cohort, args: dict) -> tuple[str, str]:
    """Return a member page's URL up to the member's id, and the filters to keep after it."""
    url = url_for("cohorts.member", cohort_id=cohort.id, user_id=0)
    query = urlencode(list(args.items()))
    return url[: -len("0")], f"?{query}" if query else ""


def _manage_forms(cohort: Cohort) -> dict:
    """Return the forms of the page's "manage the cohort" section (built only for those who see it)."""
    from lms.cohorts.import_job import recent_imports
    from lms.lti.roster import contexts_for

    return {
        "imports": recent_imports(cohort),
        "add_form": AddMemberForm(),
        "import_form": ImportMembersForm(),
        "staff_form": StaffForm(),
        "lti_contexts": contexts_for(cohort.course_id),
    }


def _other_cohorts(cohort: Cohort) -> list[Cohort]:
    """Return the other cohorts of the same course the current user may see (to move members to)."""
    return [
        c
        for c in visible_cohorts(current_user, course_id=cohort.course_id)
        if c.id != cohort.id
    ]


@bp.get("/<int:cohort_id>/matrix")
@login_required
def matrix(cohort_id: int):
    """Show which member completed which activity."""
    cohort = get_cohort(cohort_id)
    (report,) = cohort_reports([cohort], date.today())
    return render_template("cohorts/matrix.html", cohort=cohort, report=report, members=_filtered(report),
                           done=completion_matrix(cohort))  # fmt: skip


def export_table(view: str, cohort: Cohort) -> tuple[str, list[str], list[list]]:
    """Return (title, header, rows) of a view, exactly as its page shows it."""
    (report,) = cohort_reports([cohort], date.today())
    members = _filtered(report)
    status_names = status_labels()
    if view == "members":
        quizzes = [a for a in report.activities if a.type == "quiz"]
        header = [_("Name"), "NIP", _("Work unit"), _("Percent complete"), _("Activities done"), _("Status"),
                  _("Behind"), _("Last active")] + [q.title for q in quizzes]  # fmt: skip
        rows = [[m.name, m.nip, m.unit_name, m.percent, m.done, status_names[m.status], _("yes") if m.behind else "",
                 _local_day(m.last_active)] + [m.quiz_scores.get(q.id) for q in quizzes] for m in members]  # fmt: skip
        return _("Members"), header, rows
    if view == "matrix":
        done = completion_matrix(cohort)
        header = [_("Name"), "NIP"] + [a.title for a in report.activities]
        rows = [
            [m.name, m.nip]
            + [1 if (m.user_id, a.id) in done else 0 for a in report.activities]
            for m in members
        ]
        return _("Completion"), header, rows
    if view == "units":
        header = [
            _("Work unit"),
            _("Members"),
            _("Completed"),
            _("Overdue"),
            _("Average percent complete"),
        ]
        rows = [
            [u.unit_name, u.members, u.completed, u.overdue, u.average_percent]
            for u in report.units()
        ]
        return _("Work units"), header, rows
    if view == "jp":
        year = local_today().year
        totals = jp_totals([m.user_id for m in members], year)
        header = [
            _("Name"),
            "NIP",
            _("Work unit"),
            _("JP in %(year)s", year=year),
            _("Below the yearly target"),
        ]
        from flask import current_app

        target = current_app.config["LMS_YEARLY_JP_TARGET"]
        rows = [[m.name, m.nip, m.unit_name, totals.get(m.user_id, 0), _("yes") if totals.get(m.user_id, 0) < target else ""]
                for m in members]  # fmt: skip
        return _("JP"), header, rows
    abort(404)


def _local_day(moment) -> date | None:
    """Return a UTC moment as the page shows it: the day in the platform's time zone."""
    from flask_babel import to_user_timezone

    return to_user_timezone(moment).date() if moment else None


@bp.get("/<int:cohort_id>/export/<view>.<fmt>")
@login_required
def export(cohort_id: int, view: str, fmt: str):
    """Download a view as CSV or XLSX, with the page's filters and the page's numbers."""
    cohort = get_cohort(cohort_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    title, header, rows = export_table(view, cohort)
    filename = f"{cohort.name}-{view}.{fmt}".replace(" ", "_")
    if fmt == "csv":
        return exports.download(exports.to_csv(header, rows), fmt, filename)
    return exports.download(exports.to_xlsx(title, header, rows), fmt, filename)


@bp.post("/<int:cohort_id>/remind")
@login_required
def remind(cohort_id: int):
    """Remind the members who are behind or overdue (each reminder is sent once a day at most)."""
    cohort = get_cohort(cohort_id, "cohort.remind")
    if not FlaskForm().validate_on_submit():
        abort(400)
    (report,) = cohort_reports([cohort], date.today())
    sent = remind_members(cohort, report, current_user.id, date.today())
    flash(_("Reminders queued for %(n)d members.", n=sent), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))


def unit_name(unit_id: int | None) -> str:
    """Return a work unit's name."""
    unit = db.session.get(WorkUnit, unit_id) if unit_id else None
    return unit.name if unit else ""


@bp.get("/<int:cohort_id>/members/<int:user_id>")
@login_required
def member(cohort_id: int, user_id: int):
    """Show one member: every activity with status, score, attempts, visits and submissions.

    The query string is the cohort table's filters, kept for the link back.
    """
    from lms.cohorts.member_detail import member_detail
    from lms.ledger.records import local_today

    cohort = get_cohort(cohort_id)
    today = local_today()
    detail = member_detail(cohort, user_id, today)
    if detail is None:
        abort(404)
    figures = cohort_figures(cohort, date.today())
    line = next(
        (m for m in figures.report(cohort).members if m.user_id == user_id), None
    )
    back_args = {k: v for k, v in request.args.items() if k != "refresh"}
    return render_template(
        "cohorts/member.html", cohort=cohort, detail=detail, line=line,
        statuses=status_labels(), jp_target=current_app.config["LMS_YEARLY_JP_TARGET"],
        year=today.year, back=url_for("cohorts.cohort", cohort_id=cohort.id, **back_args),
    )  # fmt: skip
