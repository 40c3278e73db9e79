"""All models, re-exported so that Alembic and the app see every table."""

from lms.models.assignment import AssignmentSubmission
from lms.models.authoring import ActivityRevision, CourseImage
from lms.models.certificate import Certificate, PasswordToken
from lms.models.cohort import (
    STAFF_ROLES,
    Cohort,
    CohortModuleDue,
    CohortStaff,
    OutgoingEmail,
    Reminder,
)
from lms.models.course import Activity, Course, CourseStaff, Module
from lms.models.progress import ActivityProgress, Enrollment, JpRecord
from lms.models.quiz import AttemptScoreChange, QuizAttempt, QuizRegrade, QuizResponse
from lms.models.user import ROLE_NAMES, Role, User, WorkUnit, user_roles

__all__ = [
    "ROLE_NAMES",
    "STAFF_ROLES",
    "Activity",
    "ActivityProgress",
    "ActivityRevision",
    "AssignmentSubmission",
    "AttemptScoreChange",
    "Certificate",
    "Cohort",
    "CohortModuleDue",
    "CohortStaff",
    "Course",
    "CourseImage",
    "CourseStaff",
    "Enrollment",
    "JpRecord",
    "Module",
    "OutgoingEmail",
    "PasswordToken",
    "QuizAttempt",
    "QuizRegrade",
    "QuizResponse",
    "Reminder",
    "Role",
    "User",
    "WorkUnit",
    "user_roles",
]
