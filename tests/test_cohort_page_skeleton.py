"""A cohort page is rendered once per shared figures and filled with each viewer's header.

Every viewer must get byte for byte what a full render gives them: a piece of the page that
differs between viewers and is neither a hole nor part of the key fails here.
"""

from __future__ import annotations

import pytest
from flask import template_rendered
from sqlalchemy import select

from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, WorkUnit
from tests.cohort_world import add_cohort

#: The last is what the page's filter form sends for "all".
QUERIES = ["", "?sort=percent&order=desc", "?status=in_progress", "?track=behind",
           "?unit=&status=&sort=name&order=asc"]  # fmt: skip


@pytest.fixture(autouse=True)
def shared_for_a_minute(app):
    app.config["LMS_REPORT_CACHE_SECONDS"] = 60


@pytest.fixture
def viewers(app, make_user, make_unit, cohort):
    """The cohort's staff and an admin, each signed in on their own client.

    They differ in everything a cohort page shows of its viewer: name (one needing escaping),
    language, the header's links, and whether they may send reminders or manage the cohort.
    """
    unit = db.session.scalar(select(WorkUnit)) or make_unit()
    for n, name in enumerate(["Anwar", "Bunga", "Candra"]):
        member = make_user(name=name)
        member.work_unit = unit if n else None
        add_member(cohort, member)
        if n:
            lesson = db.session.get(Activity, _first_lesson_id())
            progress.complete_activity(member.id, lesson)
    staff = [
        ("sri@example.org", "Sri <i>&</i>", ("supervisor",), "id", "supervisor"),
        ("sue@example.org", "Sue", ("supervisor",), "en", "supervisor"),
        ("tia@example.org", "Tia", ("supervisor",), "id", "supervisor"),
        ("coach@example.org", "Coach", ("supervisor",), "id", "coach"),
        ("mentor@example.org", "Mentor", ("learner",), "id", "coach"),
        ("admin@example.org", "Admin", ("admin",), "id", None),
    ]
    clients = {}
    for email, name, roles, locale, role in staff:
        user = make_user(email=email, name=name, roles=roles)
        user.locale = locale
        db.session.commit()
        if role:
            add_staff(cohort, user, role)
        client = app.test_client()
        client.post(
            "/login", data={"login": email, "password": "kata-sandi-yang-panjang"}
        )
        clients[email] = client
    db.session.commit()
    return clients


def _first_lesson_id() -> int:
    return db.session.scalar(
        select(Activity.id).where(Activity.key == "pengantar/selamat-datang")
    )


def page(app, client, cohort_id: int, query: str, cached: bool) -> str:
    app.config["LMS_PAGE_CACHE"] = cached
    response = client.get(f"/cohorts/{cohort_id}/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_viewer_gets_the_page_a_full_render_gives(
    frozen_clock, app, viewers, cohort
):
    cohort_id = cohort.id
    for query in [
        *QUERIES,
        '?unit=&x=<b>"',
    ]:  # the last is not kept (an unknown argument)
        for (
            client
        ) in viewers.values():  # the first renders the skeleton, the others fill it
            cached = page(app, client, cohort_id, query, cached=True)
            assert cached == page(app, client, cohort_id, query, cached=False), query
    sri = page(app, viewers["sri@example.org"], cohort_id, "", cached=True)
    assert (
        '<li class="user"><a href="/account/">Sri &lt;i&gt;&amp;&lt;/i&gt;</a></li>'
        in sri
        and "Ingatkan" in sri
    )
    coach = page(app, viewers["coach@example.org"], cohort_id, "", cached=True)
    assert '<li class="user"><a href="/account/">Coach</a></li>' in coach
    assert "Ingatkan" not in coach  # coaches send no reminders


def test_a_second_supervisor_is_served_without_rendering_a_template(
    app, viewers, cohort
):
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    cohort_id = cohort.id
    page(app, viewers["sri@example.org"], cohort_id, "?sort=percent", cached=True)
    template_rendered.connect(record, app)
    try:
        page(app, viewers["tia@example.org"], cohort_id, "", cached=True)
        assert rendered  # another view of the members: rendered once
        rendered.clear()
        html = page(app, viewers["sri@example.org"], cohort_id, "", cached=True)
    finally:
        template_rendered.disconnect(record, app)
    assert rendered == []
    assert (
        '<li class="user"><a href="/account/">Sri &lt;i&gt;' in html
        and "Tia</li>" not in html.split("<main")[0]
    )
    assert "Anwar" in html


def test_a_renamed_cohort_shows_its_new_name_at_once(app, viewers, cohort):
    client = viewers["sri@example.org"]
    assert "PKP Angkatan I 2027" in page(app, client, cohort.id, "", cached=True)
    cohort.name = "PKP Angkatan Istimewa"
    db.session.commit()
    assert "PKP Angkatan Istimewa" in page(app, client, cohort.id, "", cached=True)


def test_pages_kept_per_figures_are_bounded(app, viewers, cohort):
    from lms.cohorts.figures import cohort_figures

    client = viewers["sri@example.org"]
    for n in range(70):
        page(app, client, cohort.id, f"?sort=name&page=1&track=t{n}", cached=True)
    with app.test_request_context():
        figures = cohort_figures(cohort, progress_today())
    assert len(figures.memo("pages", dict)) == 64


def progress_today():
    from tests.cohort_world import TODAY

    return TODAY


def test_another_cohorts_skeleton_is_never_shown(app, viewers, cohort, make_user):
    other = add_cohort(cohort.course_id, "Angkatan Lain")
    sri = viewers["sri@example.org"]
    page(app, sri, cohort.id, "", cached=True)
    assert sri.get(f"/cohorts/{other.id}/").status_code == 403


def test_figures_shared_through_a_pickling_cache_keep_their_page(
    frozen_clock, app, database_url, viewers, cohort, tmp_path
):
    """With Redis every view unpickles the figures; the copy seen before keeps the kept page."""
    from lms import create_app

    worker = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                         "WTF_CSRF_ENABLED": False, "SECRET_KEY": app.config["SECRET_KEY"],
                         "LMS_REPORT_CACHE_SECONDS": 60, "LMS_UPLOADS_DIR": str(tmp_path),
                         "CACHE_TYPE": "SimpleCache"})  # fmt: skip
    client = worker.test_client()
    client.post("/login", data={"login": "sri@example.org", "password": "kata-sandi-yang-panjang"})  # fmt: skip
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    first = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    template_rendered.connect(record, worker)
    try:
        again = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    finally:
        template_rendered.disconnect(record, worker)
    assert again == first and "Anwar" in again
    assert rendered == []
    with worker.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_filter_forms_all_choice_is_kept_too(app, viewers, cohort):
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    form = "?unit=&status=&track=&sort=name&order=asc"  # what "Apply" sends for all
    page(app, viewers["sri@example.org"], cohort.id, form, cached=True)
    template_rendered.connect(record, app)
    try:
        page(app, viewers["tia@example.org"], cohort.id, form, cached=True)
    finally:
        template_rendered.disconnect(record, app)
    assert rendered == []
