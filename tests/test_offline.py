"""The installable app, the offline manifest of a course, and progress sent from a device."""

from __future__ import annotations

import gzip
import re
import struct

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Activity, ActivityProgress, Enrollment, XapiStatement
from lms.offline.images import light_images
from tests.offline_world import offline_course

LESSON = "/courses/kursus-kuis/modul/bacaan/"
MANIFEST = "/courses/kursus-kuis/offline.json"


@pytest.fixture
def world(import_courses, quiz_dir, make_user):
    """The quiz course with two lessons and an image, and a learner enrolled in it."""
    return offline_course(import_courses, quiz_dir, make_user)


def item(n, key="modul/bacaan", course="kursus-kuis"):
    return {"id": f"device-{n}", "course": course, "key": key}


def test_the_app_is_installable(client):
    page = client.get("/courses/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#0b5c8a">' in page
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.json
    assert data["name"] == "Kelas ASN" and data["lang"] == "id"
    assert data["display"] == "standalone" and data["scope"] == "/"
    assert data["start_url"] == "/courses/" and data["theme_color"] == "#0b5c8a"
    sizes = set()
    for icon in data["icons"]:
        with client.get(icon["src"]) as png:
            assert png.status_code == 200 and png.mimetype == "image/png"
            width, height = struct.unpack(">II", png.data[16:24])
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(width)
    assert sizes == {192, 512}


def test_the_service_worker_is_served_from_the_root_under_the_strict_policy(client):
    with client.get("/sw.js") as response:
        body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert 'addEventListener("fetch"' in body
    page = client.get("/courses/").get_data(as_text=True)
    assert 'data-sw="/sw.js"' in page
    # The offline scripts: files of the site itself (no inline script), by content, in order.
    scripts = re.findall(r'<script src="(/static/offline/[^"]+)"></script>', page)
    assert [s.split("/")[-1].split("-")[0] for s in scripts] == [
        "common", "queue", "storage", "sync", "panels", "start"
    ]  # fmt: skip
    assert all(
        re.fullmatch(r"/static/offline/\w+-[0-9a-f]{32}\.js", s) for s in scripts
    )
    assert "<script>" not in page


def test_the_manifest_lists_published_lessons_their_images_and_the_app_files(
    client, auth, world
):
    auth.login("nelayan@example.org")
    data = client.get(MANIFEST).json
    urls = {entry["url"]: entry for entry in data["entries"]}
    lessons = [e for e in data["entries"] if e["kind"] == "lesson"]
    assert [e["url"] for e in lessons] == [
        LESSON,
        "/courses/kursus-kuis/modul/penutup/",
    ]
    assert (
        data["lessons"] == 2
        and data["cache"] == f"kelas-offline-u{world['learner'].id}-kursus-kuis"
    )
    image = f"/courses/kursus-kuis/images/{world['image']}"
    assert urls[image]["bytes"] == len(world["image_bytes"])
    assert "/courses/kursus-kuis/" in urls and "/offline/" in urls
    assets = [e["url"] for e in data["entries"] if e["kind"] == "asset"]
    assert any(u.startswith("/static/style-") for u in assets)
    assert sum(u.startswith("/static/offline/") for u in assets) == 6
    # Never a quiz, nor anything of one.
    assert not [
        u
        for u in urls
        if "kuis/" in u.removeprefix("/courses/kursus-kuis/") or "esai" in u
    ]
    assert data["bytes"] == sum(e["bytes"] for e in data["entries"])
    for url in urls:  # each is there to fetch
        with client.get(url, headers={"X-Offline-Save": "1"}) as response:
            assert response.status_code == 200, url


def test_a_lesson_unpublished_or_removed_leaves_the_manifest(client, auth, world):
    auth.login("nelayan@example.org")
    lesson = db.session.scalar(select(Activity).where(Activity.key == "modul/penutup"))
    lesson.published = False
    db.session.commit()
    urls = [e["url"] for e in client.get(MANIFEST).json["entries"]]
    assert "/courses/kursus-kuis/modul/penutup/" not in urls
    assert LESSON in urls


def test_only_a_changed_lesson_gets_a_new_version(client, auth, world, import_courses):
    auth.login("nelayan@example.org")
    before = {e["url"]: e["version"] for e in client.get(MANIFEST).json["entries"]}
    path = world["dir"] / "kursus-kuis" / "01-modul" / "04-penutup.md"
    path.write_text(path.read_text() + "\nSatu paragraf baru.\n")
    import_courses(world["dir"])
    after = {e["url"]: e["version"] for e in client.get(MANIFEST).json["entries"]}
    changed = {url for url in after if after[url] != before.get(url)}
    assert changed == {"/courses/kursus-kuis/modul/penutup/", "/courses/kursus-kuis/"}


def test_the_manifest_answers_not_modified_when_nothing_changed(client, auth, world):
    auth.login("nelayan@example.org")
    first = client.get(MANIFEST)
    assert first.headers["ETag"] and "private" in first.headers["Cache-Control"]
    again = client.get(MANIFEST, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_only_enrolled_learners_get_the_manifest(client, auth, world, make_user):
    assert client.get(MANIFEST).status_code == 302  # to sign in
    make_user(email="lain@example.org")
    make_user(email="admin@example.org", role="admin")
    auth.login("lain@example.org")
    assert client.get(MANIFEST).status_code == 403
    auth.logout()
    auth.login("admin@example.org")
    assert client.get(MANIFEST).status_code == 403
    auth.logout()
    auth.login("nelayan@example.org")
    assert client.get(MANIFEST).status_code == 200
    assert client.get("/courses/tidak-ada/offline.json").status_code == 404
    world["course"].published = False
    db.session.commit()
    assert client.get(MANIFEST).status_code == 403


def test_saving_a_lesson_for_offline_is_not_reading_it(client, auth, world):
    auth.login("nelayan@example.org")
    client.get(LESSON, headers={"X-Offline-Save": "1"})
    assert db.session.scalar(select(func.count(ActivityProgress.id))) == 0
    client.get(LESSON)
    assert db.session.scalar(select(func.count(ActivityProgress.id))) == 1


def counts(user_id):
    done = db.session.scalar(
        select(func.count(ActivityProgress.id)).where(
            ActivityProgress.user_id == user_id,
            ActivityProgress.completed_at.is_not(None),
        )
    )
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user_id)
    )
    statements = db.session.scalar(select(func.count(XapiStatement.id)))
    return done, enrollment.completed_activities, statements


