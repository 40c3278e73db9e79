"""A learner on a weak connection: saves a course, reads it offline, marks lessons done there,
sees them sent once when back online, gets changed lessons again, and leaves nothing behind on a
shared device when signing out. Also: what a first visit to a lesson costs in data."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import ActivityProgress, Enrollment, XapiStatement
from tests.offline_world import offline_course

COURSE = "/courses/kursus-kuis/"
READING = "/courses/kursus-kuis/modul/bacaan/"
CLOSING = "/courses/kursus-kuis/modul/penutup/"
QUIZ = "/courses/kursus-kuis/modul/kuis/"
#: The most a lesson page with everything it loads may cost on a first visit, compressed.
FIRST_VISIT_BUDGET = 30 * 1024

STORED_URLS = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const r of await cache.keys()) urls.push(new URL(r.url).pathname);
    }
    return urls.sort();
}"""
STORED_TEXT = """async (url) => {
    const hit = await caches.match(url);
    return hit ? await hit.text() : null;
}"""
QUEUED = """() => new Promise((resolve) => {
    const open = indexedDB.open("kelas-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("queue", {keyPath: "id"});
    open.onsuccess = () => {
        const all = open.result.transaction("queue").objectStore("queue").getAll();
        all.onsuccess = () => { resolve(all.result.length); open.result.close(); };
    };
})"""


@pytest.fixture
def world(import_courses, quiz_dir, make_user):
    """The quiz course with two lessons (one with an image), a quiz and an essay; Siti enrolled."""
    return offline_course(import_courses, quiz_dir, make_user)


