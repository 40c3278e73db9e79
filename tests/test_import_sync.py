"""The import's plan and apply steps: what a re-import changes, and what it leaves alone.

Each change is made alone (a lesson's text, a 0-minute lesson added, removed or brought back, an
image, course.md, a module.md), so that the plan must notice that very change to apply it.
"""

import shutil
from datetime import UTC, datetime

from sqlalchemy import select, update

from lms.activities.registry import activity_types
from lms.content.reader import read_courses
from lms.content.sync import plan_import
from lms.extensions import db
from lms.models import Activity, ActivityRevision, Course, CourseImage, Module
from lms.models.authoring import IMPORTED_NOTE

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
LONG_AGO = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
NOTE = "---\ntitle: Catatan\nminutes: 0\n---\nCatatan singkat.\n"


def plan(course_dir):
    """Return the plans an import of `course_dir` would apply, writing nothing."""
    return plan_import(read_courses(course_dir, activity_types()))


def activity(key) -> Activity:
    db.session.expire_all()
    return db.session.scalar(select(Activity).where(Activity.key == key))


def edit_body(path, extra="\nParagraf tambahan.\n"):
    """Change a lesson's text only: same title, same minutes."""
    path.write_text(path.read_text() + extra)


def test_a_new_course_plan_as_check_courses_prints_it(app, course_dir):
    (new,) = plan(course_dir)
    assert new.as_dict() == {
        "slug": "contoh-kursus",
        "new_course": True,
        "course_changed": False,
        "added": [
            "pengantar/selamat-datang",
            "pengantar/cara-belajar",
            "praktik/latihan",
        ],
        "updated": [],
        "moved": [],
        "archived": [],
        "restored": [],
        "images_added": [],
        "unchanged": 0,
    }