def test_progress_sent_twice_counts_once(client, auth, world):
    auth.login("nelayan@example.org")
    queue = {"items": [item(1), item(2, "modul/penutup")]}
    first = client.post("/offline/progress", json=queue)
    assert first.status_code == 200
    assert first.json == {"accepted": ["device-1", "device-2"], "refused": []}
    once = counts(world["learner"].id)
    assert once[:2] == (2, 2)
    # The answer was lost on the way: the device sends the same again, and a new id for a lesson done.
    again = client.post("/offline/progress", json={"items": queue["items"] + [item(3)]})
    assert again.json["accepted"] == ["device-1", "device-2", "device-3"]
    assert counts(world["learner"].id) == once


def test_progress_for_a_quiz_or_a_course_not_taken_is_refused(
    client, auth, world, make_user
):
    make_user(email="lain@example.org")
    auth.login("lain@example.org")
    answer = client.post("/offline/progress", json={"items": [item(1)]})
    assert answer.json == {"accepted": [], "refused": ["device-1"]}
    auth.logout()
    auth.login("nelayan@example.org")
    answer = client.post("/offline/progress", json={"items": [
        item(1, "modul/kuis"), item(2, "modul/tidak-ada"), item(3, "tanpa-garis"), item(4, course="x")]})  # fmt: skip
    assert answer.json["refused"] == ["device-1", "device-2", "device-3", "device-4"]
    assert counts(world["learner"].id)[0] == 0


