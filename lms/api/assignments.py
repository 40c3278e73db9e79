"""Assignments: your own submission, and for those who grade them the submissions and their grades.

The web's rules (`lms.assignments.service`): a learner sees only their own submission; the course's
instructors and admins, the learner's cohort coaches and facilitators and their mentor see and
grade it. Work is handed in as the web's form sends it: a multipart body with the text and the file.
"""

from __future__ import annotations

from typing import ClassVar

from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from lms.api.auth import api_user
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import (
    activity_for,
    authorize,
    check_id,
    course_for,
    deny,
    pretest_taken,
)
from lms.api.pagination import page_of
from lms.api.problems import ApiProblem
from lms.api.schemas import (
    GradeArgs,
    HandInArgs,
    PageArgs,
    SubmissionList,
    SubmissionOut,
)
from lms.assignments import service
from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, AssignmentSubmission


class MultipartParser(FlaskParser):
    """Reads a multipart body's fields and files as one set of arguments ("form_and_files")."""

    __location_map__: ClassVar[dict] = {
        **FlaskParser.__location_map__,
        "form_and_files": "load_form_and_files",
    }

    def load_form_and_files(self, req, schema):
        """Return the form's fields and files together."""
        return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)


class UploadBlueprint(Blueprint):
    """A blueprint whose operations may take a multipart body of fields and files."""

    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING: ClassVar[dict] = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "form_and_files": "multipart/form-data",
    }


bp = UploadBlueprint(
    "api_assignments",
    __name__,
    url_prefix="/api/v1/courses/<slug>/assignments/<module_key>/<activity_key>",
    description="Your assignment submissions; the submissions you grade, and their grades.",
)


def _assignment(slug: str, module_key: str, activity_key: str) -> Activity:
    return activity_for(
        course_for(slug, api_user()), module_key, activity_key, "assignment"
    )


def submission_out(submission: AssignmentSubmission) -> dict:
    """Return what the web shows of a submission: its text, its file's facts, its grade."""
    file = None
    if submission.file_path:
        file = {"name": submission.file_name, "type": submission.file_type,
                "size": submission.file_size}  # fmt: skip
    return {
        "id": submission.id,
        "text": submission.text,
        "file": file,
        "submitted_at": submission.submitted_at,
        "outcome": submission.outcome,
        "comment": submission.comment,
        "graded_at": submission.graded_at,
    }


@bp.route("/submission")
class OwnSubmission(MethodView):
    @bp.response(200, SubmissionOut)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="getSubmission")
    def get(self, slug, module_key, activity_key):
        """Show the work you handed in and its grade.

        Needs a token and an enrollment in the course.
        """
        activity = _assignment(slug, module_key, activity_key)
        submission = service.current_submission(api_user().id, activity.id)
        if submission is None:
            raise ApiProblem("not-found", "You have not handed in this assignment.")
        return submission_out(submission)

    @bp.arguments(HandInArgs, location="form_and_files")
    @bp.response(200, SubmissionOut)
    @problems_documented(bp, 401, 403, 404, 413, 429)
    @bp.doc(operationId="handInSubmission")
    def put(self, args, slug, module_key, activity_key):
        """Hand in your work, or hand it in again until it is graded passed.

        A multipart body with `text`, `file` or both, as the web's form. A new hand-in clears the
        grade (the old one stays in the submission's history); a refused one (a file type the
        assignment does not accept, a file too large, nothing to hand in, work already passed)
        changes nothing and answers 422 `submission-refused`.
        """
        activity = _assignment(slug, module_key, activity_key)
        user = api_user()
        enrollment = progress.get_enrollment(user.id, activity.course_id)
        pretest_taken(user, activity.course, enrollment, activity)
        authorize(user, "activity.submit", activity, enrollment,
                  detail="Enroll in the course before handing in its assignments.")  # fmt: skip
        upload, data = args.get("file"), None
        if upload is not None and upload.filename:
            data = upload.read(activity.spec["max_size_mb"] * 1024 * 1024 + 1)
        try:
            submission = service.submit(user.id, activity, args["text"], data,
                                        upload.filename if data else None)  # fmt: skip
        except service.SubmissionError as exc:
            raise ApiProblem("submission-refused", str(exc)) from exc
        return submission_out(submission)


@bp.route("/submissions")
class Submissions(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, SubmissionList)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="listSubmissions")
    def get(self, args, slug, module_key, activity_key):
        """List the submissions you may grade: ungraded first, then by when they came in.

        For the course's instructors and admins.
        """
        activity = _assignment(slug, module_key, activity_key)
        user = api_user()
        if not service.is_grader(user, activity):
            deny(user, "Only those who grade this assignment see its submissions.")
        page = page_of(service.submissions_to_grade(user, activity), args)
        page["items"] = [
            {**submission_out(submission), "learner": {"name": learner.name, "nip": learner.nip}}
            for submission, learner in page["items"]
        ]  # fmt: skip
        return page


@bp.route("/submissions/<int:submission_id>/grade")
class Grade(MethodView):
    @bp.arguments(GradeArgs)
    @bp.response(200, SubmissionOut)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="gradeSubmission")
    def post(self, args, slug, module_key, activity_key, submission_id):
        """Grade a submission passed (which completes the activity) or to revise, with a comment.

        For the course's instructors and admins. To revise lets the learner hand in again.
        """
        activity = _assignment(slug, module_key, activity_key)
        check_id(submission_id, "submission")
        submission = db.session.get(AssignmentSubmission, submission_id)
        if submission is None or submission.activity_id != activity.id:
            raise ApiProblem(
                "not-found", f"This assignment has no submission {submission_id}."
            )
        user = api_user()
        if not service.may_grade(user, submission):
            deny(user, "Only those who grade this learner's work may grade it.")
        service.grade(submission, args["outcome"], args["comment"], user.id)
        return submission_out(submission)
