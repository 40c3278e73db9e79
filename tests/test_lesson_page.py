"""Lesson pages come from a skeleton rendered once, filled with each learner's own values.

The pages must be byte for byte what a full render gives, for every learner and state: a piece of
the page that differs between learners and is neither a hole nor part of the key fails here.
"""

from __future__ import annotations

import pytest
from flask import template_rendered

from lms.extensions import db
from lms.skeletons import Holes

BASE = "/courses/contoh-kursus"
LESSONS = [
    f"{BASE}/pengantar/selamat-datang/",
    f"{BASE}/pengantar/cara-belajar/",
    f"{BASE}/praktik/latihan/",
]


@pytest.fixture
def people(app, make_user, import_courses):
    """Five people enrolled in the example course, each signed in on their own client.

    They differ in everything a lesson page shows of its reader: name (one needing escaping),
    language, staff links in the header, and progress (done, visited, untouched).
    """
    import_courses()
    specs = [
        ("ani@example.org", 'Ani <b>"O\'Hara"</b> & Co', ("learner",), "id"),
        ("budi@example.org", "Budi", ("learner",), "en"),
        ("sri@example.org", "Sri", ("supervisor",), "id"),
        ("ins@example.org", "Ins", ("instructor",), "id"),
        ("citra@example.org", "Citra", ("learner",), "id"),
    ]
    clients = {}
    for email, name, roles, locale in specs:
        user = make_user(email=email, name=name, roles=roles)
        user.locale = locale
        db.session.commit()
        client = app.test_client()
        client.post(
            "/login", data={"login": email, "password": "kata-sandi-yang-panjang"}
        )
        client.post(f"{BASE}/enroll")
        clients[email] = client
    # Ani has done the first lesson and opened the second; Sri has done the last.
    ani = clients["ani@example.org"]
    ani.get(LESSONS[0])
    ani.post(LESSONS[0] + "complete")
    ani.get(LESSONS[1])
    sri = clients["sri@example.org"]
    sri.get(LESSONS[2])
    sri.post(LESSONS[2] + "complete")
    for (
        client
    ) in clients.values():  # read the flashes the enrolments and completions left
        client.get(f"{BASE}/")
    return clients


def page(app, client, url: str, cached: bool) -> str:
    app.config["LMS_PAGE_CACHE"] = cached
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_learner_gets_the_page_a_full_render_gives(frozen_clock, app, people):
    urls = [*LESSONS, LESSONS[1] + '?from=<x>"&y=1']
    compared = 0
    for url in urls:
        for (
            client
        ) in people.values():  # the first builds the skeleton, the others fill it
            cached = page(app, client, url, cached=True)
            assert cached == page(app, client, url, cached=False), url
            compared += 1
    assert compared == 20
    ani = page(app, people["ani@example.org"], LESSONS[1], cached=True)
    assert "Ani &lt;b&gt;&#34;O&#39;Hara&#34;&lt;/b&gt; &amp; Co" in ani
    assert "1 dari 3 selesai" in ani  # her own count, in her language
    budi = page(app, people["budi@example.org"], LESSONS[1], cached=True)
    assert "0 of 3 done" in budi and "Ani" not in budi


def test_a_second_learner_is_served_without_rendering_a_template(app, people):
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    page(app, people["ani@example.org"], LESSONS[2], cached=True)
    template_rendered.connect(record, app)
    try:
        html = page(app, people["citra@example.org"], LESSONS[2], cached=True)
    finally:
        template_rendered.disconnect(record, app)
    assert rendered == []
    assert '<li class="user">Citra</li>' in html and "Ani" not in html
    assert "0 dari 3 selesai" in html


def test_staff_links_and_done_lessons_get_their_own_skeletons(app, people):
    supervisor = page(app, people["sri@example.org"], LESSONS[2], cached=True)
    learner = page(app, people["ani@example.org"], LESSONS[2], cached=True)
    assert 'href="/cohorts/"' in supervisor
    assert 'href="/cohorts/"' not in learner
    done = page(app, people["sri@example.org"], LESSONS[2], cached=True)
    assert f'action="{LESSONS[2]}complete"' not in done  # Sri did it: no button
    assert f'action="{LESSONS[2]}complete"' in learner


def test_a_flashed_message_is_shown_on_a_cached_page(app, people):
    client = people["budi@example.org"]
    page(app, client, LESSONS[0], cached=True)
    following = client.post(LESSONS[0] + "complete").headers["Location"]
    assert following.endswith(LESSONS[1])
    assert "Marked as done." in page(app, client, LESSONS[1], cached=True)
    assert "Marked as done." not in page(app, client, LESSONS[1], cached=True)


def test_an_edited_lesson_is_shown_at_once(app, people, import_courses, course_dir):
    client = people["budi@example.org"]
    assert "Diperbarui hari ini" not in page(app, client, LESSONS[0], cached=True)
    lesson = course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md"
    lesson.write_text(lesson.read_text() + "\nDiperbarui hari ini.\n")
    import_courses(course_dir)
    assert "Diperbarui hari ini" in page(app, client, LESSONS[0], cached=True)


def test_a_skeleton_is_cut_only_at_its_own_marks():
    holes = Holes()
    forged = "\ue000" + "0" * 16 + ":name\ue001"
    skeleton = holes.skeleton(f"<p>{forged}</p><b>{holes.mark('name')}</b>")
    assert skeleton.fill({"name": "Ani"}) == f"<p>{forged}</p><b>Ani</b>"
    with pytest.raises(KeyError):
        skeleton.fill({})


def test_a_lesson_published_in_the_browser_is_shown_at_once(app, people, make_user):
    from tests.authoring_helpers import activity, publish, save

    client = people["budi@example.org"]
    assert "Ditulis ulang di peramban" not in page(app, client, LESSONS[0], cached=True)
    editor = app.test_client()
    make_user(role="admin", email="admin@example.org")
    editor.post(
        "/login",
        data={"login": "admin@example.org", "password": "kata-sandi-yang-panjang"},
    )
    lesson = activity()
    save(editor, lesson, lesson.source + "\nDitulis ulang di peramban.\n")
    assert "Ditulis ulang di peramban" not in page(
        app, client, LESSONS[0], cached=True
    )  # a draft
    publish(editor, activity())
    assert "Ditulis ulang di peramban" in page(app, client, LESSONS[0], cached=True)
