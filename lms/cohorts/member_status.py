"""The cohort report's rules as SQL: each cohort's calendar and each member's counts and status.

A cohort's calendar: the activities its course's completion counts (published, not archived,
required); those in modules whose due date has passed ("late"); and the percent it expects done by
today — the share of activities in modules due by today when the cohort has due dates, else the
share of its days gone.

A member's status: completed when their enrollment is; overdue when the cohort has ended, or when
they have not finished a module whose due date has passed; not started when they have done
nothing and never been active; else in progress. Members not started or in progress are behind
when their percent complete is more than `BEHIND_MARGIN` points under the expected percent.

The statements are built once and take `today` and `cohort_ids` as parameters, so a request
only binds values (building and caching a statement costs more than running it on a 100-member
cohort).
"""

from __future__ import annotations

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from lms.models import (
    Activity,
    ActivityProgress,
    Cohort,
    CohortModuleDue,
    Enrollment,
    User,
    WorkUnit,
)

STATUSES = ("not_started", "in_progress", "completed", "overdue")
#: Percentage points a member may lag the calendar before counting as behind.
BEHIND_MARGIN = 10

_cohorts, _activities, _progress = (
    Cohort.__table__,
    Activity.__table__,
    ActivityProgress.__table__,
)
_enrollments, _dues = Enrollment.__table__, CohortModuleDue.__table__
_users, _units = User.__table__, WorkUnit.__table__
_today = bindparam("today", type_=Date)
_cohort_ids = bindparam("cohort_ids", expanding=True)


class days_between(FunctionElement):
    """The whole days from the second date to the first (negative when the first is earlier)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class clamp(FunctionElement):
    """The first number raised to the second, then lowered to the third (so the third wins)."""

    type = Integer()
    inherit_cache = True


@compiles(clamp)
def _clamp(element, compiler, **kw):
    value, low, high = (compiler.process(c, **kw) for c in element.clauses)
    return f"least(greatest({value}, {low}), {high})"


@compiles(clamp, "sqlite")
def _clamp_sqlite(element, compiler, **kw):
    value, low, high = (compiler.process(c, **kw) for c in element.clauses)
    return f"min(max({value}, {low}), {high})"


def _current(activities):
    """The activities a member's completion counts (current and required)."""
    return and_(
        activities.c.archived_at.is_(None),
        activities.c.published.is_(True),
        activities.c.required,
    )


