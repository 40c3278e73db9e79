"""Survey reports: per course and per cohort, the facilitator's own results, and their downloads."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.learn.lookup import course_and_activity
from lms.models import Activity
from lms.permissions import require
from lms.reports import SURVEY, download, render_report, web_scope
from lms.surveys.charts import answers_chart
from lms.surveys.results import survey_results
from lms.surveys.tables import figures_table, texts_table

bp = Blueprint("surveys", __name__)
SURVEY_URL = "/courses/<slug>/<module_key>/<activity_key>/survey-report"


def _survey(slug: str, module_key: str, activity_key: str) -> Activity:
    course, activity = course_and_activity(slug, module_key, activity_key, "survey")
    if course is None or activity is None:
        abort(404)
    return activity


@bp.get(SURVEY_URL)
@login_required
def report(slug: str, module_key: str, activity_key: str):
    """Show each question's answers as a chart, its mean and count, and the free texts."""
    activity = _survey(slug, module_key, activity_key)
    cohort = web_scope(activity.course, SURVEY)
    results = survey_results(activity, cohort.id if cohort else None)
    return render_report("surveys/report.html", activity.course, cohort, SURVEY,
                         activity=activity, results=results, chart=answers_chart, mine=False)  # fmt: skip


@bp.get(f"{SURVEY_URL}/mine")
@login_required
def mine(slug: str, module_key: str, activity_key: str):
    """Show a facilitator what learners said about them, and nothing about anyone else."""
    activity = _survey(slug, module_key, activity_key)
    require("survey.own_results", activity.course)
    results = survey_results(activity, facilitator_id=current_user.id)
    return render_template("surveys/report.html", activity=activity, course=activity.course, cohort=None,
                           cohorts=[], results=results, chart=answers_chart, mine=True, whole_course=False)  # fmt: skip


@bp.get(f"{SURVEY_URL}/<view>.<fmt>")
@login_required
def export(slug: str, module_key: str, activity_key: str, view: str, fmt: str):
    """Download the page's figures or its free texts as CSV or XLSX."""
    activity = _survey(slug, module_key, activity_key)
    cohort = web_scope(activity.course, SURVEY)
    if view not in ("figures", "texts"):
        abort(404)
    results = survey_results(activity, cohort.id if cohort else None)
    header, rows = (figures_table if view == "figures" else texts_table)(results)
    title = _("Figures") if view == "figures" else _("Free texts")
    name = f"{activity.title}-{cohort.name if cohort else activity.course.slug}-{view}"
    return download(fmt, header, rows, title, name)
