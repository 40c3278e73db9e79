"""Importing courses: idempotent, keyed by stable identities, and kind to learners' progress."""

import shutil

from sqlalchemy import func, select

from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, ActivityProgress, Course, Enrollment, Module


def activity(key):
    return db.session.scalar(select(Activity).where(Activity.key == key))


def test_import_creates_course_modules_and_activities_in_order(
    app, import_courses, course_dir
):
    (plan,) = import_courses(course_dir)
    assert plan.new_course and len(plan.added) == 3
    course = db.session.scalar(select(Course))
    assert course.title == "Contoh Kursus" and course.jp == 1 and course.minutes == 45
    rows = db.session.execute(
        select(Activity.key, Activity.position, Activity.type).order_by(
            Activity.position
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        ("pengantar/selamat-datang", 1, "lesson"),
        ("pengantar/cara-belajar", 2, "lesson"),
        ("praktik/latihan", 3, "lesson"),
    ]
    assert "<table>" in activity("pengantar/selamat-datang").html


def test_reimport_is_idempotent(app, import_courses, course_dir):
    import_courses(course_dir)
    before = db.session.execute(
        select(Activity.id, Activity.version, Activity.updated_at)
    ).all()
    (plan,) = import_courses(course_dir)
    assert not plan.changed and plan.unchanged == 3
    assert (
        db.session.execute(
            select(Activity.id, Activity.version, Activity.updated_at)
        ).all()
        == before
    )
    assert db.session.scalar(select(func.count(Module.id))) == 2


def test_reimport_after_edit_keeps_progress_and_updates_content(
    app, import_courses, course_dir, make_user
):
    import_courses(course_dir)
    learner = make_user()
    course = db.session.scalar(select(Course))
    progress.enroll(learner, course)
    lesson = activity("pengantar/selamat-datang")
    progress.complete_activity(learner.id, lesson)
    old_id = lesson.id

    (course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md").write_text(
        "---\ntitle: Selamat Datang (revisi)\nminutes: 12\n---\nIsi baru.\n"
    )
    (plan,) = import_courses(course_dir)
    assert plan.updated == ["pengantar/selamat-datang"]
    db.session.expire_all()
    lesson = activity("pengantar/selamat-datang")
    assert (
        lesson.id == old_id
        and lesson.title == "Selamat Datang (revisi)"
        and lesson.version == 2
    )
    assert "Isi baru." in lesson.html
    row = db.session.scalar(
        select(ActivityProgress).where(ActivityProgress.activity_id == old_id)
    )
    assert row.completed_at is not None


def test_renumbering_reorders_and_keeps_identity(app, import_courses, course_dir):
    import_courses(course_dir)
    ids = {a.key: a.id for a in db.session.scalars(select(Activity))}
    base = course_dir / "contoh-kursus" / "01-pengantar"
    (base / "01-selamat-datang.md").rename(base / "03-selamat-datang.md")
    (plan,) = import_courses(course_dir)
    assert (
        set(plan.moved) == {"pengantar/selamat-datang", "pengantar/cara-belajar"}
        and not plan.updated
    )
    db.session.expire_all()
    order = db.session.scalars(select(Activity.key).order_by(Activity.position)).all()
    assert order[:2] == ["pengantar/cara-belajar", "pengantar/selamat-datang"]
    assert {a.key: a.id for a in db.session.scalars(select(Activity))} == ids


def test_removed_activity_is_archived_and_stops_counting(
    app, import_courses, course_dir, make_user
):
    import_courses(course_dir)
    learner = make_user()
    course = db.session.scalar(select(Course))
    progress.enroll(learner, course)
    for key in ("pengantar/selamat-datang", "pengantar/cara-belajar"):
        progress.complete_activity(learner.id, activity(key))
    enrollment = progress.get_enrollment(learner.id, course.id)
    assert enrollment.completed_at is None and enrollment.completed_activities == 2

    (course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md").unlink()
    (course_dir / "contoh-kursus" / "02-praktik" / "01-ringkasan.md").write_text(
        "---\ntitle: Ringkasan\nminutes: 5\n---\n"
    )
    (plan,) = import_courses(course_dir)
    assert plan.archived == ["praktik/latihan"] and plan.added == ["praktik/ringkasan"]
    assert activity("praktik/latihan").archived_at is not None
    progress.complete_activity(learner.id, activity("praktik/ringkasan"))
    db.session.expire_all()
    enrollment = progress.get_enrollment(learner.id, course.id)
    assert enrollment.completed_activities == 3 and enrollment.completed_at is not None


def test_archiving_the_last_missing_activity_completes_the_course(
    app, import_courses, course_dir, make_user
):
    import_courses(course_dir)
    learner = make_user()
    course = db.session.scalar(select(Course))
    progress.enroll(learner, course)
    for key in ("pengantar/selamat-datang", "pengantar/cara-belajar"):
        progress.complete_activity(learner.id, activity(key))
    shutil.rmtree(course_dir / "contoh-kursus" / "02-praktik")
    import_courses(course_dir)
    db.session.expire_all()
    assert progress.get_enrollment(learner.id, course.id).completed_at is not None
    assert (
        db.session.scalar(select(Module.archived_at).where(Module.key == "praktik"))
        is not None
    )


def test_recount_after_import_is_set_based_and_keeps_last_activity(
    app, import_courses, course_dir, make_user, count_queries
):
    """Learners are recounted in a fixed number of statements; none looks active because of it."""
    from datetime import timedelta

    from lms.models.types import utcnow

    import_courses(course_dir)
    course = db.session.scalar(select(Course))

    def add_learners(count):
        for n in range(count):
            learner = make_user()
            progress.enroll(learner, course)
            if n % 2:  # half of them have done the first two lessons of three
                for key in ("pengantar/selamat-datang", "pengantar/cara-belajar"):
                    progress.complete_activity(learner.id, activity(key))

    def statements_to_recount():
        with count_queries() as statements:
            progress.refresh_course_enrollments("contoh-kursus")
        return len(statements)

    add_learners(4)
    few = statements_to_recount()
    add_learners(8)
    assert statements_to_recount() == few
    last_week = utcnow() - timedelta(days=7)
    db.session.execute(Enrollment.__table__.update().values(last_activity_at=last_week))
    db.session.commit()

    (course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md").unlink()
    import_courses(
        course_dir
    )  # the third lesson goes: half of them have now done it all
    db.session.expire_all()
    enrollments = db.session.scalars(select(Enrollment)).all()
    assert {e.last_activity_at for e in enrollments} == {last_week}
    done = sorted(
        (e.completed_activities, e.completed_at is not None) for e in enrollments
    )
    assert done == [(0, False)] * 6 + [(2, True)] * 6


def test_restored_activity_keeps_its_old_progress(
    app, import_courses, course_dir, make_user
):
    import_courses(course_dir)
    learner = make_user()
    course = db.session.scalar(select(Course))
    progress.enroll(learner, course)
    progress.complete_activity(learner.id, activity("praktik/latihan"))
    source = course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md"
    saved = source.read_text()
    source.unlink()
    (course_dir / "contoh-kursus" / "02-praktik" / "02-lain.md").write_text(
        "---\ntitle: Lain\nminutes: 5\n---\n"
    )
    import_courses(course_dir)
    source.write_text(saved)
    (plan,) = import_courses(course_dir)
    assert plan.restored == ["praktik/latihan"]
    db.session.expire_all()
    assert activity("praktik/latihan").archived_at is None
    assert db.session.scalar(select(func.count(Enrollment.id))) == 1
    assert progress.get_enrollment(learner.id, course.id).completed_activities == 1


def test_module_changes_alone_are_imported(app, import_courses, course_dir):
    import_courses(course_dir)
    (course_dir / "contoh-kursus" / "02-praktik" / "module.md").write_text(
        "---\ntitle: Praktik Lapangan\n---\n"
    )
    (plan,) = import_courses(course_dir)
    assert plan.course_changed and not plan.updated
    db.session.expire_all()
    assert (
        db.session.scalar(select(Module.title).where(Module.key == "praktik"))
        == "Praktik Lapangan"
    )


def test_sources_are_kept_for_export_and_editing(app, import_courses, course_dir):
    import_courses(course_dir)
    path = course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md"
    assert activity("pengantar/selamat-datang").source == path.read_text()
    course = db.session.scalar(select(Course))
    assert course.source == (course_dir / "contoh-kursus" / "course.md").read_text()
