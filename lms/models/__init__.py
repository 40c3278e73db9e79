"""All models, re-exported so that Alembic and the app see every table."""

from lms.models.course import Activity, Course, Module
from lms.models.progress import ActivityProgress, Enrollment, JpRecord
from lms.models.user import ROLE_NAMES, Role, User, WorkUnit, user_roles

__all__ = [
    "ROLE_NAMES",
    "Activity",
    "ActivityProgress",
    "Course",
    "Enrollment",
    "JpRecord",
    "Module",
    "Role",
    "User",
    "WorkUnit",
    "user_roles",
]
