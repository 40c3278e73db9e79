"""All models, re-exported so that Alembic and the app see every table."""

from lms.models.api_token import TOKEN_SCOPES, ApiToken
from lms.models.assignment import AssignmentSubmission
from lms.models.audit import AuditEvent
from lms.models.authoring import ActivityRevision, CourseImage
from lms.models.certificate import Certificate, CertificateSettings, PasswordToken
from lms.models.cohort import (
    STAFF_ROLES,
    Cohort,
    CohortModuleDue,
    CohortStaff,
    OutgoingEmail,
    Reminder,
)
from lms.models.course import Activity, Course, CourseStaff, Module
from lms.models.discussion import (
    EMAIL_MODES,
    DiscussionNotice,
    DiscussionPost,
    DiscussionPreference,
    DiscussionThread,
    PostReport,
    PostRevision,
    ThreadFollow,
    ThreadRead,
)
from lms.models.job import Job, ScheduledRun
from lms.models.lti import (
    LtiContext,
    LtiGradeLink,
    LtiIdentity,
    LtiLogin,
    LtiPendingLink,
    LtiPlatform,
    LtiScore,
    LtiToolKey,
)
from lms.models.progress import ActivityProgress, Enrollment, JpRecord
from lms.models.quiz import AttemptScoreChange, QuizAttempt, QuizRegrade, QuizResponse
from lms.models.survey import SurveyAnswer, SurveyCompletion, SurveyResponse
from lms.models.user import ROLE_NAMES, Role, User, UserSession, WorkUnit, user_roles
from lms.models.xapi import XapiStatement

__all__ = [
    "EMAIL_MODES",
    "ROLE_NAMES",
    "STAFF_ROLES",
    "TOKEN_SCOPES",
    "Activity",
    "ActivityProgress",
    "ActivityRevision",
    "ApiToken",
    "AssignmentSubmission",
    "AttemptScoreChange",
    "AuditEvent",
    "Certificate",
    "CertificateSettings",
    "Cohort",
    "CohortModuleDue",
    "CohortStaff",
    "Course",
    "CourseImage",
    "CourseStaff",
    "DiscussionNotice",
    "DiscussionPost",
    "DiscussionPreference",
    "DiscussionThread",
    "Enrollment",
    "Job",
    "JpRecord",
    "LtiContext",
    "LtiGradeLink",
    "LtiIdentity",
    "LtiLogin",
    "LtiPendingLink",
    "LtiPlatform",
    "LtiScore",
    "LtiToolKey",
    "Module",
    "OutgoingEmail",
    "PasswordToken",
    "PostReport",
    "PostRevision",
    "QuizAttempt",
    "QuizRegrade",
    "QuizResponse",
    "Reminder",
    "Role",
    "ScheduledRun",
    "SurveyAnswer",
    "SurveyCompletion",
    "SurveyResponse",
    "ThreadFollow",
    "ThreadRead",
    "User",
    "UserSession",
    "WorkUnit",
    "XapiStatement",
    "user_roles",
]
