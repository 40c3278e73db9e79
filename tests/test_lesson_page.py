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
    assert (
        "0 of 3 done" in budi and "Ani &lt;b&gt;" not in budi
    )  # (not "Ani": a token may hold it)


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
    assert (
        '<li class="user"><a href="/account/">Citra</a></li>' in html
        and "Ani" not in html
    )
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


def served_from_the_kept_page(app, client, url) -> bool:
    """Tell whether the page came from `kept_lesson` (the kept user and skeleton, one statement)."""
    from lms.learn import views

    rendered, served = [], []
    real = views.kept_lesson

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    def spy(*args):
        found = real(*args)
        served.append(found is not None)
        return found

    template_rendered.connect(record, app)
    views.kept_lesson = spy
    try:
        client.get(url)
    finally:
        views.kept_lesson = real
        template_rendered.disconnect(record, app)
    return served == [True] and not rendered


def keep(app, client, url):
    """View the page until it is served from its kept skeleton."""
    for _ in range(2):
        page(app, client, url, cached=True)
    assert served_from_the_kept_page(app, client, url)


def test_a_kept_page_never_outlives_the_learners_right_to_it(app, people):
    """The course, the activity and the enrollment are read afresh on every view."""
    from sqlalchemy import delete, select

    from lms.models import Activity, Course, Enrollment, User

    client = people["ani@example.org"]
    keep(app, client, LESSONS[2])
    # taken out of the course: sent to the course page, as without the kept page
    ani = db.session.scalar(select(User).where(User.email == "ani@example.org"))
    db.session.execute(delete(Enrollment).where(Enrollment.user_id == ani.id))
    db.session.commit()
    response = client.get(LESSONS[2])
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/")
    # the course unpublished: no one but its staff sees it
    budi = people["budi@example.org"]
    keep(app, budi, LESSONS[2])
    course = db.session.scalar(select(Course))
    course.published = False
    db.session.commit()
    assert budi.get(LESSONS[2]).status_code == 403
    # an archived lesson: the archived page, not the kept one
    course.published = True
    activity = db.session.scalar(
        select(Activity).where(Activity.key == "praktik/latihan")
    )
    activity.archived_at = activity.updated_at
    db.session.commit()
    assert not served_from_the_kept_page(app, budi, LESSONS[2])


def test_a_kept_page_is_served_only_to_the_browser_signed_in(app, people):
    """Flask-Login's session protection decides when the session comes from elsewhere."""
    client = people["budi@example.org"]
    keep(app, client, LESSONS[0])
    client.environ_base["HTTP_USER_AGENT"] = "another browser"
    assert not served_from_the_kept_page(app, client, LESSONS[0])
    with client.session_transaction() as session:
        assert (
            session["_fresh"] is False
        )  # Flask-Login's mark of a session seen elsewhere


def test_a_kept_page_needs_the_current_password_and_an_active_account(
    app, people, make_user
):
    from sqlalchemy import select

    from lms.models import User

    for email, change in (
        ("budi@example.org", lambda user: user.set_password("ombak tenang sore")),
        ("citra@example.org", lambda user: setattr(user, "active", False)),
    ):
        client = people[email]
        keep(app, client, LESSONS[0])
        change(db.session.scalar(select(User).where(User.email == email)))
        db.session.commit()
        # the next request reads the changed account (and keeps it), and signs no one in
        assert client.get("/my/").status_code == 302
        response = client.get(LESSONS[0])
        assert response.status_code == 302, email
        assert response.location.startswith("/login"), email


def test_a_kept_page_is_not_served_to_a_cookie_kept_after_sign_out(app, people):
    client = people["budi@example.org"]
    keep(app, client, LESSONS[0])
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert served_from_the_kept_page(app, thief, LESSONS[0])
    client.post("/logout")
    response = thief.get(LESSONS[0])
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_visit_after_the_resolution_is_recorded(app, people):
    from datetime import timedelta

    from sqlalchemy import select

    from lms.models import Activity, ActivityProgress, User

    client = people["citra@example.org"]
    keep(app, client, LESSONS[0])
    citra = db.session.scalar(select(User).where(User.email == "citra@example.org"))
    row = db.session.scalar(
        select(ActivityProgress)
        .join(Activity)
        .where(
            ActivityProgress.user_id == citra.id,
            Activity.key == "pengantar/selamat-datang",
        )
    )
    long_ago = row.last_visit_at - timedelta(minutes=10)
    row.last_visit_at = long_ago
    db.session.commit()
    client.get(LESSONS[0])
    db.session.refresh(row)
    assert row.last_visit_at > long_ago


def test_a_csrf_token_handed_out_again_is_accepted(app, people, monkeypatch):
    """Kept pages give a session the token signed within the last minute; forms accept it."""
    import re

    from lms import skeletons

    signed = []
    real = skeletons.generate_csrf
    monkeypatch.setattr(skeletons, "generate_csrf", lambda: signed.append(1) or real())
    client = people["citra@example.org"]
    for _ in range(2):
        page(app, client, LESSONS[0], cached=True)
    before = len(signed)
    tokens = set()
    for _ in range(3):
        html = page(app, client, LESSONS[0], cached=True)
        tokens.add(re.search(r'name="csrf_token" value="([^"]+)"', html).group(1))
    assert len(signed) == before and len(tokens) == 1  # signed once, handed out again
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        done = client.post(LESSONS[0] + "complete", data={"csrf_token": tokens.pop()})
        assert done.status_code == 302
        forged = client.post(LESSONS[1] + "complete", data={"csrf_token": "x"})
        assert forged.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    later = skeletons.time.monotonic() + skeletons.CSRF_REUSE_SECONDS + 1
    monkeypatch.setattr(skeletons.time, "monotonic", lambda: later)
    page(app, client, LESSONS[1], cached=True)
    assert len(signed) == before + 1  # a minute on: signed anew
