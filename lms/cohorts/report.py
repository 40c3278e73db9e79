"""What supervisors see: each member's progress and status, aggregated in SQL in a fixed number of queries.

Statuses: completed, overdue (a module's due date or the cohort's end has passed with work left),
not started, in progress. Members in progress are also on track or behind: behind when their
progress is more than `BEHIND_MARGIN` points under what the calendar expects by today.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, select

from lms.extensions import db
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


@dataclass
class MemberReport:
    """One member's line on the cohort page."""

    user_id: int
    name: str
    nip: str | None
    email: str
    unit_id: int | None
    unit_name: str
    done: int
    total: int
    status: str
    behind: bool
    last_active: datetime | None
    completed_at: datetime | None
    #: {quiz activity id: best (counted) score}
    quiz_scores: dict[int, Decimal] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        """Return the percent of current activities completed."""
        return min(100, 100 * self.done // self.total) if self.total else 0


@dataclass
class UnitSummary:
    """One work unit's line in the per-unit (OPD) summary."""

    unit_name: str
    members: int = 0
    completed: int = 0
    overdue: int = 0
    percent_total: int = 0

    @property
    def average_percent(self) -> int:
        """Return the unit's average percent complete."""
        return self.percent_total // self.members if self.members else 0


@dataclass
class CohortReport:
    """A cohort's members with their status, plus the activities and counts the page shows."""

    cohort: Cohort
    members: list[MemberReport]
    activities: list  # rows of (id, title, type, module_id, key)
    expected_percent: int

    def counts(self) -> dict[str, int]:
        """Return how many members are on track, behind, overdue and completed."""
        result = {"on_track": 0, "behind": 0, "overdue": 0, "completed": 0}
        for m in self.members:
            if m.status in ("completed", "overdue"):
                result[m.status] += 1
            else:
                result["behind" if m.behind else "on_track"] += 1
        return result

    @property
    def percent(self) -> int:
        """Return the cohort's average percent complete."""
        return (
            sum(m.percent for m in self.members) // len(self.members)
            if self.members
            else 0
        )

    @property
    def last_active(self) -> datetime | None:
        """Return when any member last did something."""
        return max((m.last_active for m in self.members if m.last_active), default=None)

    def units(self) -> list[UnitSummary]:
        """Summarise the members by work unit."""
        summary: dict[str, UnitSummary] = {}
        for m in self.members:
            unit = summary.setdefault(m.unit_name, UnitSummary(m.unit_name))
            unit.members += 1
            unit.completed += m.status == "completed"
            unit.overdue += m.status == "overdue"
            unit.percent_total += m.percent
        return sorted(summary.values(), key=lambda u: u.unit_name)


def expected_percent(
    cohort: Cohort, module_totals: dict[int, int], dues: dict[int, date], today: date
) -> int:
    """Return the percent of the course the calendar expects done by `today`."""
    total = sum(module_totals.values())
    if not total:
        return 0
    if dues:
        due_work = sum(
            n
            for module_id, n in module_totals.items()
            if dues.get(module_id) and dues[module_id] <= today
        )
        return 100 * due_work // total
    span = (cohort.ends_on - cohort.starts_on).days or 1
    elapsed = min(max((today - cohort.starts_on).days, 0), span)
    return 100 * elapsed // span


def cohort_reports(cohorts: list[Cohort], today: date) -> list[CohortReport]:
    """Build the reports of several cohorts in six queries, whatever their sizes."""
    if not cohorts:
        return []
    cohort_ids = [c.id for c in cohorts]
    course_ids = list({c.course_id for c in cohorts})
    current = and_(Activity.archived_at.is_(None), Activity.published.is_(True))
    activities = db.session.execute(
        select(
            Activity.id,
            Activity.title,
            Activity.type,
            Activity.module_id,
            Activity.key,
            Activity.course_id,
        )
        .where(Activity.course_id.in_(course_ids), current)
        .order_by(Activity.position)
    ).all()
    dues_rows = db.session.execute(
        select(
            CohortModuleDue.cohort_id, CohortModuleDue.module_id, CohortModuleDue.due_on
        ).where(CohortModuleDue.cohort_id.in_(cohort_ids))
    ).all()
    members = db.session.execute(
        select(Enrollment.cohort_id, Enrollment.user_id, Enrollment.last_activity_at, Enrollment.completed_at,
               User.name, User.nip, User.email, User.work_unit_id, WorkUnit.name.label("unit_name"))
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(WorkUnit, WorkUnit.id == User.work_unit_id)
        .where(Enrollment.cohort_id.in_(cohort_ids))
        .order_by(User.name)
    ).all()  # fmt: skip
    done_rows = db.session.execute(
        select(Enrollment.cohort_id, ActivityProgress.user_id, Activity.module_id, func.count(ActivityProgress.id))
        .join(Activity, Activity.id == ActivityProgress.activity_id)
        .join(Enrollment, and_(Enrollment.user_id == ActivityProgress.user_id, Enrollment.course_id == Activity.course_id))
        .where(Enrollment.cohort_id.in_(cohort_ids), ActivityProgress.completed_at.is_not(None), current)
        .group_by(Enrollment.cohort_id, ActivityProgress.user_id, Activity.module_id)
    ).all()  # fmt: skip
    score_rows = db.session.execute(
        select(Enrollment.cohort_id, ActivityProgress.user_id, ActivityProgress.activity_id, ActivityProgress.score)
        .join(Activity, Activity.id == ActivityProgress.activity_id)
        .join(Enrollment, and_(Enrollment.user_id == ActivityProgress.user_id, Enrollment.course_id == Activity.course_id))
        .where(Enrollment.cohort_id.in_(cohort_ids), Activity.type == "quiz", ActivityProgress.score.is_not(None), current)
    ).all()  # fmt: skip

    module_totals: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    activities_by_course = defaultdict(list)
    for row in activities:
        module_totals[row.course_id][row.module_id] += 1
        activities_by_course[row.course_id].append(row)
    dues: dict[int, dict[int, date]] = defaultdict(dict)
    for row in dues_rows:
        dues[row.cohort_id][row.module_id] = row.due_on
    done: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for cohort_id, user_id, module_id, count in done_rows:
        done[(cohort_id, user_id)][module_id] = count
    scores: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for cohort_id, user_id, activity_id, score in score_rows:
        scores[(cohort_id, user_id)][activity_id] = score
    by_cohort = defaultdict(list)
    for row in members:
        by_cohort[row.cohort_id].append(row)

    reports = []
    for cohort in cohorts:
        totals = module_totals[cohort.course_id]
        cohort_dues = dues[cohort.id]
        expected = expected_percent(cohort, totals, cohort_dues, today)
        rows = []
        for m in by_cohort[cohort.id]:
            per_module = done[(cohort.id, m.user_id)]
            member = MemberReport(
                user_id=m.user_id, name=m.name, nip=m.nip, email=m.email, unit_id=m.work_unit_id,
                unit_name=m.unit_name or "—", done=sum(per_module.values()), total=sum(totals.values()),
                status="", behind=False, last_active=m.last_activity_at, completed_at=m.completed_at,
                quiz_scores=scores[(cohort.id, m.user_id)],
            )  # fmt: skip
            member.status = _status(
                cohort, member, per_module, totals, cohort_dues, today
            )
            member.behind = member.status in ("not_started", "in_progress") and (
                member.percent < expected - BEHIND_MARGIN
            )
            rows.append(member)
        reports.append(
            CohortReport(cohort, rows, activities_by_course[cohort.course_id], expected)
        )
    return reports


def _status(cohort, member, per_module, totals, dues, today) -> str:
    if member.completed_at is not None:
        return "completed"
    late_module = any(
        due < today and per_module.get(module_id, 0) < totals.get(module_id, 0)
        for module_id, due in dues.items()
    )
    if late_module or today > cohort.ends_on:
        return "overdue"
    if member.done == 0 and member.last_active is None:
        return "not_started"
    return "in_progress"


def completion_matrix(cohort: Cohort) -> set[tuple[int, int]]:
    """Return the (user id, activity id) pairs completed by the cohort's members (one query)."""
    rows = db.session.execute(
        select(ActivityProgress.user_id, ActivityProgress.activity_id)
        .join(Activity, Activity.id == ActivityProgress.activity_id)
        .join(Enrollment, and_(Enrollment.user_id == ActivityProgress.user_id, Enrollment.course_id == Activity.course_id))
        .where(Enrollment.cohort_id == cohort.id, ActivityProgress.completed_at.is_not(None))
    ).all()  # fmt: skip
    return {(row.user_id, row.activity_id) for row in rows}


def filter_members(members: list[MemberReport], unit_id: int | None, status: str | None, track: str | None = None,
                   sort: str = "name", descending: bool = False) -> list[MemberReport]:  # fmt: skip
    """Filter by unit and status, then sort, as the page's controls ask."""
    rows = [
        m
        for m in members
        if (unit_id is None or m.unit_id == unit_id)
        and (not status or m.status == status)
    ]
    if track == "behind":
        rows = [m for m in rows if m.behind]
    keys = {
        "name": lambda m: m.name.lower(),
        "unit": lambda m: (m.unit_name.lower(), m.name.lower()),
        "percent": lambda m: (m.percent, m.name.lower()),
        "status": lambda m: (STATUSES.index(m.status), m.name.lower()),
        "last_active": lambda m: (
            m.last_active or datetime.min.replace(tzinfo=UTC),
            m.name.lower(),
        ),
    }
    return sorted(rows, key=keys.get(sort, keys["name"]), reverse=descending)
