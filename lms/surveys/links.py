"""Where a course's evaluation is reported: the links of the cohort page."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from lms.gain.course_tests import course_tests
from lms.learn.lookup import key_url
from lms.models import Cohort
from lms.permissions import can


def cohort_evaluation(cohort: Cohort, user, activities) -> list[tuple[str, str]]:
    """Return (label, address) of the survey reports the user may read for the cohort.

    `activities` are the course's current activities as the cohort report has them (kept).
    """
    whole = can(user, "survey.cohort_report", cohort)
    mine = not whole and can(user, "survey.own_results", cohort.course)
    if not (whole or mine):
        return []
    surveys = [(a.title, a.key) for a in activities if a.type == "survey"]
    slug = cohort.course.slug
    if whole:
        links = [(_("Survey results: %(title)s", title=title), key_url(slug, key, "surveys.report", cohort=cohort.id))
                 for title, key in surveys]  # fmt: skip
        tests = course_tests(cohort.course)
        if tests.pretest and tests.posttest:
            links.append((_("Learning gain (pre-test and post-test)"), url_for("gain.report", slug=slug, cohort=cohort.id)))  # fmt: skip
        return links
    return [(_("What learners said about you: %(title)s", title=title), key_url(slug, key, "surveys.mine"))
            for title, key in surveys]  # fmt: skip
