"""Surveys: evaluation questionnaires (ratings, choices, texts), optionally anonymous."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.activities.base import ActivityType, ParsedActivity, SubmitResult
from lms.content.frontmatter import FieldSpec


class SurveyType(ActivityType):
    """A survey in the `.survey` text format; answering it completes it."""

    label = _l("Survey")
    suffixes = (".survey",)
    template = "surveys/activity.html"
    extra_fields: ClassVar[dict[str, FieldSpec]] = {
        "minutes": FieldSpec(int, default=10, minimum=0),
        "intro": FieldSpec(str, default=""),
        "anonymous": FieldSpec(bool, default=False),
        "min_responses": FieldSpec(int, default=5, minimum=1),
        #: Whether the course (and its certificate) waits for the learner's answers.
        "required": FieldSpec(bool, default=True),
    }

    def parse_body(
        self, path: str, meta: dict, body: str, first_line: int
    ) -> ParsedActivity:
        """Read the sections and questions; their texts stay plain (escaped where shown)."""
        from lms.surveys.format import parse_survey

        items = parse_survey(body, path, first_line)
        settings = {k: meta[k] for k in ("intro", "anonymous", "min_responses")}
        return ParsedActivity(
            title=meta["title"].strip(),
            minutes=meta["minutes"],
            spec={"settings": settings, "items": items},
            required=meta["required"],
        )

    def describe(self, parsed: ParsedActivity) -> dict[str, Any]:
        """List the survey's questions with their types."""
        return {
            "settings": parsed.spec["settings"],
            "required": parsed.required,
            "questions": [
                {"key": i["key"], "type": i["type"], "line": i["line"]}
                for i in parsed.spec["items"]
                if i["kind"] == "question"
            ],
        }

    def render(self, activity, progress, **context):
        """Show the questions (facilitator questions once per facilitator), or a thank-you."""
        from lms.permissions import can
        from lms.surveys.answers import Facilitator, facilitators_for, field_name

        example = Facilitator(0, _("each facilitator by name"), "facilitator")

        user = context.pop("user")
        enrollment = context.pop("enrollment", None)
        # Staff looking at it (the editor's preview) see a facilitator question once, as an example.
        people = (
            facilitators_for(user.id, activity.course_id) if enrollment else [example]
        )
        return super().render(activity, progress, people=people, field_name=field_name,
                              answered=bool(progress and progress.completed_at),
                              teacher=can(user, "survey.report", activity.course),
                              **context)  # fmt: skip

    def submit(self, activity, progress, form) -> SubmitResult:
        """Store the answers once; completing the survey is recorded apart from them."""
        from lms.surveys.answers import SurveyError, save_response

        if progress is None:
            return SubmitResult(completed=False, message=_("Open the survey first."))
        try:
            saved = save_response(activity, progress.user_id, form)
        except SurveyError as error:
            return SubmitResult(completed=False, message=str(error))
        if not saved:
            return SubmitResult(
                completed=False, message=_("You have already answered this survey.")
            )
        return SubmitResult(completed=True, message=_("Thank you for your answers."))