def _calendar():
    """Select each cohort's total and late activities, expected percent and end date."""
    c, a, d = _cohorts.c, _activities.c, _dues.c
    total = func.count(a.id)
    has_dues = exists().where(_dues.alias("any_due").c.cohort_id == c.id)
    span = func.coalesce(func.nullif(days_between(c.ends_on, c.starts_on), 0), 1)
    gone = clamp(days_between(_today, c.starts_on), 0, span)
    expected = case(
        (total == 0, 0),
        (has_dues, 100 * func.count(a.id).filter(d.due_on <= _today) // total),
        else_=100 * gone // span,
    )
    return (
        select(c.id.label("cohort_id"), c.ends_on, total.label("total"),
               func.count(a.id).filter(d.due_on < _today).label("late_total"), expected.label("expected"))
        .select_from(
            _cohorts.outerjoin(_activities, and_(a.course_id == c.course_id, _current(_activities)))
            .outerjoin(_dues, and_(d.cohort_id == c.id, d.module_id == a.module_id))
        )
        .where(c.id.in_(_cohort_ids))
        .group_by(c.id)
        .subquery("cal")
    )  # fmt: skip


def _member_progress(scores: bool):
    """Select each member's completed current activities (and scores on quizzes), one row each.

    With `scores`, a column "scores" lists the member's scored quizzes as "activity id:score"
    pairs, comma-separated (one aggregate over the rows, not one per quiz: a user has one
    progress row per activity, so each score is that quiz's best).
    """
    e, p, a = _enrollments.c, _progress.c, _activities.c
    columns = [e.cohort_id, e.course_id, e.user_id, e.last_activity_at, e.completed_at,
               func.count(a.id).filter(p.completed_at.is_not(None)).label("done")]  # fmt: skip
    if scores:
        pair = cast(a.id, String) + ":" + cast(p.score, String)
        quiz_scored = and_(p.score.is_not(None), a.type == "quiz")
        columns.append(
            func.aggregate_strings(pair, ",").filter(quiz_scored).label("scores")
        )
    return (
        select(*columns)
        .select_from(
            _enrollments.outerjoin(_progress, p.user_id == e.user_id)
            .outerjoin(_activities, and_(a.id == p.activity_id, a.course_id == e.course_id, _current(_activities)))
        )
        .where(e.cohort_id.in_(_cohort_ids))
        .group_by(e.cohort_id, e.id)  # the order of the index on cohort_id: no sort on SQLite
        .subquery("mp")
    )  # fmt: skip


def _late_done(member):
    """Count the member's completed current activities in their cohort's late modules."""
    d, a, p = _dues.c, _activities.c, _progress.c
    return (
        select(func.count(p.id))
        .select_from(
            _dues.join(_activities, and_(a.module_id == d.module_id, a.course_id == member.course_id, _current(_activities)))
            .join(_progress, and_(p.activity_id == a.id, p.user_id == member.user_id, p.completed_at.is_not(None)))
        )
        .where(d.cohort_id == member.cohort_id, d.due_on < _today)
        .scalar_subquery()
    )  # fmt: skip


def _judged(scores: bool):
    """Select each cohort's members with the calendar, their percent complete and whether overdue.

    A cohort without members has one row, whose user_id is None. A member is late on a module when
    they completed fewer of its activities than it has: so late on some module exactly when their
    completed activities in late modules are fewer than the late modules' activities (counted only
    when the cohort has late modules: in a CASE, SQLite runs the subquery only then).
    """
    cal, m = _calendar(), _member_progress(scores)
    percent = case((cal.c.total > 0, 100 * m.c.done // cal.c.total), else_=0)
    late = and_(cal.c.late_total > 0, _late_done(m.c) < cal.c.late_total)
    overdue = case((or_(cal.c.ends_on < _today, late), True), else_=False)
    return (
        select(cal.c.cohort_id, cal.c.expected, cal.c.total, m.c.user_id, m.c.done, m.c.last_activity_at,
               m.c.completed_at, *([m.c.scores] if scores else []), percent.label("percent"), overdue.label("overdue"))
        .select_from(cal.outerjoin(m, m.c.cohort_id == cal.c.cohort_id))
        .subquery("j")
    )  # fmt: skip


def _status(judged):
    """Return a member's status and whether they are behind, as SQL over `_judged`'s columns."""
    j = judged.c
    finished = j.completed_at.is_not(None)
    status = case((finished, "completed"), (j.overdue, "overdue"),
                  (and_(j.done == 0, j.last_activity_at.is_(None)), "not_started"), else_="in_progress")  # fmt: skip
    behind = case((and_(~finished, ~j.overdue, j.percent < j.expected - BEHIND_MARGIN), True), else_=False)  # fmt: skip
    return status, behind


def _member_rows():
    """Select the members of the cohorts `cohort_ids` with their name, unit, counts, status and scores.

    Rows, ordered by name: cohort_id, expected, then a `MemberReport`'s fields up to completed_at
    (user_id, name, nip, email, work_unit_id, unit_name, done, total, percent, status, behind,
    last_activity_at, completed_at), then scores ("activity id:score" pairs, or None). A cohort
    without members has one row, whose user_id is None. Parameters: today, cohort_ids.
    """
    j = _judged(scores=True)
    status, behind = _status(j)
    u = _users.c
    return (
        select(j.c.cohort_id, j.c.expected, j.c.user_id, u.name, u.nip, u.email, u.work_unit_id,
               func.coalesce(_units.c.name, "—").label("unit_name"), j.c.done, j.c.total, j.c.percent,
               status.label("status"), behind.label("behind"), j.c.last_activity_at, j.c.completed_at, j.c.scores)
        .select_from(
            j.outerjoin(_users, u.id == j.c.user_id).outerjoin(_units, _units.c.id == u.work_unit_id)
        )
        .order_by(u.name)
    )  # fmt: skip


def _cohort_rows():
    """Select each of the cohorts `cohort_ids` with its members' counts aggregated.

    Rows: cohort_id, expected, members, percent_total, behind, overdue, completed, last_active.
    Parameters: today, cohort_ids.
    """
    j = _judged(scores=False)
    status, behind = _status(j)
    members = func.count(j.c.user_id)
    return (
        select(j.c.cohort_id, j.c.expected, members.label("members"), func.sum(j.c.percent).label("percent_total"),
               members.filter(behind).label("behind"), members.filter(status == "overdue").label("overdue"),
               members.filter(status == "completed").label("completed"),
               func.max(j.c.last_activity_at).label("last_active"))
        .group_by(j.c.cohort_id, j.c.expected)
    )  # fmt: skip


#: The two report statements, built once: the member table and the per-cohort summary.
MEMBER_ROWS = _member_rows()
COHORT_ROWS = _cohort_rows()
