"""A course's learning gain (pretest and posttest) as its report page shows it."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import course_for, report_cohort
from lms.api.surveys import SurveyResultsArgs
from lms.gain.report import gain_report
from lms.reports import GAIN

bp = Blueprint(
    "api_gain",
    __name__,
    url_prefix="/api/v1/courses/<slug>/learning-gain",
    description="Each learner's pretest and posttest score and normalised gain, the means per "
    "work unit and overall: for the course's instructors, and per cohort for its supervisors.",
)


class GainFigures(Schema):
    name = fields.String(required=True)
    nip = fields.String(allow_none=True)
    work_unit = fields.String(required=True)
    pre = fields.Float(
        allow_none=True, required=True, metadata={"description": "Percent"}
    )
    post = fields.Float(
        allow_none=True, required=True, metadata={"description": "Percent"}
    )
    gain = fields.Float(allow_none=True, required=True, metadata={"description": "(post − pre) / (100 − pre); null when pre is 100 or a test is missing"})  # fmt: skip
    count = fields.Integer(
        required=True, metadata={"description": "Learners whose gain is defined"}
    )


class LearningGain(Schema):
    cohort = fields.Integer(allow_none=True, required=True)
    pretest = fields.String(
        allow_none=True, required=True, metadata={"description": "The pretest's key"}
    )
    posttest = fields.String(
        allow_none=True, required=True, metadata={"description": "The posttest's key"}
    )
    overall = fields.Nested(GainFigures, required=True)
    work_units = fields.List(fields.Nested(GainFigures), required=True)
    learners = fields.List(fields.Nested(GainFigures), required=True)


def _figures(row) -> dict:
    return {"name": row.name, "nip": row.nip, "work_unit": row.unit_name, "pre": row.pre, "post": row.post,
            "gain": row.gain, "count": row.count}  # fmt: skip


@bp.route("")
class Gain(MethodView):
    @bp.arguments(SurveyResultsArgs, location="query")
    @bp.response(200, LearningGain)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="getLearningGain")
    def get(self, args, slug):
        """Count the course's (or a cohort's) pretest and posttest scores and normalised gains.

        Each learner's gain is (post − pre) / (100 − pre), undefined when the pretest is 100; with
        `cohort`, for that cohort's supervisors too.
        """
        user = api_user()
        course = course_for(slug, user)
        cohort = report_cohort(user, course, args.get("cohort"), GAIN)
        result = gain_report(course, cohort.id if cohort else None)
        return {"cohort": cohort.id if cohort else None,
                "pretest": result.tests.pretest[1] if result.tests.pretest else None,
                "posttest": result.tests.posttest[1] if result.tests.posttest else None,
                "overall": _figures(result.overall), "work_units": [_figures(u) for u in result.units],
                "learners": [_figures(r) for r in result.learners]}  # fmt: skip
