"""The shapes of the API's requests and answers: one marshmallow schema validates and documents each."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from lms.assessment.regrade import REGRADE_OPTIONS
from lms.assignments.service import MAX_TEXT
from lms.cohorts.report import STATUSES

#: The most items one page of any list may hold.
MAX_PER_PAGE = 100


class PageArgs(Schema):
    """`page` and `per_page` of every list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE)
    )


class Page(Schema):
    """The pagination facts of a list answer."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(
        required=True, metadata={"description": "Items in all pages"}
    )
    pages = fields.Integer(required=True)


class Problem(Schema):
    """An RFC 9457 problem: `type` is stable per kind of error, `detail` says what happened."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        metadata={"description": "Validation errors by location and field"}
    )


class CourseSummary(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    category = fields.String(required=True)
    audience = fields.String(required=True)
    language = fields.String(required=True)
    jp = fields.Integer(
        required=True, metadata={"description": "Learning hours earned"}
    )
    minutes = fields.Integer(required=True)
    cohort_based = fields.Boolean(required=True)
    activities = fields.Integer(required=True)
    enrolled = fields.Boolean(required=True)
    percent = fields.Integer(required=True)


class CourseList(Page):
    items = fields.List(fields.Nested(CourseSummary), required=True)


class OutlineActivity(Schema):
    key = fields.String(
        required=True, metadata={"description": "module-key/activity-key"}
    )
    title = fields.String(required=True)
    type = fields.String(required=True)
    minutes = fields.Integer(required=True)
    completed_at = fields.DateTime(required=True, allow_none=True)
    visited = fields.Boolean(required=True)


class OutlineModule(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    activities = fields.List(fields.Nested(OutlineActivity), required=True)


class CourseDetail(CourseSummary):
    description_html = fields.String(required=True)
    objectives = fields.List(fields.String(), required=True)
    modules = fields.List(fields.Nested(OutlineModule), required=True)


class EnrollmentOut(Schema):
    course = fields.String(required=True, metadata={"description": "The course's slug"})
    title = fields.String(required=True)
    enrolled_at = fields.DateTime(required=True)
    completed_activities = fields.Integer(required=True)
    activities = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    last_activity_at = fields.DateTime(required=True, allow_none=True)
    completed_at = fields.DateTime(required=True, allow_none=True)


class EnrollmentList(Page):
    items = fields.List(fields.Nested(EnrollmentOut), required=True)


class EnrollArgs(Schema):
    course = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The slug of the course to enroll in"},
    )


class ProgressActivity(OutlineActivity):
    score = fields.Float(
        required=True, allow_none=True, metadata={"description": "Percent, for quizzes"}
    )


class ProgressOut(Schema):
    course = fields.String(required=True)
    enrolled_at = fields.DateTime(required=True)
    completed_activities = fields.Integer(required=True)
    activities = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    completed_at = fields.DateTime(required=True, allow_none=True)
    items = fields.List(fields.Nested(ProgressActivity), required=True)


class CompletionOut(Schema):
    activity = fields.String(required=True)
    completed = fields.Boolean(required=True)
    newly_completed = fields.Boolean(
        required=True, metadata={"description": "False when it was already complete"}
    )
    course_percent = fields.Integer(required=True)
    course_completed_at = fields.DateTime(required=True, allow_none=True)


class AttemptSummary(Schema):
    number = fields.Integer(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf(["in_progress", "graded", "needs_grading"]),
    )
    started_at = fields.DateTime(required=True)
    deadline_at = fields.DateTime(required=True, allow_none=True)
    submitted_at = fields.DateTime(required=True, allow_none=True)
    late = fields.Boolean(required=True)
    score = fields.Float(required=True, allow_none=True)
    passed = fields.Boolean(required=True, allow_none=True)


class AttemptList(Page):
    items = fields.List(fields.Nested(AttemptSummary), required=True)
    attempts_left = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: unlimited"}
    )


class AttemptQuestion(Schema):
    view = fields.Dict(
        required=True,
        metadata={
            "description": "The question as the learner sees it: no answers, no feedback"
        },
    )
    answer = fields.Raw(
        required=True,
        allow_none=True,
        metadata={"description": "The answer saved so far (null: none)"},
    )


class AttemptOut(AttemptSummary):
    questions = fields.List(fields.Nested(AttemptQuestion), required=True)


class AnswerArgs(Schema):
    answer = fields.Raw(
        required=True,
        allow_none=True,
        metadata={
            "description": "A choice id, a list of choice ids, true/false, a text or a number as "
            "text, or an object of matching pair id → answer text"
        },
    )


class AnswerOut(Schema):
    question = fields.String(required=True)
    saved = fields.Boolean(required=True)


class ReviewQuestion(Schema):
    key = fields.String(required=True)
    view = fields.Dict(required=True)
    answer = fields.Raw(required=True, allow_none=True)
    fraction = fields.Float(required=True, allow_none=True)
    comment = fields.String(required=True)
    right_answer = fields.String(
        required=True,
        metadata={"description": "Empty unless the quiz shows answers now"},
    )
    feedback_html = fields.List(fields.String(), required=True, allow_none=True)
    general_feedback_html = fields.String(required=True)


class ReviewOut(AttemptSummary):
    answers_shown = fields.Boolean(required=True)
    questions = fields.List(fields.Nested(ReviewQuestion), required=True)


class Learner(Schema):
    """Who made an attempt, as the web's results page shows them (no email)."""

    name = fields.String(required=True)
    nip = fields.String(required=True, allow_none=True)


class QuizResult(AttemptSummary):
    """One learner's attempt, as the quiz's instructors see it."""

    id = fields.Integer(
        required=True, metadata={"description": "The attempt's id, to grade it"}
    )
    learner = fields.Nested(Learner, required=True)


