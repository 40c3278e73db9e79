"""What supervisors see: each member's progress and status, computed in SQL in a fixed number of queries.

The rules (statuses, behind, the calendar's expectation) are in `lms.cohorts.member_status`: a
cohort's report is one query over its members' progress rows (plus one for the course's current
activities, when this process has not kept them since the course last changed), and a list of
cohorts is one query that aggregates the same rows per cohort.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import and_, bindparam, func, select

from lms import cache as lms_cache
from lms.cohorts.member_status import COHORT_ROWS, MEMBER_ROWS, STATUSES
from lms.database import report_execute
from lms.extensions import db
from lms.models import Activity, ActivityProgress, Cohort, Course, Enrollment, JpRecord


@dataclass(slots=True)
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
    #: Percent of current activities completed, rounded down.
    percent: int
    status: str
    behind: bool
    last_active: datetime | None
    completed_at: datetime | None
    #: The best score of each quiz as the report's query lists them ("activity id:score" pairs)
    #: and the course's quizzes in order, read into `quiz_scores` when first asked for (a page
    #: shows a hundred of a cohort's members).
    scores: str | None = None
    quiz_ids: list[tuple[int, str]] = field(default_factory=list)
    _quiz_scores: dict[int, Decimal] | None = None

    @property
    def quiz_scores(self) -> dict[int, Decimal]:
        """Return {quiz activity id: best (counted) score}, in course order."""
        if self._quiz_scores is None:
            self._quiz_scores = (
                _quiz_scores(self.scores, self.quiz_ids) if self.scores else {}
            )
        return self._quiz_scores


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
class CohortSummary:
    """A cohort's completion at a glance, as the list of cohorts shows it."""

    cohort: Cohort
    member_count: int
    percent: int
    expected_percent: int
    on_track: int
    behind: int
    overdue: int
    completed: int
    last_active: datetime | None

    def counts(self) -> dict[str, int]:
        """Return how many members are on track, behind, overdue and completed."""
        return {"on_track": self.on_track, "behind": self.behind, "overdue": self.overdue,
                "completed": self.completed}  # fmt: skip


@dataclass
class CohortReport:
    """A cohort's members with their status, plus the activities and counts the page shows."""

    cohort: Cohort
    members: list[MemberReport]
    #: rows of (id, title, type, module_id, key, course_id), in course order
    activities: tuple
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

    def summary(self) -> CohortSummary:
        """Return the cohort at a glance, as `cohort_summaries` gives it."""
        return CohortSummary(self.cohort, len(self.members), self.percent, self.expected_percent,
                             last_active=self.last_active, **self.counts())  # fmt: skip

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


_A = Activity.__table__.c
#: The current activities of the course `course_id`, in course order.
_CURRENT_ACTIVITIES = (
    select(_A.id, _A.title, _A.type, _A.module_id, _A.key, _A.course_id)
    .where(_A.course_id == bindparam("course_id"), _A.archived_at.is_(None), _A.published.is_(True))
    .order_by(_A.position)
)  # fmt: skip


def _current_activities(courses: list[Course]) -> dict[int, tuple]:
    """Return each course's current activities in course order, by course id.

    They change only with the course's content version, so they are kept per version (`lms.cache`),
    read from the primary, where the version that keys them was read (a replica a moment behind
    would file old activities under the new version).
    """
    return {
        course.id: lms_cache.course_activities(course, _load_current_activities)
        for course in courses
    }


def _load_current_activities(course: Course) -> tuple:
    return tuple(db.session.execute(_CURRENT_ACTIVITIES, {"course_id": course.id}))


def _score(text: str) -> Decimal:
    """Return a score as its column gives it (two decimals) from its text in `member_rows`'s scores."""
    # As SQLAlchemy reads Numeric(5, 2) from SQLite's REAL ("%.2f" of the float); PostgreSQL's
    # text already has two decimals.
    return Decimal(f"{float(text):.2f}")


def _quiz_scores(scores: str, quiz_ids: list[tuple[int, str]]) -> dict[int, Decimal]:
    """Return {quiz id: score} in course order from "activity id:score" pairs."""
    found = dict(pair.split(":") for pair in scores.split(","))
    return {quiz_id: _score(found[key]) for quiz_id, key in quiz_ids if key in found}


def cohort_reports(cohorts: list[Cohort], today: date) -> list[CohortReport]:
    """Build the reports of several cohorts in two queries, whatever their sizes."""
    if not cohorts:
        return []
    activities = _current_activities(
        list({c.course_id: c.course for c in cohorts}.values())
    )
    quiz_ids = [(a.id, str(a.id)) for course_id in dict.fromkeys(c.course_id for c in cohorts)
                for a in activities[course_id] if a.type == "quiz"]  # fmt: skip
    params = {"today": today, "cohort_ids": [c.id for c in cohorts]}
    members: dict[int, list[MemberReport]] = defaultdict(list)
    expected: dict[int, int] = {}
    rows = report_execute(MEMBER_ROWS, params).all()
    for cohort_id, cohort_expected, *member, scores in rows:
        expected[cohort_id] = cohort_expected
        if member[0] is None:  # a cohort without members
            continue
        members[cohort_id].append(MemberReport(*member, scores, quiz_ids))
    return [
        CohortReport(c, members[c.id], activities[c.course_id], expected[c.id])
        for c in cohorts
    ]


def cohort_summaries(cohorts: list[Cohort], today: date) -> list[CohortSummary]:
    """Summarise several cohorts in one query: the members' counts are aggregated per cohort in SQL."""
    if not cohorts:
        return []
    rows = report_execute(
        COHORT_ROWS, {"today": today, "cohort_ids": [c.id for c in cohorts]}
    )
    found = {row.cohort_id: row for row in rows}
    summaries = []
    for cohort in cohorts:
        row = found[cohort.id]
        members, behind = row.members, row.behind
        summaries.append(
            CohortSummary(cohort, members, int(row.percent_total) // members if members else 0, row.expected,
                          members - row.completed - row.overdue - behind, behind, row.overdue, row.completed,
                          row.last_active)
        )  # fmt: skip
    return summaries


def cohort_jp(cohort: Cohort, year: int) -> dict[int, Decimal]:
    """Return the JP each member of the cohort earned in `year` (members without any are left out)."""
    rows = report_execute(
        select(JpRecord.user_id, func.sum(JpRecord.hours))
        .join(Enrollment, Enrollment.user_id == JpRecord.user_id)
        .where(
            Enrollment.cohort_id == cohort.id,
            JpRecord.year == year,
            JpRecord.status == "approved",
        )
        .group_by(JpRecord.user_id)
    )
    return {user_id: Decimal(total) for user_id, total in rows}


def completion_matrix(cohort: Cohort) -> set[tuple[int, int]]:
    """Return the (user id, activity id) pairs completed by the cohort's members (one query)."""
    rows = report_execute(
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
