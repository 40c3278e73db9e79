"""Learning gain: each learner's pretest and posttest scores and normalised gain, counted in SQL.

The normalised gain is (post − pre) / (100 − pre): the share of what there was left to learn that
was learned. It is undefined when the pretest score is 100 (nothing was left) or a test is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.gain.course_tests import CourseTests, course_tests
from lms.models import ActivityProgress, Course, Enrollment, User, WorkUnit


@dataclass
class GainRow:
    """One learner, or one work unit (or everyone) averaged: scores in percent, gain from -∞ to 1."""

    name: str
    nip: str | None
    unit_name: str
    pre: float | None
    post: float | None
    gain: float | None
    #: Learners whose gain is defined (1 or 0 for one learner).
    count: int = 1


@dataclass
class GainReport:
    """A course's (or a cohort's) learning gain."""

    tests: CourseTests
    learners: list[GainRow]
    units: list[GainRow]
    overall: GainRow


def gain_report(
    course: Course, cohort_id: int | None = None, no_unit: str = "—"
) -> GainReport:
    """Count the scores and gains of the course's learners (of one cohort) in three queries."""
    tests = course_tests(course)
    pre, post = aliased(ActivityProgress), aliased(ActivityProgress)
    gain = case(
        (and_(pre.score.is_not(None), post.score.is_not(None), pre.score < 100),
         (post.score - pre.score) * literal(1.0) / (literal(100) - pre.score)),
        else_=None,
    )  # fmt: skip
    scope = [Enrollment.course_id == course.id]
    if cohort_id is not None:
        scope.append(Enrollment.cohort_id == cohort_id)

    def base(*columns):
        return (
            select(*columns)
            .select_from(Enrollment)
            .join(User, User.id == Enrollment.user_id)
            .outerjoin(WorkUnit, WorkUnit.id == User.work_unit_id)
            .outerjoin(pre, and_(pre.user_id == Enrollment.user_id, pre.activity_id == (tests.pretest or (-1,))[0]))
            .outerjoin(post, and_(post.user_id == Enrollment.user_id, post.activity_id == (tests.posttest or (-1,))[0]))
            .where(*scope)
        )  # fmt: skip

    learners = [
        GainRow(r.name, r.nip, r.unit or no_unit, _num(r.pre), _num(r.post), _num(r.gain), int(r.gain is not None))
        for r in db.session.execute(base(User.name, User.nip, WorkUnit.name.label("unit"), pre.score.label("pre"),
                                         post.score.label("post"), gain.label("gain")).order_by(User.name, User.id))
    ]  # fmt: skip
    means = (
        func.avg(pre.score),
        func.avg(post.score),
        func.avg(gain),
        func.count(gain),
    )
    units = [
        GainRow(unit or no_unit, None, unit or no_unit, _num(a), _num(b), _num(g), n)
        for unit, a, b, g, n in db.session.execute(base(WorkUnit.name, *means).group_by(WorkUnit.name).order_by(WorkUnit.name))
    ]  # fmt: skip
    a, b, g, n = db.session.execute(base(*means)).one()
    return GainReport(
        tests, learners, units, GainRow("", None, "", _num(a), _num(b), _num(g), n)
    )


def _num(value) -> float | None:
    """Return a figure rounded for showing (two decimals), or None."""
    return None if value is None else round(float(value), 2)
