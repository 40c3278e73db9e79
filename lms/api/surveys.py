"""A survey's results as aggregates (never an anonymous survey's single answers), as its report page."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import MAX_ID, activity_for, course_for, report_cohort
from lms.reports import SURVEY
from lms.surveys.results import survey_results

bp = Blueprint(
    "api_surveys",
    __name__,
    url_prefix="/api/v1/courses/<slug>/surveys/<module_key>/<activity_key>",
    description="A survey's results for its course's instructors, and per cohort for the "
    "cohort's supervisors: counts and means; an anonymous survey's only past its minimum.",
)


class SurveyResultsArgs(Schema):
    cohort = fields.Integer(validate=validate.Range(min=1, max=MAX_ID), metadata={"description": "Only this cohort's answers"})  # fmt: skip


class SurveyAnswerCount(Schema):
    answer = fields.String(required=True)
    count = fields.Integer(required=True)


class SurveyText(Schema):
    text = fields.String(required=True)
    count = fields.Integer(required=True)


class SurveyFacilitator(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class SurveyQuestionResult(Schema):
    key = fields.String(required=True)
    type = fields.String(required=True)
    text = fields.String(required=True)
    facilitator = fields.Nested(SurveyFacilitator, allow_none=True, required=True)
    shown = fields.Boolean(required=True, metadata={"description": "False when too few answered about this facilitator"})  # fmt: skip
    count = fields.Integer(
        required=True, metadata={"description": "Respondents who answered"}
    )
    mean = fields.Float(allow_none=True, required=True)
    distribution = fields.List(fields.Nested(SurveyAnswerCount), required=True)
    texts = fields.List(fields.Nested(SurveyText), metadata={"description": "Each distinct free text with how many wrote it, alphabetical (not for an anonymous survey)"})  # fmt: skip


class SurveyResults(Schema):
    title = fields.String(required=True)
    anonymous = fields.Boolean(required=True)
    min_responses = fields.Integer(required=True)
    cohort = fields.Integer(allow_none=True, required=True)
    respondents = fields.Integer(required=True)
    shown = fields.Boolean(required=True, metadata={"description": "False for an anonymous survey with fewer respondents than min_responses"})  # fmt: skip
    questions = fields.List(fields.Nested(SurveyQuestionResult), required=True)


@bp.route("/results")
class Results(MethodView):
    @bp.arguments(SurveyResultsArgs, location="query")
    @bp.response(200, SurveyResults)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="getSurveyResults")
    def get(self, args, slug, module_key, activity_key):
        """Count the survey's answers: each question's distribution, mean and count.

        For the course's instructors and admins, and with `cohort` for that cohort's supervisors.
        An anonymous survey shows nothing below its `min_responses` and never its free texts.
        """
        user = api_user()
        course = course_for(slug, user)
        cohort = report_cohort(user, course, args.get("cohort"), SURVEY)
        activity = activity_for(course, module_key, activity_key, "survey")
        return results_out(
            survey_results(activity, cohort.id if cohort else None), cohort
        )


def results_out(results, cohort) -> dict:
    """Return the results as the API gives them: an anonymous survey's free texts never leave."""
    settings = results.activity.spec["settings"]
    questions = []
    for item in results.questions:
        out = {"key": item.question["key"], "type": item.question["type"], "text": item.question["text"],
               "facilitator": {"id": item.facilitator[0], "name": item.facilitator[1]} if item.facilitator else None,
               "shown": item.shown, "count": item.count, "mean": item.mean,
               "distribution": [{"answer": label, "count": n} for label, n in item.distribution]}  # fmt: skip
        if not settings["anonymous"]:
            out["texts"] = [{"text": text, "count": n} for text, n in item.texts]
        questions.append(out)
    return {"title": results.activity.title, "anonymous": settings["anonymous"],
            "min_responses": settings["min_responses"], "cohort": cohort.id if cohort else None,
            "respondents": results.respondents, "shown": results.shown, "questions": questions}  # fmt: skip
