"""Writing in the browser: previews by the learners' pipeline, errors at their lines, locking."""

from __future__ import annotations

import re

from sqlalchemy import select

from lms.extensions import db
from lms.models import Activity, ActivityRevision, Module
from tests.authoring_helpers import (
    SLUG,
    activity,
    become_instructor,
    course,
    edit_url,
    publish,
    save,
)

LESSON_URL = f"/courses/{SLUG}/pengantar/selamat-datang/"


def test_preview_is_exactly_what_the_learner_gets(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    learner = make_user(email="ani@example.org")
    learner.locale = "en"  # the same language as the instructor's preview
    db.session.commit()
    auth.login("ani@example.org")
    client.post(f"/courses/{SLUG}/enroll")
    learner_page = client.get(LESSON_URL).get_data(as_text=True)
    auth.logout()
    become_instructor(make_user, auth)
    fragment = client.post(
        edit_url(lesson, "preview"), data={"source": lesson.source, "version": "1"}
    ).get_data(as_text=True)
    body = re.search(r'<article class="activity">(.*)</article>', fragment, re.DOTALL)[
        1
    ]
    assert "<table>" in body and 'id="tentang-kursus-ini"' in body
    assert _without_csrf_tokens(body) in _without_csrf_tokens(learner_page)


def _without_csrf_tokens(html: str) -> str:
    """Blank the CSRF tokens, which differ between the two people's sessions by design."""
    return re.sub(r'(name="csrf_token" value=)"[^"]*"', r"\1''", html)


def test_preview_without_javascript_renders_the_edited_text(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    become_instructor(make_user, auth)
    text = lesson.source + "\n**Teks baru** <script>alert(1)</script>\n"
    page = client.post(
        edit_url(lesson),
        data={"source": text, "version": lesson.version, "preview": "1"},
    ).get_data(as_text=True)
    assert "<strong>Teks baru</strong>" in page
    assert "<script>alert" not in page
    assert db.session.scalar(select(ActivityRevision.id)) is None  # nothing saved


def test_gift_problems_are_shown_at_their_line_and_nothing_is_saved(
    client, auth, make_user, quiz
):
    become_instructor(make_user, auth, slug="kursus-kuis")
    lines = quiz.source.splitlines()
    broken = "\n".join(lines + ["", "::rusak:: Pertanyaan tanpa penutup {", "=a"])
    response = save(client, quiz, broken)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    preview = page.split('id="activity-preview"', 1)[1]
    assert f"Line {len(lines) + 2}:" in preview
    assert "is not closed" in preview
    # the questions that do parse are previewed as learners see them, answers hidden
    assert "Ibu kota Provinsi Kepulauan Riau" in preview
    assert "RAHASIA-UMPAN-BALIK-BENAR" not in preview
    assert db.session.get(Activity, quiz.id).source == quiz.source


def test_quiz_preview_never_shows_answers_or_feedback(client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug="kursus-kuis")
    fragment = client.post(
        edit_url(quiz, "preview"), data={"source": quiz.source, "version": "1"}
    ).get_data(as_text=True)
    assert "Ibu kota Provinsi Kepulauan Riau" in fragment
    assert 'type="radio"' in fragment
    assert "RAHASIA" not in fragment and "fraction" not in fragment


def test_second_save_from_the_same_starting_point_is_refused(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    opened = lesson.version
    become_instructor(make_user, auth)
    first = save(client, lesson, lesson.source + "\nTambahan pertama.\n", opened)
    assert first.status_code == 302
    second = save(client, lesson, lesson.source + "\nTambahan kedua.\n", opened)
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "someone else saved revision 2" in page
    assert "Tambahan kedua." in page  # the refused text is kept for the author
    revisions = db.session.scalars(select(ActivityRevision.source)).all()
    assert len(revisions) == 2 and "Tambahan pertama." in revisions[-1]
    assert not any("Tambahan kedua." in s for s in revisions)


def test_build_a_course_from_scratch(client, auth, make_user, app):
    make_user(role="instructor", email="guru@example.org")
    auth.login("guru@example.org")
    client.post(
        "/author/new",
        data={
            "slug": "etika-asn",
            "title": "Etika ASN",
            "summary": "Nilai dasar.",
            "jp": "1",
            "language": "id",
            "objectives": "Memahami BerAKHLAK\n",
            "description": "Kursus **etika**.",
        },
    )
    base = "/author/etika-asn"
    assert (
        client.post(
            f"{base}/modules/new", data={"key": "nilai", "title": "Nilai"}
        ).status_code
        == 302
    )
    client.post(
        f"{base}/modules/nilai/activities/new",
        data={"type": "lesson", "key": "berakhlak", "title": "BerAKHLAK"},
    )
    client.post(
        f"{base}/modules/nilai/activities/new",
        data={"type": "quiz", "key": "kuis", "title": "Kuis"},
    )
    lesson = activity("nilai/berakhlak")
    quiz = activity("nilai/kuis")
    assert (lesson.position, quiz.position) == (1, 2)
    assert not lesson.published
    text = "---\ntitle: BerAKHLAK\nminutes: 20\n---\nBerorientasi pelayanan.\n"
    assert save(client, lesson, text).status_code == 302
    assert publish(client, lesson).status_code == 302
    assert publish(client, quiz).status_code == 302
    db.session.expire_all()
    lesson = activity("nilai/berakhlak")
    assert lesson.published and lesson.source == text and lesson.minutes == 20
    assert "<p>Berorientasi pelayanan.</p>" in lesson.html
    assert course("etika-asn").minutes == 30
    # reorder: the quiz first
    client.post(edit_url(quiz, "move"), data={"direction": "up"})
    db.session.expire_all()
    assert [
        a.key for a in db.session.scalars(select(Activity).order_by(Activity.position))
    ] == ["nilai/kuis", "nilai/berakhlak"]
    # course details are written to course.md as the importer reads it
    assert "objectives:\n- Memahami BerAKHLAK" in course("etika-asn").source
    assert "<strong>etika</strong>" in course("etika-asn").description_html
    assert client.post(f"{base}/publish", data={"published": "1"}).status_code == 302
    assert course("etika-asn").published


def test_reorder_modules_keeps_keys(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    ids = {a.key: a.id for a in db.session.scalars(select(Activity))}
    client.post(f"/author/{SLUG}/modules/praktik/move", data={"direction": "up"})
    db.session.expire_all()
    modules = db.session.scalars(select(Module).order_by(Module.position)).all()
    assert [m.key for m in modules] == ["praktik", "pengantar"]
    ordered = db.session.scalars(select(Activity).order_by(Activity.position)).all()
    assert ordered[0].key == "praktik/latihan"
    assert {a.key: a.id for a in ordered} == ids


def test_edit_course_and_module_details(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    page = client.get(f"/author/{SLUG}/settings").get_data(as_text=True)
    assert "Memahami format kursus" in page
    response = client.post(
        f"/author/{SLUG}/settings",
        data={
            "slug": "diabaikan",
            "title": "Contoh Baru",
            "summary": "Ringkas.",
            "jp": "3",
            "language": "id",
            "objectives": "Satu\nDua",
            "description": "Isi.",
        },
    )
    assert response.status_code == 302
    c = course()
    assert (c.title, c.jp, c.objectives, c.slug) == (
        "Contoh Baru",
        3,
        ["Satu", "Dua"],
        SLUG,
    )
    client.post(
        f"/author/{SLUG}/modules/pengantar/edit",
        data={"key": "x", "title": "Pembuka", "intro": "Halo *semua*."},
    )
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    assert module.title == "Pembuka" and "<em>semua</em>" in module.intro_html


def test_editor_page_runs_a_fixed_number_of_queries(
    client, auth, make_user, import_courses, course_dir, count_queries
):
    import_courses(course_dir)
    lesson = activity()
    become_instructor(make_user, auth)
    save(client, activity(), lesson.source + "\nawal\n")
    client.get(f"/author/{SLUG}/")
    with count_queries() as small:
        client.get(f"/author/{SLUG}/")
    with count_queries() as history_small:
        client.get(edit_url(lesson, "history"))
    for n in range(5):
        save(client, activity(), lesson.source + f"\n{n}\n")
    with count_queries() as big:
        assert client.get(f"/author/{SLUG}/").status_code == 200
    with count_queries() as history_big:
        assert client.get(edit_url(lesson, "history")).status_code == 200
    assert len(big) == len(small)
    assert len(history_big) == len(history_small) <= 10


def test_unknown_type_or_taken_key_is_refused_with_a_message(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    url = f"/author/{SLUG}/modules/pengantar/activities/new"
    taken = client.post(
        url, data={"type": "lesson", "key": "selamat-datang", "title": "X"}
    )
    assert taken.status_code == 200
    assert "already used" in taken.get_data(as_text=True)
    bad = client.post(url, data={"type": "lesson", "key": "Bukan Kunci", "title": "X"})
    assert "lower-case letters" in bad.get_data(as_text=True)
