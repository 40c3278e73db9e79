"""The course outline is kept per content version (`lms.cache`) and rebuilt whenever the course changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.learn import outline as outline_module
from lms.models import Activity, Course, Module

LESSON = "/courses/contoh-kursus/pengantar/selamat-datang/"


def sidebar(client) -> str:
    page = client.get(LESSON).get_data(as_text=True)
    return page.split('<aside class="sidebar"', 1)[1]


def signed_in_learner(client, auth, make_user, import_courses, course_dir):
    import_courses(course_dir)
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/courses/contoh-kursus/enroll")


def first_lesson() -> Activity:
    return db.session.scalar(
        select(Activity).where(Activity.key == "pengantar/selamat-datang")
    )


def outline_seen_once(client, auth, make_user, import_courses, course_dir):
    """Show a learner the outline once; return the course, its version and its last lesson."""
    signed_in_learner(client, auth, make_user, import_courses, course_dir)
    sidebar(client)
    course = db.session.scalar(select(Course))
    lesson = db.session.scalar(select(Activity).where(Activity.key.like("%latihan")))
    return course, course.content_version, lesson


def test_outline_is_built_once_while_the_course_is_unchanged(
    app, client, auth, make_user, import_courses, course_dir, count_queries, monkeypatch
):
    signed_in_learner(client, auth, make_user, import_courses, course_dir)
    client.get(LESSON)
    builds = []
    real = outline_module._load_structure
    monkeypatch.setattr(
        outline_module, "_load_structure", lambda c: builds.append(c) or real(c)
    )
    with count_queries() as statements:
        for _ in range(3):
            assert "Cara Belajar" in sidebar(client)
    assert builds == []
    assert not any("FROM modules" in s for s in statements)


def test_reimport_shows_renamed_and_new_activities(
    client, auth, make_user, import_courses, course_dir
):
    signed_in_learner(client, auth, make_user, import_courses, course_dir)
    assert "Cara Belajar" in sidebar(client)
    module = course_dir / "contoh-kursus" / "01-pengantar"
    path = module / "02-cara-belajar.md"
    path.write_text(path.read_text().replace("Cara Belajar", "Cara Belajar Mandiri"))
    (module / "03-penutup.md").write_text(
        "---\ntitle: Penutup\nminutes: 5\n---\nIsi.\n"
    )
    import_courses(course_dir)
    outline = sidebar(client)
    assert "Cara Belajar Mandiri" in outline and "Penutup" in outline


def test_removed_activity_leaves_the_outline(
    client, auth, make_user, import_courses, course_dir
):
    signed_in_learner(client, auth, make_user, import_courses, course_dir)
    assert "Latihan" in sidebar(client)
    (course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md").unlink()
    import_courses(course_dir)
    assert "Latihan" not in sidebar(client)


def test_module_renamed_in_the_browser_shows_at_once(
    client, auth, make_user, import_courses, course_dir
):
    from tests.authoring_helpers import become_instructor

    import_courses(course_dir)
    become_instructor(make_user, auth)
    client.post("/courses/contoh-kursus/enroll")
    assert "Pengantar" in sidebar(client)
    response = client.post(
        "/author/contoh-kursus/modules/pengantar/edit",
        data={"key": "pengantar", "title": "Pembukaan", "summary": "", "intro": ""},
    )
    assert response.status_code == 302
    outline = sidebar(client)
    assert "Pembukaan" in outline and "<h3>Pengantar</h3>" not in outline


def test_any_change_to_what_the_outline_shows_bumps_the_version(
    client, auth, make_user, import_courses, course_dir
):
    """Code that forgets to bump the version by hand still cannot leave a stale outline."""
    course, version, lesson = outline_seen_once(
        client, auth, make_user, import_courses, course_dir
    )
    lesson.title = "Latihan Baru"
    db.session.commit()
    assert course.content_version == version + 1
    assert "Latihan Baru" in sidebar(client)

    module = db.session.scalar(select(Module).where(Module.key == "praktik"))
    module.archived_at = lesson.created_at
    db.session.commit()
    assert course.content_version == version + 2
    assert "Latihan Baru" not in sidebar(client)


@pytest.mark.parametrize(
    "change, shown",
    [
        (lambda lesson, module: setattr(lesson, "title", "Judul Baru"), "Judul Baru"),
        (lambda lesson, module: setattr(lesson, "type", "quiz"), "Kuis</span>"),
        (
            lambda lesson, module: setattr(lesson, "key", "praktik/kunci-baru"),
            "/praktik/kunci-baru/",
        ),
        (lambda lesson, module: setattr(lesson, "published", False), "!Latihan"),
        (
            lambda lesson, module: setattr(lesson, "archived_at", lesson.created_at),
            "!Latihan",
        ),
        (
            lambda lesson, module: setattr(first_lesson(), "position", 99),
            "Cara Belajar</a>.*Selamat Datang</a>",
        ),
        (
            lambda lesson, module: setattr(module, "title", "Modul Praktik Baru"),
            "Modul Praktik Baru",
        ),
        (
            lambda lesson, module: setattr(module, "position", 0),
            "Praktik</h3>.*Pengantar</h3>",
        ),
        (
            lambda lesson, module: setattr(module, "archived_at", lesson.created_at),
            "!Latihan",
        ),
    ],
)
def test_every_field_the_outline_shows_changes_the_page(
    client, auth, make_user, import_courses, course_dir, change, shown
):
    """Any change to a module or an activity bumps the version in one place (no code need to)."""
    import re

    course, version, lesson = outline_seen_once(
        client, auth, make_user, import_courses, course_dir
    )
    module = db.session.get(Module, lesson.module_id)
    change(lesson, module)
    db.session.commit()
    assert course.content_version == version + 1
    page = sidebar(client)
    if shown.startswith("!"):
        assert shown[1:] not in page
    else:
        assert re.search(shown, page, re.DOTALL), shown


def test_outline_built_outside_a_request_keeps_the_pages_links(
    client, auth, make_user, import_courses, course_dir
):
    from lms.learn.outline import course_outline

    import_courses(course_dir)
    course_outline(
        db.session.scalar(select(Course)), None
    )  # no request: no links to build
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/courses/contoh-kursus/enroll")
    assert 'href="/courses/contoh-kursus/pengantar/cara-belajar/"' in sidebar(client)