def test_modules_are_numbered_from_one_and_none_is_archived(
    app, import_courses, course_dir
):
    import_courses(course_dir)
    rows = db.session.execute(select(Module.key, Module.position, Module.archived_at)
                              .order_by(Module.position)).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [("pengantar", 1, None), ("praktik", 2, None)]
    edit_body(course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md")
    import_courses(course_dir)
    db.session.expire_all()
    assert db.session.scalars(select(Module.archived_at)).all() == [None, None]


def test_a_text_edit_alone_updates_that_lesson_and_its_version_only(
    app, import_courses, course_dir
):
    import_courses(course_dir)
    edit_body(course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md")
    (change,) = plan(course_dir)
    assert change.updated == ["pengantar/selamat-datang"] and not change.course_changed
    import_courses(course_dir)
    assert "Paragraf tambahan." in activity("pengantar/selamat-datang").html
    versions = dict(db.session.execute(select(Activity.key, Activity.version)).all())
    assert versions == {
        "pengantar/selamat-datang": 2,
        "pengantar/cara-belajar": 1,
        "praktik/latihan": 1,
    }


def test_a_lesson_added_removed_and_brought_back_alone(app, import_courses, course_dir):
    """A 0-minute lesson changes neither the course's minutes nor any module file."""
    note = course_dir / "contoh-kursus" / "02-praktik" / "02-catatan.md"
    import_courses(course_dir)
    note.write_text(NOTE)
    (change,) = plan(course_dir)
    assert change.added == ["praktik/catatan"] and not change.course_changed
    import_courses(course_dir)
    assert activity("praktik/catatan").archived_at is None

    note.unlink()
    (change,) = plan(course_dir)
    assert change.archived == ["praktik/catatan"] and not change.course_changed
    import_courses(course_dir)
    assert activity("praktik/catatan").archived_at is not None
    (again,) = plan(course_dir)
    assert not again.changed and again.archived == []

    note.write_text(NOTE)
    (change,) = plan(course_dir)
    assert change.restored == ["praktik/catatan"] and not change.course_changed
    import_courses(course_dir)
    back = activity("praktik/catatan")
    assert back.archived_at is None and back.version == 2  # learners' copies refresh


def test_an_archived_lesson_and_module_keep_their_archiving_date(
    app, import_courses, course_dir
):
    import_courses(course_dir)
    shutil.rmtree(course_dir / "contoh-kursus" / "02-praktik")
    import_courses(course_dir)
    db.session.execute(update(Activity).where(Activity.key == "praktik/latihan")
                       .values(archived_at=LONG_AGO))  # fmt: skip
    db.session.execute(
        update(Module).where(Module.key == "praktik").values(archived_at=LONG_AGO)
    )
    db.session.commit()
    edit_body(course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md")
    import_courses(course_dir)
    assert activity("praktik/latihan").archived_at == LONG_AGO
    archived = db.session.scalar(
        select(Module.archived_at).where(Module.key == "praktik")
    )
    assert archived == LONG_AGO


def test_an_image_is_added_once_per_course(app, import_courses, course_dir):
    first = course_dir / "contoh-kursus"
    second = course_dir / "kursus-kedua"
    shutil.copytree(first, second)
    import_courses(course_dir)
    (first / "images").mkdir()
    (first / "images" / "bagan.png").write_bytes(PNG)
    plans = {p.slug: p for p in plan(course_dir)}
    assert plans["contoh-kursus"].images_added == ["bagan.png"]
    assert not plans["kursus-kedua"].changed
    import_courses(course_dir)
    first_id = db.session.scalar(
        select(Course.id).where(Course.slug == "contoh-kursus")
    )
    assert db.session.scalars(select(CourseImage.course_id)).all() == [first_id]
    assert not any(p.changed for p in plan(course_dir))

    (second / "images").mkdir()  # the same picture, in another course
    (second / "images" / "bagan.png").write_bytes(PNG)
    plans = {p.slug: p for p in plan(course_dir)}
    assert plans["kursus-kedua"].images_added == ["bagan.png"]
    import_courses(course_dir)
    assert len(db.session.scalars(select(CourseImage.course_id)).all()) == 2


def test_changed_files_replace_browser_drafts_and_unchanged_ones_keep_them(
    app, import_courses, course_dir
):
    import_courses(course_dir)
    course = db.session.scalar(select(Course))
    course.draft_source = "draf kursus"
    for module in db.session.scalars(select(Module)):
        module.draft_source = f"draf {module.key}"
    db.session.commit()

    def drafts():
        db.session.expire_all()
        modules = dict(
            db.session.execute(select(Module.key, Module.draft_source)).all()
        )
        return db.session.scalar(select(Course.draft_source)), modules

    edit_body(course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md")
    import_courses(course_dir)
    assert drafts() == (
        "draf kursus",
        {"pengantar": "draf pengantar", "praktik": "draf praktik"},
    )

    course_md = course_dir / "contoh-kursus" / "course.md"
    course_md.write_text(
        course_md.read_text().replace("Contoh Kursus", "Kursus Contoh")
    )
    (change,) = plan(course_dir)
    assert change.course_changed and not change.updated
    import_courses(course_dir)
    assert db.session.scalar(select(Course.title)) == "Kursus Contoh"
    assert drafts() == (
        None,
        {"pengantar": "draf pengantar", "praktik": "draf praktik"},
    )

    module_md = course_dir / "contoh-kursus" / "02-praktik" / "module.md"
    module_md.write_text("---\ntitle: Praktik\nsummary: Latihan di kantor.\n---\n")
    import_courses(course_dir)
    assert drafts() == (None, {"pengantar": "draf pengantar", "praktik": None})


def _revise(activity_key, numbers):
    """Save browser revisions of an activity, as the editor does."""
    found = activity(activity_key)
    for number in numbers:
        db.session.add(ActivityRevision(activity_id=found.id, number=number, title=found.title,
                                        source=found.source, summary="suntingan"))  # fmt: skip
    db.session.commit()


def _revisions(activity_key):
    found = activity(activity_key)
    return db.session.scalars(
        select(ActivityRevision).where(ActivityRevision.activity_id == found.id)
        .order_by(ActivityRevision.number)
    ).all()  # fmt: skip


def test_an_imported_text_becomes_the_newest_published_revision(
    app, import_courses, course_dir
):
    """Only an activity edited in the browser, and only when its file's text changed."""
    import_courses(course_dir)
    _revise("pengantar/selamat-datang", [1, 2])
    _revise("pengantar/cara-belajar", [1, 2, 3, 4, 5])
    path = course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md"
    edit_body(path)
    edit_body(course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md")
    import_courses(course_dir)
    revisions = _revisions("pengantar/selamat-datang")
    assert [r.number for r in revisions] == [1, 2, 3]
    newest = revisions[-1]
    assert newest.summary == IMPORTED_NOTE and newest.source == path.read_text()
    assert newest.published_at is not None and newest.author_id is None
    assert [r.number for r in _revisions("pengantar/cara-belajar")] == [1, 2, 3, 4, 5]
    assert (
        _revisions("praktik/latihan") == []
    )  # its first browser edit records the file


def test_bringing_back_an_unchanged_lesson_adds_no_revision(
    app, import_courses, course_dir
):
    note = course_dir / "contoh-kursus" / "02-praktik" / "02-catatan.md"
    note.write_text(NOTE)
    import_courses(course_dir)
    _revise("praktik/catatan", [1])
    note.unlink()
    import_courses(course_dir)
    note.write_text(NOTE)
    import_courses(course_dir)
    assert [r.number for r in _revisions("praktik/catatan")] == [1]


def test_an_unchanged_reimport_only_reads(
    app, import_courses, course_dir, count_queries
):
    """Nothing is rewritten and no learner is recounted: the import costs what its plan costs."""
    import_courses(course_dir)
    courses = read_courses(course_dir, activity_types())
    with count_queries() as planning:
        plan_import(courses)
    with count_queries() as importing:
        import_courses(course_dir)
    assert len(importing) == len(planning)


def test_a_new_course_without_activities_yet_is_created(
    app, import_courses, course_dir
):
    """An author may start with course.md and an empty module folder."""
    folder = course_dir / "kerangka"
    (folder / "01-awal").mkdir(parents=True)
    (folder / "course.md").write_text(
        "---\ntitle: Kerangka\nsummary: Belum ada isi.\njp: 2\n---\n"
    )
    (folder / "01-awal" / "module.md").write_text("---\ntitle: Awal\n---\n")
    import_courses(course_dir)
    course = db.session.scalar(select(Course).where(Course.slug == "kerangka"))
    assert course is not None and course.jp == 2
