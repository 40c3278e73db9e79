"""Survey reports: per course and per cohort, the facilitator's own results, and their downloads."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import exports
from lms.extensions import db
from lms.learn.lookup import course_and_activity
from lms.models import Activity, Cohort
from lms.permissions import can, require
from lms.surveys.charts import answers_chart
from lms.surveys.results import survey_results
from lms.surveys.tables import figures_table, texts_table

bp = Blueprint("surveys", __name__)
SURVEY_URL = "/courses/<slug>/<module_key>/<activity_key>/survey-report"


def _survey(
    slug: str, module_key: str, activity_key: str
) -> tuple[Activity, Cohort | None]:
    """Return the survey and the cohort asked for (?cohort=), once the user may see their results."""
    course, activity = course_and_activity(slug, module_key, activity_key, "survey")
    if course is None or activity is None:
        abort(404)
    cohort_id = request.args.get("cohort", type=int)
    if cohort_id is None:
        require("survey.report", course)
        return activity, None
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.course_id != course.id:
        abort(404)
    require("survey.cohort_report", cohort)
    return activity, cohort


@bp.get(SURVEY_URL)
@login_required
def report(slug: str, module_key: str, activity_key: str):
    """Show each question's answers as a chart, its mean and count, and the free texts."""
    activity, cohort = _survey(slug, module_key, activity_key)
    results = survey_results(activity, cohort.id if cohort else None)
    cohorts = db.session.scalars(db.select(Cohort).where(Cohort.course_id == activity.course_id)
                                 .order_by(Cohort.starts_on, Cohort.id)).all()  # fmt: skip
    cohorts = [c for c in cohorts if can(current_user, "survey.cohort_report", c)]
    return render_template("surveys/report.html", activity=activity, course=activity.course, cohort=cohort,
                           cohorts=cohorts, results=results, chart=answers_chart, mine=False,
                           whole_course=can(current_user, "survey.report", activity.course))  # fmt: skip


@bp.get(f"{SURVEY_URL}/mine")
@login_required
def mine(slug: str, module_key: str, activity_key: str):
    """Show a facilitator what learners said about them, and nothing about anyone else."""
    course, activity = course_and_activity(slug, module_key, activity_key, "survey")
    if course is None or activity is None:
        abort(404)
    require("survey.own_results", course)
    results = survey_results(activity, facilitator_id=current_user.id)
    return render_template("surveys/report.html", activity=activity, course=course, cohort=None,
                           cohorts=[], results=results, chart=answers_chart, mine=True, whole_course=False)  # fmt: skip


@bp.get(f"{SURVEY_URL}/<view>.<fmt>")
@login_required
def export(slug: str, module_key: str, activity_key: str, view: str, fmt: str):
    """Download the page's figures or its free texts as CSV or XLSX."""
    activity, cohort = _survey(slug, module_key, activity_key)
    if fmt not in ("csv", "xlsx") or view not in ("figures", "texts"):
        abort(404)
    results = survey_results(activity, cohort.id if cohort else None)
    header, rows = (figures_table if view == "figures" else texts_table)(results)
    title = _("Figures") if view == "figures" else _("Free texts")
    name = f"{activity.title}-{cohort.name if cohort else activity.course.slug}-{view}.{fmt}".replace(
        " ", "_"
    )
    if fmt == "csv":
        return exports.download(exports.to_csv(header, rows), fmt, name)
    return exports.download(exports.to_xlsx(title, header, rows), fmt, name)
