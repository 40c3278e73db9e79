"""Completion and JP (lms/learn/progress.py): several courses, learners and years, real JP values.

A course completes when its learner has completed every current activity of that course (not
visits, not other courses, not archived or draft activities); completing earns the course's JP
in the year of Asia/Jakarta, a certificate and one xAPI statement, once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.auth.accounts import get_roles
from lms.extensions import db
from lms.learn import progress
from lms.models import (
    Activity,
    ActivityProgress,
    Certificate,
    Course,
    Enrollment,
    JpRecord,
    Module,
    User,
    XapiStatement,
)

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def _person(n: int) -> User:
    user = User(email=f"peserta{n}@example.org", name=f"Peserta {n}", password_hash="-",
                nip=f"19900101201503100{n}", roles=get_roles(("learner",)))  # fmt: skip
    db.session.add(user)
    db.session.commit()
    return user


def _course(slug: str, jp: int, activities: int) -> Course:
    course = Course(slug=slug, title=f"Kursus {slug}", jp=jp)
    db.session.add(course)
    db.session.flush()
    module = Module(course_id=course.id, key="m1", position=1, title="Modul 1")
    db.session.add(module)
    db.session.flush()
    for n in range(1, activities + 1):
        db.session.add(Activity(course_id=course.id, module_id=module.id, key=f"m1/a{n}",
                                type="lesson", title=f"Aktivitas {n}", position=n))  # fmt: skip
    db.session.commit()
    return course


def _activities(course: Course) -> list[Activity]:
    return list(db.session.scalars(select(Activity).where(Activity.course_id == course.id)
                                   .order_by(Activity.position)))  # fmt: skip


@pytest.fixture
def world(app):
    """Two learners; a 12-JP course of three activities and a 2-JP course of two."""
    ani, budi = _person(1), _person(2)
    big, small = _course("besar", 12, 3), _course("kecil", 2, 2)
    for user in (ani, budi):
        for course in (big, small):
            progress.enroll(user, course)
    return ani, budi, big, small


def _enrollment(user, course) -> Enrollment:
    db.session.expire_all()
    return progress.get_enrollment(user.id, course.id)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_enrolling_twice_keeps_one_enrollment(world):
    ani, _budi, big, _small = world
    again = progress.enroll(ani, big)
    assert (again.user_id, again.course_id, again.completed_activities) == (
        ani.id,
        big.id,
        0,
    )
    assert _count(Enrollment, Enrollment.user_id == ani.id) == 2
    assert progress.get_enrollment(ani.id, 999) is None


def test_a_course_completes_only_when_all_its_current_activities_are(world):
    ani, budi, big, small = world
    a1, a2, a3 = _activities(big)
    for activity in _activities(small):  # another course entirely done
        progress.complete_activity(ani.id, activity)
    progress.record_visit(ani.id, a3)  # a visit is not a completion
    assert progress.complete_activity(ani.id, a1) is True
    assert progress.complete_activity(ani.id, a2) is True
    enrollment = _enrollment(ani, big)
    assert (enrollment.completed_activities, enrollment.completed_at) == (2, None)
    assert (
        _enrollment(budi, big).completed_activities == 0
    )  # another learner's progress
    progress.complete_activity(ani.id, a3)
    assert _enrollment(ani, big).completed_at is not None
    assert _enrollment(budi, big).completed_at is None


def test_completing_twice_changes_nothing(world):
    ani, _budi, _big, small = world
    s1, s2 = _activities(small)
    progress.complete_activity(ani.id, s1, score=Decimal(80))
    first = db.session.scalar(select(ActivityProgress.completed_at))
    assert progress.complete_activity(ani.id, s1, score=Decimal(100)) is False
    db.session.expire_all()
    row = db.session.scalar(select(ActivityProgress))
    assert (row.completed_at, row.score) == (first, Decimal(80))
    progress.complete_activity(ani.id, s2)
    done = _enrollment(ani, small).completed_at
    progress.complete_activity(ani.id, s2)
    progress.refresh_enrollment(ani.id, small.id)
    assert _enrollment(ani, small).completed_at == done
    assert (
        _count(XapiStatement, XapiStatement.verb == COMPLETED) == 3
    )  # 2 activities + course
    assert _count(JpRecord) == 1 and _count(Certificate) == 1


def test_completion_earns_the_course_jp_and_a_certificate(world):
    ani, budi, big, small = world
    for activity in _activities(big):
        progress.complete_activity(ani.id, activity)
    record = db.session.scalar(select(JpRecord))
    assert (record.user_id, record.course_id, record.hours) == (
        ani.id,
        big.id,
        Decimal(12),
    )
    assert (record.source, record.title) == ("course", "Kursus besar")
    certificate = db.session.scalar(select(Certificate))
    assert (certificate.user_id, certificate.course_id, certificate.jp) == (
        ani.id, big.id, Decimal(12))  # fmt: skip
    for activity in _activities(small):
        progress.complete_activity(budi.id, activity)
    year = record.year
    assert progress.jp_earned(ani.id, year) == Decimal(12)
    assert progress.jp_earned(budi.id, year) == Decimal(2)


def test_jp_earned_counts_one_learner_and_one_year(world):
    ani, budi, _big, _small = world
    for user, year, hours in [(ani, 2025, "3.5"), (ani, 2026, "2"), (ani, 2026, "12"),
                              (ani, 2027, "7"), (budi, 2026, "40")]:  # fmt: skip
        db.session.add(JpRecord(user_id=ani.id if user is ani else budi.id, year=year,
                                hours=Decimal(hours), earned_on=date(year, 3, 1),
                                source="manual", title="Pelatihan"))  # fmt: skip
    db.session.commit()
    assert progress.jp_earned(ani.id, 2026) == Decimal(14)
    assert progress.jp_earned(ani.id, 2025) == Decimal("3.5")
    assert progress.jp_earned(ani.id, 2024) == Decimal(0)
    assert progress.jp_earned(budi.id, 2026) == Decimal(40)


@pytest.mark.parametrize(
    ("utc", "year", "day"),
    [
        (
            datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
            2027,
            date(2027, 1, 1),
        ),  # 06:59 WIB
        (
            datetime(2026, 12, 31, 16, 59, tzinfo=UTC),
            2026,
            date(2026, 12, 31),
        ),  # 23:59 WIB
        (
            datetime(2026, 12, 31, 17, 0, tzinfo=UTC),
            2027,
            date(2027, 1, 1),
        ),  # 00:00 WIB
    ],
)
def test_the_jp_year_is_the_year_in_jakarta(world, utc, year, day):
    ani, _budi, _big, small = world
    progress.on_course_completed(ani.id, small.id, utc)
    record = db.session.scalar(select(JpRecord))
    assert (record.year, record.earned_on, record.hours) == (year, day, Decimal(2))
    assert db.session.scalar(select(Certificate.completed_on)) == day


def test_archived_and_draft_activities_do_not_count(world):
    ani, _budi, big, _small = world
    a1, a2, a3 = _activities(big)
    progress.complete_activity(ani.id, a1)
    a3.archived_at = datetime.now(UTC)
    a2.published = False
    db.session.commit()
    progress.refresh_enrollment(ani.id, big.id)
    enrollment = _enrollment(ani, big)
    assert enrollment.completed_activities == 1
    assert enrollment.completed_at is not None  # a1 is the only current activity


def test_completing_an_archived_activity_does_not_complete_the_course(world):
    ani, _budi, big, _small = world
    a1, a2, a3 = _activities(big)
    a3.archived_at = datetime.now(UTC)
    db.session.commit()
    progress.complete_activity(ani.id, a3)
    progress.complete_activity(ani.id, a1)
    enrollment = _enrollment(ani, big)
    assert (enrollment.completed_activities, enrollment.completed_at) == (1, None)
    progress.complete_activity(ani.id, a2)
    assert _enrollment(ani, big).completed_at is not None


def test_an_empty_course_completes_no_one(world):
    ani, _budi, _big, _small = world
    empty = _course("kosong", 3, 0)
    progress.enroll(ani, empty)
    progress.refresh_enrollment(ani.id, empty.id)
    progress.refresh_course_enrollments("kosong")
    assert _enrollment(ani, empty).completed_at is None
    assert _count(JpRecord) == 0


def test_recounting_after_an_archive_completes_learners_with_jp(world):
    ani, budi, big, small = world
    a1, a2, a3 = _activities(big)
    for activity in (a1, a2):
        progress.complete_activity(ani.id, activity)
    progress.complete_activity(budi.id, a1)
    progress.complete_activity(ani.id, _activities(small)[0])
    active_before = _enrollment(ani, big).last_activity_at
    a3.archived_at = datetime.now(UTC)  # as an import that drops it does
    db.session.commit()
    progress.refresh_course_enrollments("besar")
    mine, theirs = _enrollment(ani, big), _enrollment(budi, big)
    assert (mine.completed_activities, theirs.completed_activities) == (2, 1)
    assert mine.completed_at is not None and theirs.completed_at is None
    assert (
        _enrollment(ani, small).completed_activities == 1
    )  # another course: untouched
    assert (
        mine.last_activity_at == active_before
    )  # an import is not the learner's activity
    assert (
        db.session.scalar(select(JpRecord.hours).where(JpRecord.user_id == ani.id))
        == 12
    )
    assert _count(Certificate, Certificate.user_id == ani.id) == 1
    assert _count(JpRecord, JpRecord.user_id == budi.id) == 0
    progress.refresh_course_enrollments("besar")  # again: nothing new
    assert _count(JpRecord) == 1
    assert (
        _count(XapiStatement, XapiStatement.verb == COMPLETED) == 5
    )  # 4 activities + 1


def test_recounting_a_course_with_a_new_activity_lowers_the_count(world):
    ani, _budi, big, _small = world
    for activity in _activities(big)[:2]:
        progress.complete_activity(ani.id, activity)
    module = db.session.scalar(select(Module).where(Module.course_id == big.id))
    db.session.add(Activity(course_id=big.id, module_id=module.id, key="m1/baru",
                            type="lesson", title="Baru", position=9))  # fmt: skip
    db.session.commit()
    progress.refresh_course_enrollments("besar")
    assert _enrollment(ani, big).completed_activities == 2
    assert _enrollment(ani, big).completed_at is None


def test_course_progress_lists_one_learner_in_one_course(world):
    ani, budi, big, small = world
    a1, a2, _a3 = _activities(big)
    s1, _s2 = _activities(small)
    progress.complete_activity(ani.id, a1)
    progress.record_visit(ani.id, a2)
    progress.complete_activity(ani.id, s1)
    progress.complete_activity(budi.id, a2)
    rows = progress.course_progress(ani.id, big.id)
    assert set(rows) == {a1.id, a2.id}
    assert rows[a1.id].completed_at is not None and rows[a2.id].completed_at is None


def test_a_visit_updates_the_last_visit_and_the_enrollment(world):
    ani, _budi, big, _small = world
    a1 = _activities(big)[0]
    progress.record_visit(ani.id, a1)
    row = db.session.scalar(select(ActivityProgress))
    assert row.completed_at is None and row.first_visit_at == row.last_visit_at
    assert _enrollment(ani, big).last_activity_at is not None
    assert _enrollment(ani, big).completed_activities == 0
    progress.record_visit(ani.id, a1, complete=True)
    db.session.expire_all()
    row = db.session.scalar(select(ActivityProgress))
    assert row.completed_at is not None
    assert _count(ActivityProgress) == 1
    assert _enrollment(ani, big).completed_activities == 1


def test_a_visit_is_worth_recording_when_it_changes_something(world):
    ani, _budi, big, _small = world
    a1 = _activities(big)[0]
    assert progress.visit_worth_recording(None, False) is True
    progress.record_visit(ani.id, a1)
    row = db.session.scalar(select(ActivityProgress))
    assert progress.visit_worth_recording(row, False) is False
    assert progress.visit_worth_recording(row, True) is True  # completes on view
    row.last_visit_at -= progress.VISIT_RESOLUTION
    assert progress.visit_worth_recording(row, False) is True
    row.last_visit_at += timedelta(seconds=30)
    assert progress.visit_worth_recording(row, False) is False
    progress.complete_activity(ani.id, a1)
    db.session.expire_all()
    row = db.session.scalar(select(ActivityProgress))
    assert progress.visit_worth_recording(row, True) is False
    assert progress.VISIT_RESOLUTION == timedelta(minutes=5)


def test_the_course_completes_at_the_moment_of_its_last_activity(world):
    ani, _budi, _big, small = world
    s1, s2 = _activities(small)
    progress.complete_activity(ani.id, s1)
    progress.complete_activity(ani.id, s2)
    db.session.rollback()  # complete_activity committed: nothing is lost
    last = db.session.scalar(
        select(ActivityProgress.completed_at).where(
            ActivityProgress.activity_id == s2.id
        )
    )
    enrollment = _enrollment(ani, small)
    assert enrollment.completed_at == last == enrollment.last_activity_at
    assert db.session.scalar(select(Certificate.completed_on)) is not None


def test_a_recount_without_a_time_stamps_now(world):
    ani, _budi, big, _small = world
    before = datetime.now(UTC)
    progress.refresh_enrollment(ani.id, big.id)
    assert _enrollment(ani, big).last_activity_at >= before - timedelta(seconds=1)


def test_without_commit_the_callers_transaction_decides(world):
    ani, _budi, _big, small = world
    s1, _s2 = _activities(small)
    assert progress.complete_activity(ani.id, s1, commit=False) is True
    db.session.rollback()  # e.g. the quiz submission around it failed
    assert _count(ActivityProgress) == 0
    assert _enrollment(ani, small).completed_activities == 0


def test_a_visit_exactly_five_minutes_later_is_recorded(world, monkeypatch):
    ani, _budi, big, _small = world
    progress.record_visit(ani.id, _activities(big)[0])
    row = db.session.scalar(select(ActivityProgress))
    monkeypatch.setattr(
        progress, "utcnow", lambda: row.last_visit_at + progress.VISIT_RESOLUTION
    )
    assert progress.visit_worth_recording(row, False) is True
