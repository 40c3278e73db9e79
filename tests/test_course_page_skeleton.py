"""Course pages come from a skeleton rendered once per content version, filled per viewer.

Every viewer must get byte for byte what a full render gives them, whether signed in or not,
enrolled or not, started, finished, in either language.
"""

from __future__ import annotations

from flask import template_rendered

from lms.extensions import db

BASE = "/courses/contoh-kursus"
LESSONS = [
    f"{BASE}/pengantar/selamat-datang/",
    f"{BASE}/pengantar/cara-belajar/",
    f"{BASE}/praktik/latihan/",
]


def page(app, client, cached: bool, query: str = "", **headers) -> str:
    app.config["LMS_PAGE_CACHE"] = cached
    response = client.get(f"{BASE}/{query}", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def signed_in(
    app, make_user, email, name, locale="id", roles=("learner",), enroll=True
):
    user = make_user(email=email, name=name, roles=roles)
    user.locale = locale
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"login": email, "password": "kata-sandi-yang-panjang"})
    if enroll:
        client.post(f"{BASE}/enroll")
    return client


def test_every_viewer_gets_the_page_a_full_render_gives(
    frozen_clock, app, make_user, import_courses
):
    import_courses()
    viewers = {
        "anonymous": app.test_client(),
        "not enrolled": signed_in(app, make_user, "tamu@example.org", "Tamu", enroll=False),
        "untouched": signed_in(app, make_user, "budi@example.org", "Budi <b>&</b>"),
        "started": signed_in(app, make_user, "ani@example.org", "Ani", locale="en"),
        "finished": signed_in(app, make_user, "sri@example.org", "Sri"),
        "staff": signed_in(app, make_user, "guru@example.org", "Guru", roles=("instructor",), enroll=False),
    }  # fmt: skip
    started = viewers["started"]
    started.post(LESSONS[0] + "complete")
    for lesson in LESSONS:
        viewers["finished"].post(lesson + "complete")
    for client in viewers.values():
        client.get(f"{BASE}/")  # read the flashes the enrolments and completions left
    for (
        name,
        client,
    ) in viewers.items():  # the first of each kind renders, the others fill
        for query, headers in (("", {}), ("?x=<i>", {"Accept-Language": "en"})):
            cached = page(app, client, True, query, **headers)
            assert cached == page(app, client, False, query, **headers), (name, query)
    finished = page(app, viewers["finished"], True)
    assert (
        "Anda menyelesaikan kursus ini pada" in finished
        and "Lihat sertifikat Anda" in finished
    )
    assert "1 of 3 activities done" in page(app, started, True)
    untouched = page(app, viewers["untouched"], True)
    assert (
        "0 dari 3 aktivitas selesai" in untouched
        and "Budi &lt;b&gt;&amp;&lt;/b&gt;" in untouched
    )


def test_a_second_learner_is_served_without_rendering_the_page(
    app, make_user, import_courses
):
    import_courses()
    first = signed_in(app, make_user, "ani@example.org", "Ani")
    second = signed_in(app, make_user, "budi@example.org", "Budi")
    second.post(LESSONS[0] + "complete")
    page(app, second, True)  # read the flashes: a page with one is rendered, not kept
    page(app, first, True)
    page(app, first, True)  # kept now
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(record, app)
    try:
        html = page(app, second, True)
    finally:
        template_rendered.disconnect(record, app)
    assert "learn/course.html" not in rendered  # at most the learner's standing
    assert "1 dari 3 aktivitas selesai" in html and "Ani" not in html


def status_renders(app, client, *requests) -> tuple[int, str]:
    """Make the requests (paths to post to, then the course page) and count the standings rendered."""
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(record, app)
    try:
        for path in requests:
            client.post(path)
        page(app, client, True)  # the flash the posts left
        html = page(app, client, True)
    finally:
        template_rendered.disconnect(record, app)
    return rendered.count("learn/_course_status.html"), html


def test_a_standing_is_rendered_once_for_learners_at_the_same_point(
    app, make_user, import_courses
):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from lms.models import Enrollment, User

    import_courses()
    ani = signed_in(app, make_user, "ani@example.org", "Ani")
    budi = signed_in(app, make_user, "budi@example.org", "Budi")
    assert status_renders(app, ani, LESSONS[0] + "complete")[0] == 1
    count, html = status_renders(app, budi, LESSONS[0] + "complete")
    assert count == 0 and "1 dari 3 aktivitas selesai" in html  # Ani's point: kept
    citra = signed_in(app, make_user, "citra@example.org", "Citra", locale="en")
    count, html = status_renders(app, citra, LESSONS[0] + "complete")
    assert count == 1 and "1 of 3 activities done" in html  # the same point in English
    count, html = status_renders(app, budi, LESSONS[1] + "complete")
    assert count == 1 and "2 dari 3 aktivitas selesai" in html  # a new point
    # both finish; Ani's completion is dated a year earlier: each sees their own date
    for client in (ani, budi):
        status_renders(app, client, *(lesson + "complete" for lesson in LESSONS))
    ani_id = db.session.scalar(select(User.id).where(User.email == "ani@example.org"))
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == ani_id)
    )
    enrollment.completed_at = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)
    db.session.commit()
    assert "14 Mar 2025" in page(app, ani, True)
    assert "14 Mar 2025" not in page(app, budi, True)
