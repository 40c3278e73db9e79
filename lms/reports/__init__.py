"""What the survey and learning-gain reports share: their scope (a course or one of its cohorts),
the cohorts a viewer may pick, the page around them and their CSV/XLSX downloads."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, request
from flask_login import current_user

from lms import exports
from lms.extensions import db
from lms.models import Cohort, Course
from lms.permissions import can, require


@dataclass(frozen=True)
class ReportRules:
    """A report's permission actions, on the whole course and on one cohort, and what the API
    says when each refuses."""

    course: str
    cohort: str
    course_refused: str
    cohort_refused: str


SURVEY = ReportRules("survey.report", "survey.cohort_report",
                     "Only the course's instructors see its survey results.",
                     "Only the cohort's supervisors see its results.")  # fmt: skip
GAIN = ReportRules("gain.report", "gain.cohort_report",
                   "Only the course's instructors see its learning gain.",
                   "Only the cohort's supervisors see its gain.")  # fmt: skip


def course_cohort(course: Course, cohort_id: int) -> Cohort | None:
    """Return the course's cohort with this id, or None (also for another course's cohort)."""
    cohort = db.session.get(Cohort, cohort_id)
    return cohort if cohort is not None and cohort.course_id == course.id else None


def web_scope(course: Course, rules: ReportRules) -> Cohort | None:
    """Return the cohort asked for (?cohort=; None for the whole course) once the user may read it."""
    cohort_id = request.args.get("cohort", type=int)
    if cohort_id is None:
        require(rules.course, course)
        return None
    cohort = course_cohort(course, cohort_id)
    if cohort is None:
        abort(404)
    require(rules.cohort, cohort)
    return cohort


def render_report(
    template: str, course: Course, cohort: Cohort | None, rules: ReportRules, **context
):
    """Render a report page with the cohorts the user may pick and whether the whole course is one."""
    cohorts = db.session.scalars(db.select(Cohort).where(Cohort.course_id == course.id)
                                 .order_by(Cohort.starts_on, Cohort.id))  # fmt: skip
    return render_template(template, course=course, cohort=cohort,
                           cohorts=[c for c in cohorts if can(current_user, rules.cohort, c)],
                           whole_course=can(current_user, rules.course, course), **context)  # fmt: skip


def download(fmt: str, header: list[str], rows: list[list], sheet: str, name: str):
    """Send a report's table as CSV or XLSX (404 for another format); spaces in `name` become _."""
    if fmt not in exports.MEDIA_TYPES:
        abort(404)
    name = f"{name}.{fmt}".replace(" ", "_")
    if fmt == "csv":
        return exports.download(exports.to_csv(header, rows), fmt, name)
    return exports.download(exports.to_xlsx(sheet, header, rows), fmt, name)
