"""The learning-gain report of a course or a cohort, and its downloads."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import exports
from lms.cohorts.charts import unit_progress_chart
from lms.extensions import db
from lms.gain.report import GainReport, gain_report
from lms.learn.lookup import course_or_404
from lms.models import Cohort, Course
from lms.permissions import can, require
from lms.surveys.charts import gain_chart

bp = Blueprint("gain", __name__)


def _scope(slug: str) -> tuple[Course, Cohort | None]:
    """Return the course and the cohort asked for (?cohort=), once the user may see their gain."""
    course = course_or_404(slug)
    cohort_id = request.args.get("cohort", type=int)
    if cohort_id is None:
        require("gain.report", course)
        return course, None
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.course_id != course.id:
        abort(404)
    require("gain.cohort_report", cohort)
    return course, cohort


@bp.get("/courses/<slug>/learning-gain")
@login_required
def report(slug: str):
    """Show each learner's pretest and posttest score and gain, the mean gain and its spread."""
    course, cohort = _scope(slug)
    result = gain_report(course, cohort.id if cohort else None)
    gains = [row.gain for row in result.learners if row.gain is not None]
    cohorts = [c for c in db.session.scalars(db.select(Cohort).where(Cohort.course_id == course.id)
               .order_by(Cohort.starts_on, Cohort.id)) if can(current_user, "gain.cohort_report", c)]  # fmt: skip
    return render_template("gain/report.html", course=course, cohort=cohort, cohorts=cohorts, result=result,
                           chart=gain_chart(gains, _("Learners by normalised gain")),
                           unit_chart=unit_progress_chart([(u.unit_name, max(0, round(100 * u.gain))) for u in result.units
                                                           if u.gain is not None], _("Mean gain per work unit (percent)")),
                           whole_course=can(current_user, "gain.report", course))  # fmt: skip


def gain_table(result: GainReport) -> tuple[list[str], list[list]]:
    """Return (header, rows) of the page's learners, then its work units and the overall mean."""
    header = [_("Name"), "NIP", _("Work unit"), _("Pre-test"), _("Post-test"), _("Normalised gain"), _("Learners with a gain")]  # fmt: skip
    rows = [
        [r.name, r.nip, r.unit_name, r.pre, r.post, r.gain, r.count]
        for r in result.learners
    ]
    rows += [
        [_("Work unit mean"), None, r.unit_name, r.pre, r.post, r.gain, r.count]
        for r in result.units
    ]
    o = result.overall
    rows.append([_("Mean"), None, None, o.pre, o.post, o.gain, o.count])
    return header, rows


@bp.get("/courses/<slug>/learning-gain.<fmt>")
@login_required
def export(slug: str, fmt: str):
    """Download the page's numbers as CSV or XLSX."""
    course, cohort = _scope(slug)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    header, rows = gain_table(gain_report(course, cohort.id if cohort else None))
    name = f"{cohort.name if cohort else course.slug}-learning-gain.{fmt}".replace(
        " ", "_"
    )
    if fmt == "csv":
        return exports.download(exports.to_csv(header, rows), fmt, name)
    return exports.download(
        exports.to_xlsx(_("Learning gain"), header, rows), fmt, name
    )