class HandGradeArgs(Schema):
    question = fields.String(required=True, validate=validate.Length(min=1, max=100))
    percent = fields.Float(
        required=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "The question's mark, 0 to 100"},
    )
    comment = fields.String(load_default="", validate=validate.Length(max=10_000))


class QuizResultList(Page):
    items = fields.List(fields.Nested(QuizResult), required=True)


class OptionCount(Schema):
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class QuestionStatistics(Schema):
    key = fields.String(required=True)
    type = fields.String(required=True)
    attempts = fields.Integer(
        required=True,
        metadata={"description": "Graded attempts that showed the question"},
    )
    facility = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Mean score on the question, in percent"},
    )
    discrimination = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "Correlation x100 of the question's score with the rest of the "
            "quiz; null when undefined (fewer than two attempts, or no spread)"
        },
    )
    options = fields.List(
        fields.Nested(OptionCount),
        required=True,
        metadata={"description": "The answers given, most given first (at most 12)"},
    )


class QuizStatistics(Schema):
    questions = fields.List(fields.Nested(QuestionStatistics), required=True)


class RegradeArgs(Schema):
    question = fields.String(required=True, validate=validate.Length(min=1, max=120))
    option = fields.String(
        required=True,
        validate=validate.OneOf(REGRADE_OPTIONS),
        metadata={
            "description": "full_credit: everyone gets the question's marks; old_or_new: the "
            "better of the old and the fixed question's marks; new_only: the fixed question's"
        },
    )


class Regrade(Schema):
    id = fields.Integer(required=True)
    question = fields.String(required=True)
    option = fields.String(required=True)
    at = fields.DateTime(required=True)
    attempts_changed = fields.Integer(required=True)


class RegradeList(Schema):
    regrades = fields.List(fields.Nested(Regrade), required=True)


class SubmittedFile(Schema):
    name = fields.String(required=True)
    type = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "Bytes"})


class SubmissionOut(Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)
    file = fields.Nested(SubmittedFile, required=True, allow_none=True)
    submitted_at = fields.DateTime(required=True)
    outcome = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(["passed", "revise"]),
        metadata={"description": "null until graded"},
    )
    comment = fields.String(required=True)
    graded_at = fields.DateTime(required=True, allow_none=True)


class GradedSubmission(SubmissionOut):
    learner = fields.Nested(Learner, required=True)


class SubmissionList(Page):
    items = fields.List(fields.Nested(GradedSubmission), required=True)


class HandInArgs(Schema):
    text = fields.String(
        load_default="",
        validate=validate.Length(max=MAX_TEXT),
        metadata={"description": "Your answer in words (may be empty with a file)"},
    )
    file = Upload(
        metadata={
            "description": "Your file; its type is judged by its content and must be one the "
            "assignment accepts. Without one, a file handed in before is kept."
        },
    )


class GradeArgs(Schema):
    outcome = fields.String(
        required=True, validate=validate.OneOf(["passed", "revise"])
    )
    comment = fields.String(load_default="", validate=validate.Length(max=10_000))


class CohortSummary(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    course = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    members = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    expected_percent = fields.Integer(required=True)
    on_track = fields.Integer(required=True)
    behind = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    completed = fields.Integer(required=True)


class CohortList(Page):
    items = fields.List(fields.Nested(CohortSummary), required=True)


class MemberArgs(PageArgs):
    unit = fields.Integer(
        validate=validate.Range(min=1), metadata={"description": "Work unit id"}
    )
    status = fields.String(validate=validate.OneOf(STATUSES))


class QuizScore(Schema):
    activity = fields.String(required=True)
    score = fields.Float(required=True)


class MemberOut(Schema):
    user_id = fields.Integer(required=True)
    name = fields.String(required=True)
    nip = fields.String(required=True, allow_none=True)
    email = fields.String(required=True)
    unit_id = fields.Integer(required=True, allow_none=True)
    unit_name = fields.String(required=True)
    done = fields.Integer(required=True)
    total = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    behind = fields.Boolean(required=True)
    last_active = fields.DateTime(required=True, allow_none=True)
    completed_at = fields.DateTime(required=True, allow_none=True)
    quiz_scores = fields.List(fields.Nested(QuizScore), required=True)


class MemberList(Page):
    cohort = fields.Nested(CohortSummary, required=True)
    items = fields.List(fields.Nested(MemberOut), required=True)


class LedgerArgs(PageArgs):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class JpRecordOut(Schema):
    id = fields.Integer(required=True)
    source = fields.String(
        required=True, validate=validate.OneOf(["course", "external"])
    )
    course = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    provider = fields.String(required=True)
    hours = fields.Float(required=True)
    earned_on = fields.Date(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["approved", "pending", "rejected"]),
        metadata={"description": "only approved records count in jp_total"},
    )


class LedgerOut(Page):
    year = fields.Integer(required=True)
    jp_total = fields.Float(required=True)
    target = fields.Integer(required=True)
    remaining = fields.Float(required=True)
    percent = fields.Integer(required=True)
    items = fields.List(fields.Nested(JpRecordOut), required=True)


class CertificateVerification(Schema):
    code = fields.String(required=True)
    valid = fields.Boolean(required=True)
    issuer = fields.String(required=True)
    learner_name = fields.String(required=True)
    nip = fields.String(required=True, allow_none=True)
    course_title = fields.String(required=True)
    jp = fields.Float(required=True)
    completed_on = fields.Date(required=True)
    revoked_at = fields.DateTime(required=True, allow_none=True)


class Me(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    nip = fields.String(required=True, allow_none=True)
    roles = fields.List(fields.String(), required=True)
    token_scope = fields.String(
        required=True, validate=validate.OneOf(["read", "write"])
    )