def test_progress_bodies_are_checked_and_bounded(client, auth, world):
    auth.login("nelayan@example.org")
    for body in (
        {},
        {"items": "x"},
        {"items": [{"id": 1}]},
        {"items": [item(n) for n in range(201)]},
    ):
        response = client.post("/offline/progress", json=body)
        assert response.status_code == 400 and response.json["error"]
    assert client.post("/offline/progress", data="not json").status_code == 400


def test_sending_progress_needs_a_session_and_its_csrf_token(app, client, auth, world):
    auth.login("nelayan@example.org")
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/offline/progress", json={"items": [item(1)]})
    assert refused.status_code == 400
    assert counts(world["learner"].id)[0] == 0
    token = client.get("/offline/token")
    assert "no-store" in token.headers["Cache-Control"]
    sent = client.post("/offline/progress", json={"items": [item(1)]},
                       headers={"X-CSRFToken": token.json["csrf_token"]})  # fmt: skip
    assert sent.status_code == 200 and counts(world["learner"].id)[0] == 1
    app.config["WTF_CSRF_ENABLED"] = False
    auth.logout()
    assert (
        client.post("/offline/progress", json={"items": [item(1)]}).status_code == 302
    )


def test_signing_out_clears_the_device(client, auth, world):
    auth.login("nelayan@example.org")
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_quiz_attempt_pages_are_never_stored(client, auth, world):
    auth.login("nelayan@example.org")
    client.post("/courses/kursus-kuis/modul/kuis/attempts")
    page = client.get("/courses/kursus-kuis/modul/kuis/attempts/1/")
    assert page.status_code == 200
    assert "no-store" in page.headers["Cache-Control"]
    lesson = client.get(LESSON)
    assert "no-store" not in lesson.headers.get("Cache-Control", "")


def test_lesson_pages_are_compressed(client, auth, world):
    auth.login("nelayan@example.org")
    plain = client.get(LESSON)
    packed = client.get(LESSON, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    assert gzip.decompress(packed.data).count(b"Bacaan singkat.") == 1
    stylesheet = (
        plain.get_data(as_text=True).split('stylesheet" href="')[1].split('"')[0]
    )
    with client.get(stylesheet, headers={"Accept-Encoding": "gzip"}) as css:
        assert css.headers["Content-Encoding"] == "gzip"
        assert b"--brand" in gzip.decompress(css.data)
        assert css.headers["ETag"].startswith("W/")
    with client.get(f"/courses/kursus-kuis/images/{world['image']}",
                    headers={"Accept-Encoding": "gzip"}) as image:  # fmt: skip
        assert "Content-Encoding" not in image.headers


def test_data_saver_holds_images_until_tapped(client, auth, world):
    auth.login("nelayan@example.org")
    page = client.get(LESSON).get_data(as_text=True)
    assert (
        f'<img alt="Peta Penyengat" src="/courses/kursus-kuis/images/{world["image"]}" '
        'loading="lazy" decoding="async" width="8" height="8">' in page
    )
    assert 'name="data_saver"' in client.get("/account/").get_data(as_text=True)
    client.post("/account/data-saver", data={"data_saver": "1"})
    assert world["learner"].data_saver is True
    page = client.get(LESSON).get_data(as_text=True)
    assert f'data-src="/courses/kursus-kuis/images/{world["image"]}"' in page
    assert ' src="/courses/kursus-kuis/images/' not in page
    saved = {e["url"]: e["version"] for e in client.get(MANIFEST).json["entries"]}
    client.post("/account/data-saver", data={})
    assert world["learner"].data_saver is False
    fresh = {e["url"]: e["version"] for e in client.get(MANIFEST).json["entries"]}
    assert saved[LESSON] != fresh[LESSON]  # a stored copy follows the setting


def test_light_images_rewrites_only_image_tags():
    html = '<p>src="x"</p><img alt="a" src="/a.png"><img loading="eager" src="/b.png">'
    assert light_images(html, False) == (
        '<p>src="x"</p><img loading="lazy" decoding="async" alt="a" src="/a.png">'
        '<img loading="eager" src="/b.png">'
    )
    assert light_images(html, True).count("data-src=") == 2
    assert light_images(html, True).startswith('<p>src="x"</p>')
