"""Finding the objects a request names and checking them through lms.permissions, as the web does."""

from __future__ import annotations

from lms.api.problems import ApiProblem
from lms.learn.lookup import find_activity, find_course
from lms.models import Activity, Course
from lms.permissions import can, pretest_due

#: The largest id or number a database integer column holds everywhere (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1


def check_id(value: int, what: str) -> int:
    """Stop with 404 for an id no row can have (larger than the database's integers)."""
    if not 0 < value <= MAX_ID:
        raise ApiProblem("not-found", f"There is no {what} {value}.")
    return value


def deny(user, detail: str = "You may not do this.") -> None:
    """Refuse: 401 for a caller without a token, 403 for one whose user may not."""
    if not user.is_authenticated:
        raise ApiProblem("unauthorized", "Send a personal API token as a bearer token.")
    raise ApiProblem("forbidden", detail)


def authorize(user, action: str, obj=None, enrollment=None, detail: str = "") -> None:
    """Go on only if lms.permissions allows `action` on `obj` for `user`."""
    if not can(user, action, obj, enrollment):
        deny(user, detail or "You may not do this.")


def course_for(slug: str, user) -> Course:
    """Return the course with this slug that the user may see, or stop with 404/401/403."""
    course = find_course(slug)
    if course is None:
        raise ApiProblem("not-found", f"There is no course {slug!r}.")
    authorize(user, "course.view", course, detail="You may not see this course.")
    return course


def activity_for(
    course: Course, module_key: str, activity_key: str, kind: str | None = None
) -> Activity:
    """Return the course's activity `module_key/activity_key` (of type `kind`), or stop with 404."""
    activity = find_activity(course, module_key, activity_key, kind)
    if activity is None:
        what = f"{kind} " if kind else "activity "
        raise ApiProblem(
            "not-found", f"The course has no {what}{module_key}/{activity_key}."
        )
    return activity


def pretest_taken(
    user, course: Course, enrollment, activity: Activity | None = None
) -> None:
    """Stop with 403 while the learner owes the course's pretest (see `pretest_due`)."""
    pretest = pretest_due(user, course, enrollment, activity)
    if pretest is not None:
        raise ApiProblem(
            "pretest-first",
            f"Take the course's pretest ({pretest}) before the rest of the course.",
            pretest=pretest,
        )


def report_cohort(user, course: Course, cohort_id: int | None, rules):
    """Return the cohort a report is asked for (None: the whole course) once `user` may read it
    under `rules` (lms.reports.ReportRules); 404 for a cohort the course does not have."""
    from lms.reports import course_cohort

    if cohort_id is None:
        authorize(user, rules.course, course, detail=rules.course_refused)
        return None
    cohort = course_cohort(course, cohort_id)
    if cohort is None:
        raise ApiProblem("not-found", f"The course has no cohort {cohort_id}.")
    authorize(user, rules.cohort, cohort, detail=rules.cohort_refused)
    return cohort
