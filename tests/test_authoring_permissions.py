"""Only a course's instructors (and admins) reach its authoring pages; learners reach none."""

from __future__ import annotations

import io

import pytest

from lms.authoring.views import bp
from tests.authoring_helpers import SLUG, activity, become_instructor, course


def authoring_urls(app, slug, activity_id, module_key="pengantar"):
    """Every authoring URL of the app, filled in for one course (and whether it takes POST)."""
    values = {"slug": slug, "activity_id": activity_id, "key": module_key, "number": 1,
              "fmt": "gift"}  # fmt: skip
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(f"{bp.name}.") or rule.endpoint.endswith(
            ".image"
        ):
            continue
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[
            1
        ]
        for method in sorted(rule.methods & {"GET", "POST"}):
            urls.append((method, url, rule.endpoint))
    return urls


COURSE_FREE = {"authoring.index", "authoring.new_course"}


@pytest.fixture
def world(app, import_courses, course_dir, make_user):
    import_courses(course_dir)
    return activity()


def _hit(client, method, url):
    if method == "GET":
        return client.get(url)
    return client.post(
        url,
        data={
            "source": "x",
            "version": "1",
            "save": "1",
            "direction": "up",
            "image": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "a.png"),
            "slug": "baru",
            "title": "T",
            "summary": "S",
            "jp": "1",
            "key": "baru",
            "type": "lesson",
        },
        content_type="multipart/form-data",
    )


def test_every_authoring_url_is_listed(app, world):
    endpoints = {e for _m, _u, e in authoring_urls(app, SLUG, world.id)}
    assert len(endpoints) >= 17


def test_learner_reaches_no_authoring_url(app, client, auth, make_user, world):
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    for method, url, _endpoint in authoring_urls(app, SLUG, world.id):
        assert _hit(client, method, url).status_code == 403, (method, url)
    assert course().title == "Contoh Kursus"


def test_anonymous_is_sent_to_sign_in(app, client, world):
    for method, url, _endpoint in authoring_urls(app, SLUG, world.id):
        response = _hit(client, method, url)
        assert response.status_code in (302, 401), (method, url)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]


def test_instructor_cannot_edit_another_instructors_course(
    app, client, auth, make_user, world, course_dir, import_courses
):
    become_instructor(make_user, auth, email="lain@example.org")
    # a second course taught by someone else
    other = course_dir / "kursus-lain"
    (course_dir / SLUG).rename(other)
    import_courses(course_dir)
    for method, url, endpoint in authoring_urls(app, "kursus-lain", world.id):
        if endpoint in COURSE_FREE:
            continue
        assert _hit(client, method, url).status_code == 403, (method, url)


def test_instructor_edits_own_course_and_admin_edits_all(
    client, auth, make_user, world
):
    become_instructor(make_user, auth)
    assert client.get(f"/author/{SLUG}/").status_code == 200
    assert client.get(f"/author/{SLUG}/activities/{world.id}/edit").status_code == 200
    auth.logout()
    make_user(role="admin", email="admin@example.org")
    auth.login("admin@example.org")
    assert client.get(f"/author/{SLUG}/").status_code == 200
    assert SLUG.encode() in client.get("/author/").data


def test_instructor_who_creates_a_course_teaches_it(client, auth, make_user, app):
    make_user(role="instructor", email="guru@example.org")
    auth.login("guru@example.org")
    response = client.post(
        "/author/new",
        data={
            "slug": "kursus-baru",
            "title": "Kursus Baru",
            "summary": "Ringkas.",
            "jp": "2",
            "language": "id",
        },
    )
    assert response.status_code == 302
    assert client.get("/author/kursus-baru/").status_code == 200
    assert not course("kursus-baru").published
    assert b"kursus-baru" in client.get("/author/").data


def test_instructor_opens_every_authoring_page(app, client, auth, make_user, quiz):
    become_instructor(make_user, auth, slug="kursus-kuis")
    client.post(
        f"/author/kursus-kuis/activities/{quiz.id}/edit",
        data={"source": quiz.source + "\n", "version": quiz.version, "save": "1"},
    )
    for method, url, _endpoint in authoring_urls(app, "kursus-kuis", quiz.id, "modul"):
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 200, url
            response.close()
