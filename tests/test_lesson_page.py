"""Lesson pages: one plain path, rendered per request; only what every viewer shares is cached.

What a page keeps between requests (`lms.cache`) is shared by every viewer, so none of it may hold
a viewer's own values: their name, their marks, their progress, their CSRF token.
"""

from __future__ import annotations

import pickle
import re

import pytest

from lms.extensions import cache, db

BASE = "/courses/contoh-kursus"
LESSONS = [
    f"{BASE}/pengantar/selamat-datang/",
    f"{BASE}/pengantar/cara-belajar/",
    f"{BASE}/praktik/latihan/",
]


@pytest.fixture
def people(app, make_user, import_courses):
    """Learners enrolled in the example course, each signed in on their own client."""
    import_courses()
    clients = {}
    for email, name, locale in [
        ("ani@example.org", 'Ani <b>"O\'Hara"</b> & Co', "id"),
        ("budi@example.org", "Budi Santoso", "en"),
        ("citra@example.org", "Citra Lestari", "id"),
    ]:
        user = make_user(email=email, name=name)
        user.locale = locale
        db.session.commit()
        client = app.test_client()
        client.post(
            "/login", data={"login": email, "password": "kata-sandi-yang-panjang"}
        )
        client.post(f"{BASE}/enroll")
        clients[email] = client
    ani = clients["ani@example.org"]
    ani.post(
        LESSONS[0] + "complete"
    )  # Ani has done the first lesson and opened the second
    ani.get(LESSONS[1])
    for (
        client
    ) in clients.values():  # read the flashes the enrolments and completions left
        client.get(f"{BASE}/")
    return clients


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def kept(monkeypatch):
    """Record every value put in the cache, as text (pickled and read back, as Redis would)."""
    values: list[str] = []
    real = cache.set

    def record(key, value, *args, **kwargs):
        values.append(f"{key} {pickle.loads(pickle.dumps(value))!r}")
        return real(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", record)
    cache.clear()
    return values


def test_no_shared_fragment_holds_either_learners_values(app, people, kept):
    ani, citra = people["ani@example.org"], people["citra@example.org"]
    ani_page, citra_page = page(ani, LESSONS[1]), page(citra, LESSONS[1])
    assert "Ani &lt;b&gt;" in ani_page and "Citra Lestari" in citra_page
    assert "1 dari 3 selesai" in ani_page and "0 dari 3 selesai" in citra_page
    tokens = [
        re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        for html in (ani_page, citra_page)
    ]
    text = "\n".join(kept)
    assert "Selamat Datang" in text  # the course structure is kept...
    for own in ("Ani", "Citra", "O'Hara", "selesai", *tokens):  # ...nobody's own values
        assert own not in text, own


def test_each_learner_sees_their_own_marks_and_name(app, people):
    ani = page(people["ani@example.org"], LESSONS[1])
    budi = page(people["budi@example.org"], LESSONS[1])
    assert ani.count('class="done"') == 1 and budi.count('class="done"') == 0
    assert "Budi Santoso" in budi and "Ani" not in budi
    assert "0 of 3 done" in budi  # in Budi's language


def test_a_flashed_message_is_shown_once(app, people):
    client = people["budi@example.org"]
    following = client.post(LESSONS[0] + "complete").headers["Location"]
    assert following.endswith(LESSONS[1])
    assert "Marked as done." in page(client, LESSONS[1])
    assert "Marked as done." not in page(client, LESSONS[1])


def test_an_edited_lesson_is_shown_at_once(app, people, import_courses, course_dir):
    client = people["budi@example.org"]
    assert "Diperbarui hari ini" not in page(client, LESSONS[0])
    lesson = course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md"
    lesson.write_text(lesson.read_text() + "\nDiperbarui hari ini.\n")
    import_courses(course_dir)
    assert "Diperbarui hari ini" in page(client, LESSONS[0])


def test_a_lesson_published_in_the_browser_is_shown_at_once(app, people, make_user):
    from tests.authoring_helpers import activity, publish, save

    client = people["budi@example.org"]
    assert "Ditulis ulang di peramban" not in page(client, LESSONS[0])
    editor = app.test_client()
    make_user(role="admin", email="admin@example.org")
    editor.post(
        "/login",
        data={"login": "admin@example.org", "password": "kata-sandi-yang-panjang"},
    )
    lesson = activity()
    save(editor, lesson, lesson.source + "\nDitulis ulang di peramban.\n")
    assert "Ditulis ulang di peramban" not in page(client, LESSONS[0])  # a draft
    publish(editor, activity())
    assert "Ditulis ulang di peramban" in page(client, LESSONS[0])


def test_the_learners_right_is_read_on_every_view(app, people):
    from sqlalchemy import delete, select

    from lms.models import Course, Enrollment, User

    client = people["ani@example.org"]
    page(client, LESSONS[2])
    ani = db.session.scalar(select(User).where(User.email == "ani@example.org"))
    db.session.execute(delete(Enrollment).where(Enrollment.user_id == ani.id))
    db.session.commit()
    response = client.get(LESSONS[2])
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/")
    budi = people["budi@example.org"]
    page(budi, LESSONS[2])
    db.session.scalar(select(Course)).published = False
    db.session.commit()
    assert budi.get(LESSONS[2]).status_code == 403


def test_a_visit_after_the_resolution_is_recorded(app, people):
    from datetime import timedelta

    from sqlalchemy import select

    from lms.models import Activity, ActivityProgress, User

    client = people["citra@example.org"]
    page(client, LESSONS[0])
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
