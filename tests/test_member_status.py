"""Cohort statuses at their edges (lms/cohorts/member_status.py): due dates, margins, empty courses.

The course: module m1 (a1, a2 and a draft), module m2 (b1, b2 and an archived activity): four
current activities. Another course has its own activity, which never counts here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from lms.auth.accounts import get_roles
from lms.cohorts.members import add_member
from lms.cohorts.report import cohort_reports, cohort_summaries
from lms.extensions import db
from lms.learn import progress
from lms.models import (
    Activity,
    Cohort,
    CohortModuleDue,
    Course,
    Enrollment,
    Module,
    User,
)
from tests.cohort_world import TODAY

NOW = datetime.now(UTC)


def _course(
    slug: str, layout: dict[str, list[tuple[str, bool, bool]]]
) -> SimpleNamespace:
    """Add a course; layout: module key -> [(activity key, published, archived)]."""
    course = Course(slug=slug, title=slug, jp=12)
    db.session.add(course)
    db.session.flush()
    found = SimpleNamespace(course=course, modules={}, activities={})
    position = 0
    for m, (module_key, items) in enumerate(layout.items(), 1):
        module = Module(
            course_id=course.id, key=module_key, position=m, title=module_key
        )
        db.session.add(module)
        db.session.flush()
        found.modules[module_key] = module
        for key, published, archived in items:
            position += 1
            activity = Activity(course_id=course.id, module_id=module.id, key=key,
                                type="quiz" if key == "a2" else "lesson", title=key,
                                position=position, published=published,
                                archived_at=NOW if archived else None)  # fmt: skip
            db.session.add(activity)
            found.activities[key] = activity
    db.session.commit()
    return found


@pytest.fixture
def world(app):
    w = _course("kelas", {"m1": [("a1", True, False), ("a2", True, False), ("draf", False, False)],
                          "m2": [("b1", True, False), ("b2", True, False), ("lama", True, True)]})  # fmt: skip
    w.other = _course("lain", {"x": [("x1", True, False)]})
    w.n = 0
    return w


def _cohort(w, name, starts=-10, ends=30, course=None) -> Cohort:
    cohort = Cohort(course_id=(course or w.course).id, name=name,
                    starts_on=TODAY + timedelta(days=starts), ends_on=TODAY + timedelta(days=ends))  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    return cohort


def _due(w, cohort, module_key, days) -> None:
    db.session.add(CohortModuleDue(cohort_id=cohort.id, module_id=w.modules[module_key].id,
                                   due_on=TODAY + timedelta(days=days)))  # fmt: skip
    db.session.commit()


def _member(w, cohort, name, *done, visited=False, other=None) -> User:
    """Add a member who completed the activities `done` (keys in this course or `other`)."""
    w.n += 1
    user = User(email=f"anggota{w.n}@example.org", name=name, password_hash="-",
                roles=get_roles(("learner",)))  # fmt: skip
    db.session.add(user)
    db.session.commit()
    add_member(cohort, user)
    for key in done:
        activities = (other or w).activities
        progress.complete_activity(user.id, activities[key])
    if visited:
        progress.record_visit(user.id, w.activities["a1"])
    return user


def _report(cohort, today=TODAY) -> tuple[dict, int]:
    (result,) = cohort_reports([cohort], today)
    return {m.name: m for m in result.members}, result.expected_percent


def test_a_module_due_today_is_not_late_and_counts_as_expected(world):
    cohort = _cohort(world, "A")
    _due(world, cohort, "m1", 0)
    _due(world, cohort, "m2", 10)
    _member(world, cohort, "Ani", visited=True)
    _member(world, cohort, "Budi", "a1", "a2")
    members, expected = _report(cohort)
    assert expected == 50  # m1's two of four activities are due by today
    assert (members["Ani"].status, members["Ani"].behind) == ("in_progress", True)
    assert (members["Budi"].status, members["Budi"].behind) == ("in_progress", False)
    tomorrow, expected = _report(cohort, TODAY + timedelta(days=1))
    assert (
        tomorrow["Ani"].status == "overdue" and tomorrow["Budi"].status == "in_progress"
    )
    assert expected == 50


def test_another_cohorts_due_dates_do_not_apply(world):
    late, relaxed = _cohort(world, "Terlambat"), _cohort(world, "Santai")
    _due(world, late, "m1", -2)
    _due(world, relaxed, "m1", 5)
    _member(world, late, "Citra", visited=True)
    _member(world, late, "Dodi", "a1", "a2")
    _member(world, late, "Eka", "a1", "b1", "b2")  # one of m1's two: still late
    _member(world, relaxed, "Fajar", visited=True)
    members, expected = _report(late)
    assert expected == 50
    assert members["Citra"].status == "overdue" and members["Citra"].behind is False
    assert members["Dodi"].status == "in_progress"
    assert members["Eka"].status == "overdue"
    members, expected = _report(relaxed)
    assert (members["Fajar"].status, expected) == ("in_progress", 0)
    assert set(members) == {"Fajar"}


def test_completed_members_are_neither_behind_nor_overdue(world):
    ended = _cohort(world, "Selesai", starts=-40, ends=-1)
    _due(world, ended, "m1", -30)
    done = _member(world, ended, "Gita", "a1", "a2", "b1", "b2")
    _member(world, ended, "Hadi", "a1", "a2", "b1")
    members, expected = _report(ended)
    assert expected == 50
    assert (members["Gita"].status, members["Gita"].behind, members["Gita"].percent) == (
        "completed", False, 100)  # fmt: skip
    assert members["Gita"].completed_at is not None
    assert members["Hadi"].status == "overdue"  # the cohort has ended
    # Marked complete, though the course has since grown: still completed.
    db.session.execute(update(Enrollment).where(Enrollment.user_id == done.id)
                       .values(completed_activities=1))  # fmt: skip
    db.session.commit()
    assert _report(ended)[0]["Gita"].status == "completed"
    (summary,) = cohort_summaries([ended], TODAY)
    assert (
        summary.member_count,
        summary.completed,
        summary.overdue,
        summary.behind,
    ) == (2, 1, 1, 0)


def test_a_cohort_ending_today_is_not_over(world):
    cohort = _cohort(world, "Hari terakhir", starts=-30, ends=0)
    _member(world, cohort, "Intan", "a1")
    members, expected = _report(cohort)
    assert members["Intan"].status == "in_progress"
    assert expected == 100


def test_without_due_dates_the_expected_percent_follows_the_days(world):
    cohort = _cohort(world, "Harian", starts=-14, ends=26)  # 14 of 40 days: 35%
    _member(world, cohort, "Joko", "a1")  # 25%: exactly ten points under, not behind
    _member(world, cohort, "Kiki", visited=True)  # 0%: behind
    _member(world, cohort, "Lina")  # never active: not started, and behind
    members, expected = _report(cohort)
    assert expected == 35
    assert (members["Joko"].percent, members["Joko"].behind) == (25, False)
    assert (members["Kiki"].status, members["Kiki"].behind) == ("in_progress", True)
    assert (members["Lina"].status, members["Lina"].behind) == ("not_started", True)
    (summary,) = cohort_summaries([cohort], TODAY)
    assert (
        summary.member_count,
        summary.behind,
        summary.on_track,
        summary.percent,
    ) == (3, 2, 1, 8)
    assert summary.expected_percent == 35


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [(5, 20, 0), (0, 20, 0), (-1, 4, 20), (-30, -1, 100), (0, 0, 0), (-1, -1, 100)],
)
def test_the_expected_percent_is_clamped_to_the_cohort_days(
    world, starts, ends, expected
):
    cohort = _cohort(world, "Kalender", starts=starts, ends=ends)
    assert _report(cohort)[1] == expected


def test_only_current_activities_of_this_course_count(world):
    cohort = _cohort(world, "Kelas")
    member = _member(world, cohort, "Mira", "a1", other=None)
    progress.complete_activity(member.id, world.other.activities["x1"])
    progress.complete_activity(member.id, world.activities["lama"])  # archived
    progress.complete_activity(member.id, world.activities["draf"])  # draft
    members, _expected = _report(cohort)
    assert (members["Mira"].done, members["Mira"].total, members["Mira"].percent) == (
        1,
        4,
        25,
    )


def test_a_cohort_with_no_current_activities_shows_no_progress(world):
    empty = _course("kosong", {"m": [("lama2", True, True)]})
    cohort = _cohort(world, "Kosong", course=empty.course)
    _member(world, cohort, "Nina", visited=False)
    members, expected = _report(cohort)
    assert (members["Nina"].total, members["Nina"].percent, expected) == (0, 0, 0)
    assert members["Nina"].status == "not_started"
    (summary,) = cohort_summaries([cohort], TODAY)
    assert (summary.percent, summary.completed) == (0, 0)


def test_a_cohort_without_members_reports_none(world):
    cohort = _cohort(world, "Sepi")
    members, expected = _report(cohort)
    assert members == {} and expected == 25
    (summary,) = cohort_summaries([cohort], TODAY)
    assert (summary.member_count, summary.percent, summary.on_track) == (0, 0, 0)


def test_quiz_scores_are_reported_per_member(world):
    cohort = _cohort(world, "Kuis")
    user = _member(world, cohort, "Oki")
    from decimal import Decimal

    progress.complete_activity(user.id, world.activities["a2"], score=Decimal("87.5"))
    progress.complete_activity(
        user.id, world.activities["a1"], score=Decimal(50)
    )  # a lesson
    members, _expected = _report(cohort)
    quiz = db.session.scalar(select(Activity.id).where(Activity.key == "a2"))
    [pair] = members["Oki"].scores.split(",")  # the lesson's score is not a quiz score
    assert pair.startswith(f"{quiz}:87.5")


def test_eleven_points_under_the_calendar_is_behind(world):
    cohort = _cohort(world, "Margin", starts=-9, ends=16)  # 9 of 25 days: 36%
    _member(world, cohort, "Putu", "a1")  # 25%: eleven points under
    members, expected = _report(cohort)
    assert (expected, members["Putu"].percent, members["Putu"].behind) == (36, 25, True)


def test_a_course_of_one_activity_counts_it(world):
    cohort = _cohort(world, "Satu", course=world.other.course)
    _due(world.other, cohort, "x", -1)
    _member(world, cohort, "Rina", "x1", other=world.other)
    _member(world, cohort, "Sari")
    members, expected = _report(cohort)
    assert expected == 100
    assert (members["Rina"].percent, members["Rina"].status) == (100, "completed")
    assert (members["Sari"].percent, members["Sari"].status) == (0, "overdue")


def test_work_done_in_a_module_due_today_does_not_make_up_for_a_late_one(world):
    cohort = _cohort(world, "Dua tenggat")
    _due(world, cohort, "m1", 0)
    _due(world, cohort, "m2", -1)
    _member(world, cohort, "Tono", "a1", "a2", "b1")
    _member(world, cohort, "Umi", "b1", "b2")
    members, expected = _report(cohort)
    assert expected == 100
    assert members["Tono"].status == "overdue"
    assert members["Umi"].status == "in_progress"


def test_members_show_their_own_work_unit(world):
    from lms.models import WorkUnit

    cohort = _cohort(world, "Unit")
    units = [
        WorkUnit(code=c, name=n)
        for c, n in [("bkd", "BKD"), ("dinkes", "Dinas Kesehatan")]
    ]
    db.session.add_all(units)
    user = _member(world, cohort, "Vina")
    user.work_unit_id = units[1].id
    db.session.commit()
    members, _expected = _report(cohort)
    assert members["Vina"].unit_name == "Dinas Kesehatan"


def test_each_due_date_applies_to_its_own_module(world):
    world.activities["b2"].archived_at = NOW  # m1 has two current activities, m2 one
    db.session.commit()
    cohort = _cohort(world, "Asimetris")
    _due(world, cohort, "m1", -1)
    _due(world, cohort, "m2", 5)
    _member(world, cohort, "Wati", "b1")
    members, expected = _report(cohort)
    assert expected == 66  # two of three activities are due
    assert members["Wati"].status == "overdue"
