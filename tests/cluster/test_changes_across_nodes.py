"""A change made through one node is seen through the other at the next request."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.models import Activity, Course, Module
from tests.cluster.conftest import DEMO, Browser, pretest_taken

SLUG = "spbe-layanan-digital"


def test_a_role_revoked_on_one_node_is_refused_on_the_other_at_once(
    cluster, world, make_person
):
    one, two = cluster["nodes"]
    user, password = make_person(role="instructor")
    assign_instructor(user.email, SLUG)
    teacher, admin = Browser(), Browser()
    teacher.login(two, user.email, password)
    pages = ["/author/", f"/author/{SLUG}/", f"/author/{SLUG}/settings"]
    for _ in range(3):  # seen by node 2's processes while the role stands
        assert [teacher.get(two, p).status_code for p in pages] == [200] * 3

    admin.login(one, *DEMO["admin"])
    revoked = admin.post(
        one, f"/admin/users/{user.id}/roles", {"role": "instructor", "granted": "0"}
    )
    assert revoked.status_code == 302

    for _ in range(3):
        assert [teacher.get(two, p).status_code for p in pages] == [403] * 3
    assert (
        teacher.post(two, f"/author/{SLUG}/publish", {"published": "0"}).status_code
        == 403
    )
    assert (
        teacher.get(two, "/account/").status_code == 200
    )  # still signed in, as a learner


@pytest.fixture
def chromium():
    """Debian's Chromium through Playwright (as tests/browser drives it)."""
    from tests.browser.conftest import CHROMIUM_ARGS, _unavailable, chromium_path

    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found: `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _first_lesson() -> tuple[int, str]:
    """Return the course's first lesson: its id and its path under /courses/SLUG/."""
    course = db.session.scalar(select(Course).where(Course.slug == SLUG))
    activity_id, module, key = db.session.execute(
        select(Activity.id, Module.key, Activity.key).join(Module, Module.id == Activity.module_id)
        .where(Module.course_id == course.id, Activity.type == "lesson",
               Activity.archived_at.is_(None))
        .order_by(Module.position, Activity.position).limit(1)
    ).one()  # fmt: skip
    return activity_id, f"/courses/{SLUG}/{module}/{key.split('/')[-1]}/"


def _enrolled_past_the_pretest(user) -> None:
    """Enroll the learner with the course's pretest done, so its lessons open."""
    from lms.learn.progress import enroll

    enroll(user, db.session.scalar(select(Course).where(Course.slug == SLUG)))
    pretest_taken(user, SLUG)


def _edit_and_publish(page, source: str) -> None:
    """Replace the lesson's text in the editor, save it, publish it."""
    page.fill("#source", source)
    with page.expect_navigation():
        page.click("#save")
    with page.expect_navigation():
        page.click("form[action$='/publish'] button")


def test_a_lesson_edited_in_the_browser_on_one_node_is_read_on_the_other(
    cluster, world, make_person, chromium
):
    """The body is read from the database; the outline's title from the cache (Redis, per
    content_version): both must be the new ones at node 2's next request."""
    one, two = cluster["nodes"]
    activity_id, lesson = _first_lesson()
    user, password = make_person()
    _enrolled_past_the_pretest(user)
    learner = Browser()
    learner.login(two, user.email, password)
    tag = uuid.uuid4().hex[:8]
    title, added = (
        f"SPBE bagi ASN {tag}",
        f"Paragraf baru {tag} tentang layanan digital.",
    )

    def read() -> tuple[str, str]:
        """Return node 2's lesson page: the lesson, and the outline beside it."""
        page = learner.get(two, lesson, allow_redirects=False)
        assert page.status_code == 200, page.headers.get("Location")
        body, outline = page.text.split('<aside class="sidebar"')
        return body.split('<article class="activity">')[1], outline

    for _ in range(3):  # node 2's processes have kept the outline before the edit
        assert tag not in "".join(read())

    context = chromium.new_context(base_url=one)  # every page of the editor from node 1
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("#login", DEMO["instructor"][0])
    page.fill("#password", DEMO["instructor"][1])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(f"/author/{SLUG}/activities/{activity_id}/edit")
    original = page.input_value("#source")
    edited = re.sub(r"(?m)^title: .*$", f"title: {title}", original, count=1)
    try:
        _edit_and_publish(page, edited.rstrip() + "\n\n" + added + "\n")
        assert page.url.startswith(one)
        for _ in range(3):
            body, outline = read()
            assert added in body and title in outline
    finally:
        page.goto(f"/author/{SLUG}/activities/{activity_id}/edit")
        _edit_and_publish(page, original)
        context.close()
    assert tag not in "".join(read())
