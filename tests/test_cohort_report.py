"""The cohort report's statuses, percentages and scores, computed in SQL, follow the rules on edge cases.

The example course has three activities: pengantar/selamat-datang and pengantar/cara-belajar in the
module "pengantar", praktik/latihan in "praktik" (one member's activity is a third, 33%).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.cohorts.members import add_member
from lms.cohorts.report import cohort_reports, cohort_summaries
from lms.extensions import db
from lms.learn import progress
from lms.models import (
    Activity,
    ActivityProgress,
    Cohort,
    CohortModuleDue,
    Course,
    Module,
)
from lms.models.types import utcnow
from tests.cohort_world import TODAY, add_cohort


@pytest.fixture
def course(import_courses):
    import_courses()
    return db.session.scalar(select(Course).where(Course.slug == "contoh-kursus"))


@pytest.fixture
def make_cohort(course):
    def make(name="Angkatan", starts=-10, ends=20, course_id=None):
        return add_cohort(course_id or course.id, name, starts, ends)

    return make


@pytest.fixture
def join(make_user):
    """Put a new member called `name` in the cohort, having completed the activities `done`."""

    def make(cohort, name, *done, score=None):
        user = make_user(name=name)
        add_member(cohort, user)
        for key in done:
            progress.complete_activity(user.id, activity(key), score=score)
        return user

    return make


def activity(key):
    return db.session.scalar(select(Activity).where(Activity.key == key))


def due(cohort, module_key, days):
    module = db.session.scalar(select(Module).where(Module.key == module_key))
    db.session.add(
        CohortModuleDue(
            cohort_id=cohort.id,
            module_id=module.id,
            due_on=TODAY + timedelta(days=days),
        )
    )
    db.session.commit()  # fmt: skip


def report(cohort, today=TODAY):
    (result,) = cohort_reports([cohort], today)
    return result


def by_name(result):
    return {m.name: m for m in result.members}


def test_members_without_progress_are_not_started_until_the_end(make_cohort, join):
    cohort = make_cohort()
    join(cohort, "Diam")
    (idle,) = report(cohort).members
    assert (idle.status, idle.done, idle.total, idle.percent) == (
        "not_started",
        0,
        3,
        0,
    )
    assert report(cohort, cohort.ends_on).members[0].status == "not_started"
    ended = report(cohort, cohort.ends_on + timedelta(days=1)).members[0]
    assert ended.status == "overdue" and not ended.behind


def test_a_visit_without_completing_is_in_progress(make_cohort, join):
    cohort = make_cohort()
    user = join(cohort, "Lihat")
    progress.record_visit(user.id, activity("pengantar/selamat-datang"))
    member = report(cohort).members[0]
    assert (member.status, member.done, member.last_active is not None) == (
        "in_progress",
        0,
        True,
    )


def test_a_completed_course_stays_completed_after_the_end_and_due_dates(
    make_cohort, join
):
    cohort = make_cohort()
    due(cohort, "praktik", -5)
    join(cohort, "Tuntas", "pengantar/selamat-datang", "pengantar/cara-belajar", "praktik/latihan")  # fmt: skip
    for day in (TODAY, cohort.ends_on + timedelta(days=30)):
        member = report(cohort, day).members[0]
        assert (member.status, member.percent, member.behind) == (
            "completed",
            100,
            False,
        )


def test_a_module_past_its_due_date_makes_only_those_who_have_not_finished_it_overdue(
    make_cohort, join
):
    cohort = make_cohort()
    due(cohort, "pengantar", -1)
    join(cohort, "Modul selesai", "pengantar/selamat-datang", "pengantar/cara-belajar")
    join(cohort, "Kurang satu", "pengantar/selamat-datang", "praktik/latihan")
    join(cohort, "Belum mulai")
    status = {name: m.status for name, m in by_name(report(cohort)).items()}
    assert status == {
        "Modul selesai": "in_progress",
        "Kurang satu": "overdue",
        "Belum mulai": "overdue",
    }
    # opening the missing activity is not finishing it
    progress.record_visit(
        by_name(report(cohort))["Kurang satu"].user_id,
        activity("pengantar/cara-belajar"),
    )
    assert by_name(report(cohort))["Kurang satu"].status == "overdue"
    # the due day itself is not late yet
    status = {name: m.status for name, m in by_name(report(cohort, TODAY - timedelta(days=1))).items()}  # fmt: skip
    assert (
        status["Kurang satu"] == "in_progress"
        and status["Belum mulai"] == "not_started"
    )


def test_archived_and_unpublished_activities_do_not_count(make_cohort, join):
    cohort = make_cohort()
    due(cohort, "pengantar", -1)
    member = join(cohort, "Anwar", "pengantar/selamat-datang", "praktik/latihan")
    assert report(cohort).members[0].status == "overdue"
    # the activity Anwar did not do is archived: the late module is finished after all
    activity("pengantar/cara-belajar").archived_at = utcnow()
    db.session.commit()
    line = report(cohort).members[0]
    assert (line.status, line.done, line.total, line.percent) == (
        "in_progress",
        2,
        2,
        100,
    )
    # an activity they did is unpublished: it counts neither as done nor in the total
    activity("praktik/latihan").published = False
    db.session.commit()
    line = report(cohort).members[0]
    assert (line.done, line.total, line.percent) == (1, 1, 100)
    assert [a.key for a in report(cohort).activities] == ["pengantar/selamat-datang"]
    _ = member


def test_expected_percent_follows_due_dates_when_there_are_any(make_cohort, join):
    cohort = make_cohort(
        starts=-10, ends=20
    )  # the calendar alone expects 10 of 30 days: 33%
    assert report(cohort).expected_percent == 33
    due(cohort, "pengantar", 0)  # two of three activities due today
    assert report(cohort).expected_percent == 66
    assert report(cohort, TODAY - timedelta(days=1)).expected_percent == 0


def test_a_due_date_on_a_module_without_current_activities_expects_nothing(
    make_cohort, join
):
    cohort = make_cohort()
    due(cohort, "praktik", -3)
    activity("praktik/latihan").archived_at = utcnow()
    db.session.commit()
    join(cohort, "Santai")
    result = report(cohort)
    assert result.expected_percent == 0
    assert (result.members[0].status, result.members[0].behind) == (
        "not_started",
        False,
    )


@pytest.mark.parametrize(
    ("days_gone", "behind"),
    [
        (43, False),
        (44, True),
    ],  # 33% done; behind when the calendar expects more than 43%
)
def test_behind_is_more_than_the_margin_under_the_calendar(
    make_cohort, join, days_gone, behind
):
    cohort = make_cohort(starts=-days_gone, ends=100 - days_gone)
    join(cohort, "Sepertiga", "praktik/latihan")
    result = report(cohort)
    assert result.expected_percent == days_gone
    assert (result.members[0].percent, result.members[0].behind) == (33, behind)
    assert result.counts() == {
        "on_track": int(not behind),
        "behind": int(behind),
        "overdue": 0,
        "completed": 0,
    }


def test_calendar_edges_a_cohort_of_one_day_and_one_that_ends_before_it_starts(
    make_cohort, join
):
    today = make_cohort("Sehari", starts=0, ends=0)
    yesterday = make_cohort("Kemarin", starts=-1, ends=-1)
    backwards = make_cohort("Terbalik", starts=-2, ends=-5)
    future = make_cohort("Nanti", starts=5, ends=30)
    reports = cohort_reports([today, yesterday, backwards, future], TODAY)
    assert [r.expected_percent for r in reports] == [0, 100, 100, 0]


def test_each_cohort_is_judged_by_its_own_calendar(make_cohort, join):
    relaxed = make_cohort("Santai")
    strict = make_cohort("Ketat")
    due(strict, "pengantar", -1)
    join(relaxed, "Di santai", "pengantar/selamat-datang")
    join(strict, "Di ketat", "pengantar/selamat-datang")
    reports = cohort_reports([relaxed, strict], TODAY)
    assert [(m.name, m.status) for r in reports for m in r.members] == [
        ("Di santai", "in_progress"),
        ("Di ketat", "overdue"),
    ]
    assert [r.expected_percent for r in reports] == [33, 66]


def test_a_due_date_on_another_courses_module_changes_nothing(
    import_courses, quiz_dir, make_cohort, join
):
    import_courses(quiz_dir)
    cohort = make_cohort()
    due(cohort, "pengantar", -1)
    due(cohort, "modul", -1)  # a module of the quiz course
    user = join(cohort, "Setengah", "pengantar/selamat-datang")
    reading = activity("modul/bacaan")
    progress.enroll(user, reading.course)
    progress.complete_activity(user.id, reading)
    result = report(cohort)
    assert result.expected_percent == 66
    assert (result.members[0].status, result.members[0].done) == ("overdue", 1)


def test_quiz_scores_are_the_members_own_in_their_course(
    import_courses, quiz_dir, make_cohort, join, make_user
):
    import_courses(quiz_dir)
    quiz_course = db.session.scalar(select(Course).where(Course.slug == "kursus-kuis"))
    quiz = activity("modul/kuis")
    cohort = make_cohort("Kuis", course_id=quiz_course.id)
    passed = join(cohort, "Lulus")
    progress.complete_activity(passed.id, quiz, score=Decimal("85.50"))
    failed = join(cohort, "Gagal")
    db.session.add(ActivityProgress(user_id=failed.id, activity_id=quiz.id, score=Decimal(40)))  # fmt: skip
    db.session.commit()
    join(cohort, "Kosong")
    members = by_name(report(cohort))
    assert members["Lulus"].quiz_scores == {quiz.id: Decimal("85.50")}
    assert members["Gagal"].quiz_scores == {quiz.id: Decimal("40.00")}
    assert members["Gagal"].done == 0 and members["Kosong"].quiz_scores == {}
    # in a cohort of another course (reported together) the same learner has no score and no work
    other = make_cohort("Lain")
    add_member(other, passed)
    (line,) = cohort_reports([cohort, other], TODAY)[1].members
    assert line.quiz_scores == {} and line.done == 0


def test_cohort_summaries_agree_with_the_reports(make_cohort, join):
    calendar = make_cohort(
        "Kalender", starts=-50, ends=50
    )  # expects 50%: behind under 40%
    join(calendar, "Tepat", "pengantar/selamat-datang", "pengantar/cara-belajar")
    join(calendar, "Tertinggal", "praktik/latihan")
    join(calendar, "Diam")
    dated = make_cohort("Bertanggal")
    due(dated, "praktik", -1)
    join(dated, "Selesai", "pengantar/selamat-datang", "pengantar/cara-belajar", "praktik/latihan")  # fmt: skip
    join(dated, "Terlambat", "pengantar/selamat-datang")
    empty = make_cohort("Kosong")
    cohorts = [calendar, dated, empty]
    summaries = cohort_summaries(cohorts, TODAY)
    assert summaries == [r.summary() for r in cohort_reports(cohorts, TODAY)]
    at_a_glance = [(s.member_count, s.percent, s.expected_percent, s.counts()) for s in summaries]  # fmt: skip
    assert at_a_glance == [
        (3, 33, 50, {"on_track": 1, "behind": 2, "overdue": 0, "completed": 0}),
        (2, 66, 33, {"on_track": 0, "behind": 0, "overdue": 1, "completed": 1}),
        (0, 0, 33, {"on_track": 0, "behind": 0, "overdue": 0, "completed": 0}),
    ]
    assert [s.last_active is not None for s in summaries] == [True, True, False]


def test_report_and_summary_queries_do_not_grow_with_cohorts_or_members(
    make_cohort, join, count_queries
):
    cohorts = [make_cohort(f"Angkatan {n}") for n in range(3)]
    join(cohorts[0], "Satu", "praktik/latihan")
    for cohort in cohorts:
        db.session.refresh(cohort)  # loaded, as a view has them
    with count_queries() as small_report:
        cohort_reports(cohorts[:1], TODAY)
    with count_queries() as small_summary:
        cohort_summaries(cohorts[:1], TODAY)
    for n, cohort in enumerate(cohorts):
        due(cohort, "pengantar", n - 1)
        for m in range(4):
            join(cohort, f"Anggota {n}.{m}", "pengantar/selamat-datang")
    for cohort in cohorts:
        db.session.refresh(cohort)
    with count_queries() as big_report:
        cohort_reports(cohorts, TODAY)
    with count_queries() as big_summary:
        cohort_summaries(cohorts, TODAY)
    # the first report also reads the course's activities, which later ones find kept
    assert (len(small_report), len(big_report)) == (2, 1)
    assert len(small_summary) == len(big_summary) == 1


def test_the_course_activities_are_read_again_only_when_the_course_changes(
    make_cohort, join, count_queries
):
    cohort = make_cohort()
    join(cohort, "Ani", "praktik/latihan")
    db.session.refresh(cohort)
    with count_queries() as first:
        keys = [a.key for a in cohort_reports([cohort], TODAY)[0].activities]
    with count_queries() as again:
        assert [a.key for a in cohort_reports([cohort], TODAY)[0].activities] == keys
    assert [s for s in first if "FROM activities" in s]
    assert not [s for s in again if "FROM activities" in s]

    activity("praktik/latihan").published = False  # bumps the course's content version
    db.session.commit()
    with count_queries() as changed:
        (result,) = cohort_reports([cohort], TODAY)
    assert [s for s in changed if "FROM activities" in s]
    assert [a.key for a in result.activities] == [
        k for k in keys if k != "praktik/latihan"
    ]
    assert result.members[0].done == 0


def test_reports_read_from_the_replica_when_one_is_configured(
    app, make_cohort, join, make_user, tmp_path
):
    """With LMS_REPORTS_DATABASE_URL, reports and exports query the replica; the rest the primary.

    The "replica" here is the same database under a second engine, so the figures must agree.
    """
    from sqlalchemy import event

    from lms import create_app

    cohort = make_cohort()
    join(cohort, "Ani", "pengantar/selamat-datang")
    join(cohort, "Budi")
    make_user(role="admin", email="admin@example.org")
    expected = [(m.name, m.percent, m.status) for m in report(cohort).members]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    replicated = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                             "SECRET_KEY": "test-secret-key-not-for-production", "SQLALCHEMY_BINDS": {"reports": url},
                             "LMS_UPLOADS_DIR": str(tmp_path), "LMS_MAIL_BACKGROUND": False})  # fmt: skip
    seen = {"primary": [], "replica": []}
    with replicated.app_context():
        engines = {"primary": db.engines[None], "replica": db.engines["reports"]}
        for name, engine in engines.items():
            event.listen(engine, "before_cursor_execute", lambda *a, n=name: seen[n].append(a[2]))  # fmt: skip
        reloaded = db.session.get(Cohort, cohort.id)
        (result,) = cohort_reports([reloaded], TODAY)
        assert [(m.name, m.percent, m.status) for m in result.members] == expected
        db.session.remove()
    assert any("activity_progress" in s for s in seen["replica"])
    assert not any("activity_progress" in s for s in seen["primary"])

    # Requests outside that app context, so each gets its own (and its own signed-in user).
    client = replicated.test_client()
    client.post("/login", data={"login": "admin@example.org", "password": "kata-sandi-yang-panjang"})  # fmt: skip
    seen["primary"].clear(), seen["replica"].clear()
    try:
        export = client.get(f"/cohorts/{cohort.id}/export/members.csv")
        assert export.status_code == 200 and "Ani" in export.get_data(as_text=True)
        assert any("activity_progress" in s for s in seen["replica"])
        assert not any("activity_progress" in s for s in seen["primary"])
        assert any("users.password_hash" in s for s in seen["primary"])  # who is asking
    finally:
        for engine in engines.values():
            engine.dispose()


def test_the_report_statements_stay_short_enough_for_psycopg_to_keep_their_parse():
    """psycopg converts a statement's placeholders with a regular expression on every run unless it
    is at most MAX_CACHED_STATEMENT_LENGTH long (then the conversion is cached): about a tenth of the
    report's time on PostgreSQL."""
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

    from lms.cohorts.member_status import COHORT_ROWS, MEMBER_ROWS

    dialect = PGDialect_psycopg()
    for statement in (MEMBER_ROWS, COHORT_ROWS):
        # unexpanded, the cohort list's placeholder is longer than one cohort's
        assert (
            len(str(statement.compile(dialect=dialect))) <= MAX_CACHED_STATEMENT_LENGTH
        )
