"""The learning-gain report of a course or a cohort, and its downloads."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import login_required

from lms.cohorts.charts import unit_progress_chart
from lms.gain.report import GainReport, gain_report
from lms.learn.lookup import course_or_404
from lms.reports import GAIN, download, render_report, web_scope
from lms.surveys.charts import gain_chart

bp = Blueprint("gain", __name__)


@bp.get("/courses/<slug>/learning-gain")
@login_required
def report(slug: str):
    """Show each learner's pretest and posttest score and gain, the mean gain and its spread."""
    course = course_or_404(slug)
    cohort = web_scope(course, GAIN)
    result = gain_report(course, cohort.id if cohort else None)
    gains = [row.gain for row in result.learners if row.gain is not None]
    units = [
        (u.unit_name, max(0, round(100 * u.gain)))
        for u in result.units
        if u.gain is not None
    ]
    return render_report("gain/report.html", course, cohort, GAIN, result=result,
                         chart=gain_chart(gains, _("Learners by normalised gain")),
                         unit_chart=unit_progress_chart(units, _("Mean gain per work unit (percent)")))  # fmt: skip


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
    course = course_or_404(slug)
    cohort = web_scope(course, GAIN)
    header, rows = gain_table(gain_report(course, cohort.id if cohort else None))
    name = f"{cohort.name if cohort else course.slug}-learning-gain"
    return download(fmt, header, rows, _("Learning gain"), name)
