"""Finding a course or an activity from its URL parts, for every blueprint that serves one."""

from __future__ import annotations

from flask import abort, url_for
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value

from lms.extensions import db
from lms.models import Activity, Course, Enrollment

#: Statements that run on most requests are built once, at import: building a `select()` and its
#: cache key costs more than running it on SQLite.
_COURSE_BY_SLUG = select(Course).where(Course.slug == bindparam("slug"))


_ACTIVITY_BY_KEY = select(Activity).where(
    Activity.course_id == bindparam("course_id"), Activity.key == bindparam("key")
)


def find_course(slug: str) -> Course | None:
    """Return the course with this slug, if there is one (permissions are the caller's)."""
    return db.session.scalar(_COURSE_BY_SLUG, {"slug": slug})


def find_activity(
    course: Course, module_key: str, activity_key: str, kind: str | None = None
) -> Activity | None:
    """Return the course's activity at `module_key/activity_key` (of type `kind`, if given)."""
    activity = db.session.scalar(
        _ACTIVITY_BY_KEY,
        {"course_id": course.id, "key": f"{module_key}/{activity_key}"},
    )
    if activity is None or (kind is not None and activity.type != kind):
        return None
    set_committed_value(activity, "course", course)  # no load, no change
    return activity


def course_or_404(slug: str) -> Course:
    """Return the course with this slug, or stop with 404 (permissions are the caller's)."""
    course = find_course(slug)
    if course is None:
        abort(404)
    return course


#: The enrollment, in the course it is joined to, of the user given as the parameter `user_id`.
ENROLLMENT_OF_USER = and_(
    Enrollment.course_id == Course.id, Enrollment.user_id == bindparam("user_id")
)

#: The course's activity at the key, joined to it.
_ACTIVITY_AT_KEY = and_(
    Activity.course_id == Course.id, Activity.key == bindparam("key")
)

#: The course and one of its activities, in one query (the quiz and assignment pages run it).
_COURSE_ACTIVITY = (
    select(Course, Activity)
    .outerjoin(Activity, _ACTIVITY_AT_KEY)
    .where(Course.slug == bindparam("slug"))
    .options(defer(Course.source))
)

#: The course, one of its activities and a user's enrollment, in one query (every activity page
#: runs it, so the statement is built once).
_COURSE_ACTIVITY_ENROLLMENT = (
    select(Course, Activity, Enrollment)
    .outerjoin(Activity, _ACTIVITY_AT_KEY)
    .outerjoin(Enrollment, ENROLLMENT_OF_USER)
    .where(Course.slug == bindparam("slug"))
    # The texts the page does not show stay in the database.
    .options(
        defer(Course.source), defer(Course.description_html), defer(Activity.source)
    )
)

#: The course and a user's enrollment in it, in one query, for the course page (which shows the
#: rendered description, not the source).
_COURSE_ENROLLMENT = (
    select(Course, Enrollment)
    .outerjoin(Enrollment, ENROLLMENT_OF_USER)
    .where(Course.slug == bindparam("slug"))
    .options(defer(Course.source))
)


def course_and_enrollment(
    slug: str, user_id: int | None
) -> tuple[Course | None, Enrollment | None]:
    """Return the course with this slug and the user's enrollment in it (each may be None)."""
    row = db.session.execute(
        _COURSE_ENROLLMENT, {"slug": slug, "user_id": user_id}
    ).one_or_none()
    return (None, None) if row is None else tuple(row)


def course_and_activity(
    slug: str, module_key: str, activity_key: str, kind: str
) -> tuple[Course | None, Activity | None]:
    """Return the course and its activity at `module_key/activity_key` if of type `kind` (one query).

    Either may be None; permissions are the caller's (check the course's before telling a missing
    activity apart).
    """
    row = db.session.execute(
        _COURSE_ACTIVITY, {"slug": slug, "key": f"{module_key}/{activity_key}"}
    ).one_or_none()
    if row is None:
        return None, None
    course, activity = row
    if activity is None or activity.type != kind:
        return course, None
    set_committed_value(activity, "course", course)  # no load, no change
    return course, activity


def course_activity_enrollment(
    slug: str, module_key: str, activity_key: str, user_id: int
) -> tuple[Course | None, Activity | None, Enrollment | None]:
    """Return the course, its activity at `module_key/activity_key` and the user's enrollment.

    One query for the three, as every activity page needs them (each may be None).
    """
    row = db.session.execute(
        _COURSE_ACTIVITY_ENROLLMENT,
        {"slug": slug, "key": f"{module_key}/{activity_key}", "user_id": user_id},
    ).one_or_none()
    if row is None:
        return None, None, None
    course, activity, enrollment = row
    if activity is not None:
        set_committed_value(activity, "course", course)  # no load, no change
    return course, activity, enrollment


def activity_url(activity: Activity, endpoint: str = "learn.activity", **values) -> str:
    """Return the URL of an activity's page (or of another endpoint taking the same parts)."""
    return key_url(activity.course.slug, activity.key, endpoint, **values)


def key_url(slug: str, key: str, endpoint: str = "learn.activity", **values) -> str:
    """Return the URL of the activity `key` (`module/activity`) of the course `slug`."""
    module_key, activity_key = key.split("/", 1)
    return url_for(
        endpoint, slug=slug, module_key=module_key, activity_key=activity_key, **values
    )


def pretest_redirect(
    course: Course, activity: Activity, enrollment: Enrollment | None, progress=None
):
    """Send a learner who has not taken the course's pretest to it (see `pretest_due`), or None."""
    from flask import flash, redirect
    from flask_babel import gettext as _
    from flask_login import current_user

    from lms.permissions import pretest_due

    pretest = pretest_due(current_user, course, enrollment, activity, progress)
    if pretest is None:
        return None
    flash(
        _("Take the pre-test first: it shows what you know before the course."), "info"
    )
    return redirect(key_url(course.slug, pretest))
