"""All models, re-exported so that Alembic and the app see every table."""

from lms.models.course import Activity, Course, CourseStaff, Module
from lms.models.progress import ActivityProgress, Enrollment, JpRecord
from lms.models.quiz import AttemptScoreChange, QuizAttempt, QuizRegrade, QuizResponse
from lms.models.user import ROLE_NAMES, Role, User, WorkUnit, user_roles

__all__ = [
    "ROLE_NAMES",
    "Activity",
    "ActivityProgress",
    "AttemptScoreChange",
    "Course",
    "CourseStaff",
    "Enrollment",
    "JpRecord",
    "Module",
    "QuizAttempt",
    "QuizRegrade",
    "QuizResponse",
    "Role",
    "User",
    "WorkUnit",
    "user_roles",
]