def eventually(check, seconds: float = 10) -> None:
    """Wait until `check()` is true (page work that runs after an event, such as going online)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def completed(user_id: int) -> tuple[int, int, int]:
    """Return the learner's completed activities, her enrollment's count, and xAPI completions."""
    db.session.expire_all()
    rows = db.session.scalar(
        select(func.count(ActivityProgress.id)).where(
            ActivityProgress.user_id == user_id,
            ActivityProgress.completed_at.is_not(None),
        )
    )
    counted = db.session.scalar(
        select(Enrollment.completed_activities).where(Enrollment.user_id == user_id)
    )
    statements = db.session.scalar(
        select(func.count(XapiStatement.id)).where(XapiStatement.user_id == user_id)
    )
    return rows, counted, statements


def save_course(page, pages):
    """Open the course page, wait for the service worker, and save the course for offline."""
    page.goto(COURSE)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    panel = page.locator("#offline-save")
    panel.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-offline-summary]').textContent.includes('KB')"
    )
    assert "Menyimpan akan mengunduh 2 materi" in panel.inner_text()
    pages.check(page, "course-before-saving")
    started = page.evaluate("() => performance.now()")
    page.click("[data-offline-save]")
    page.locator("[data-offline-remove]").wait_for()
    assert "Tersimpan di perangkat ini: 2 materi" in panel.inner_text()
    # What the panel said it would download, against what the browser received.
    said = page.evaluate(
        "async () => (await (await fetch('/courses/kursus-kuis/offline.json')).json()).bytes"
    )
    received = page.evaluate(
        """(since) => performance.getEntriesByType('resource')
            .filter(e => e.startTime >= since && e.initiatorType === 'fetch'
                    && !e.name.endsWith('offline.json'))
            .reduce((sum, e) => sum + e.encodedBodySize, 0)""",
        started,
    )
    print(f"saving the course: said {said} bytes, received {received} bytes")
    assert 0.5 <= received / said <= 1.5


def test_read_offline_mark_two_done_and_sync_once(pages, world):
    learner = world["learner"]
    page = pages.person()
    pages.sign_in(page, "nelayan@example.org")
    save_course(page, pages)
    stored = page.evaluate(STORED_URLS)
    image = f"/courses/kursus-kuis/images/{world['image']}"
    for url in (COURSE, READING, CLOSING, image, "/offline/"):
        assert url in stored
    assert any(u.startswith("/static/style-") for u in stored)
    assert (
        len([u for u in stored if u.startswith("/static/offline/")]) == 6
    )  # the scripts
    assert not [u for u in stored if "/kuis/" in u or "/esai/" in u]  # never a quiz
    pages.check(page, "course-saved")

    page.context.set_offline(True)
    page.goto("/")  # the home-screen icon: the catalogue is not stored
    assert "Kursus yang tersimpan di perangkat ini" in page.inner_text("main")
    page.locator("#stored-courses a:text('Bacaan')").wait_for()
    pages.check(page, "offline-home")
    pages.follow(page, "#stored-courses a:text('Bacaan')")
    assert "Bacaan singkat." in page.inner_text("main")
    assert "Anda sedang offline" in page.inner_text("#offline-banner")
    outline = page.locator("aside .outline ol")
    outline.locator("li:has-text('Penutup') .badge.offline.ok").wait_for()
    quiz = outline.locator("li:has-text('Kuis Semua Tipe')")
    quiz.locator(".badge.offline").wait_for()
    assert "Perlu koneksi" in quiz.inner_text()
    pages.check(page, "lesson-offline")

    page.click("form[data-offline-key] button")
    page.locator("main p.status.done[role=status]").wait_for()
    assert "Menunggu dikirim dari perangkat ini: 1" in page.inner_text("#sync-status")
    page.goto(CLOSING)
    assert "Penutup kursus." in page.inner_text("main")
    page.click("form[data-offline-key] button")
    page.wait_for_function(
        "() => document.getElementById('sync-status').textContent.includes(': 2')"
    )
    assert outline.locator(".badge.waiting").count() == 2
    pages.check(page, "lesson-waiting-to-sync")
    page.click("form.lang button")  # any other form says it needs a connection
    assert "memerlukan koneksi internet" in page.inner_text("#offline-banner")
    page.goto(QUIZ)  # not stored: the page says it needs a connection
    assert "memerlukan koneksi internet" in page.inner_text("main")
    assert completed(learner.id) == (0, 0, 0)

    page.context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('sync-status').textContent.includes('sudah terkirim')"
    )
    assert page.evaluate(QUEUED) == 0
    assert completed(learner.id) == (2, 2, 2)
    # Back online, reloading sends nothing again, and the stored copy knows the lesson is done.
    page.goto(CLOSING)
    page.wait_for_load_state("networkidle")
    assert completed(learner.id) == (2, 2, 2)
    assert "Anda sudah menandai materi ini selesai" in page.evaluate(
        STORED_TEXT, CLOSING
    )


def test_changed_and_removed_lessons_follow_the_server_on_reconnect(
    pages, world, import_courses
):
    page = pages.person()
    pages.sign_in(page, "nelayan@example.org")
    save_course(page, pages)
    page.goto(READING)
    page.context.set_offline(True)

    folder = world["dir"] / "kursus-kuis" / "01-modul"
    reading = folder / "01-bacaan.md"
    reading.write_text(reading.read_text() + "\nParagraf yang baru ditambahkan.\n")
    (folder / "04-penutup.md").unlink()
    import_courses(world["dir"])
    assert "Paragraf yang baru" not in page.evaluate(STORED_TEXT, READING)

    page.context.set_offline(False)
    eventually(lambda: "Paragraf yang baru" in page.evaluate(STORED_TEXT, READING))
    eventually(lambda: page.evaluate(STORED_TEXT, CLOSING) is None)
    assert "Paragraf yang baru" in page.evaluate(STORED_TEXT, READING)
    page.context.set_offline(True)
    page.goto(READING)
    assert "Paragraf yang baru ditambahkan." in page.inner_text("main")


def test_signing_out_leaves_nothing_on_a_shared_device(pages, world):
    page = pages.person()
    pages.sign_in(page, "nelayan@example.org")
    save_course(page, pages)
    page.goto(READING)
    page.context.set_offline(True)
    page.click("form[data-offline-key] button")
    page.locator("#sync-status").wait_for()
    eventually(lambda: page.evaluate(QUEUED) == 1)
    # Back online, but the progress cannot get through before she signs out.
    page.route("**/offline/progress", lambda route: route.abort())
    page.context.set_offline(False)
    pages.sign_out(page)
    eventually(lambda: page.evaluate(STORED_URLS) == [])
    eventually(lambda: page.evaluate(QUEUED) == 0)
    assert completed(world["learner"].id)[0] == 0

    from playwright.sync_api import Error as PlaywrightError

    page.context.set_offline(True)
    try:  # the new service worker's answer, or the browser's own error page
        page.goto(READING)
    except PlaywrightError as error:
        assert "ERR_INTERNET_DISCONNECTED" in str(error)
    assert "Bacaan singkat." not in page.content()


def test_a_first_visit_to_a_lesson_is_light(pages, world, browser):
    page = pages.person()
    pages.sign_in(page, "nelayan@example.org")
    signed_in = page.context.storage_state()
    # A new browser: nothing cached, no service worker; only the session cookie.
    context = browser.new_context(base_url=pages.base_url, storage_state=signed_in)
    pages.contexts.append(context)
    fresh = context.new_page()
    received = []
    fresh.on("requestfinished", lambda request: received.append(request))
    fresh.goto(READING)
    fresh.wait_for_load_state("networkidle")
    sizes = {r.url: r.sizes() for r in received}
    total = sum(
        s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values()
    )
    print(f"first visit to a lesson: {len(sizes)} requests, {total} bytes")
    assert total <= FIRST_VISIT_BUDGET, sizes
    document = next(r for r in received if r.url.endswith(READING))
    assert document.response().headers["content-encoding"] == "gzip"
    assert any(
        f"/images/{world['image']}" in url for url in sizes
    )  # lazy, but on screen
    image = fresh.locator(".prose img")
    assert image.get_attribute("loading") == "lazy"
    # Its box is sized before it loads: the page does not jump.
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("8", "8")


def test_data_saver_shows_images_only_when_tapped(pages, world):
    page = pages.person()
    pages.sign_in(page, "nelayan@example.org")
    page.goto("/account/")
    page.check("#data_saver")
    pages.follow(page, "form[action$='/account/data-saver'] button")
    assert "Hemat data aktif" in page.inner_text(".flashes")
    assert page.is_checked("#data_saver")
    pages.check(page, "account-data-saver")
    images = []
    page.on("request", lambda r: images.append(r.url) if "/images/" in r.url else None)
    page.goto(READING)
    page.wait_for_load_state("networkidle")
    assert images == []
    button = page.locator("button.show-image")
    assert button.inner_text() == "Tampilkan gambar: Peta Penyengat"
    pages.check(page, "lesson-data-saver")
    button.click()
    page.wait_for_function(
        "() => document.querySelector('.prose img').naturalWidth > 0"
    )
    assert len(images) == 1
