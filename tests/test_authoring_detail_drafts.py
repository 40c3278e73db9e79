"""Course and module details edited in the browser wait as drafts until shown to learners."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Module
from tests.authoring_helpers import SLUG, become_instructor, course

DETAILS = {"title": "Judul Baru", "summary": "Ringkasan baru.", "jp": "3", "language": "id",
           "objectives": "Satu", "description": "Deskripsi *baru*."}  # fmt: skip
MODULE = {"title": "Pembuka Baru", "summary": "", "intro": "Halo *semua*."}


def learners_page(app) -> str:
    """The course page as anyone sees it (it is in the catalogue)."""
    return app.test_client().get(f"/courses/{SLUG}/").get_data(as_text=True)


def test_course_details_wait_until_shown_to_learners(
    app, client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    title, version = course().title, course().content_version
    saved = client.post(f"/author/{SLUG}/settings", data={**DETAILS, "action": "draft"})
    assert saved.status_code == 302
    page = learners_page(app)
    assert title in page and "Judul Baru" not in page
    assert (course().title, course().content_version) == (title, version)
    form = client.get(f"/author/{SLUG}/settings").get_data(as_text=True)
    assert (
        "Judul Baru" in form and "You are editing a draft" in form
    )  # the editor goes on
    assert "Details: a draft waits" in client.get(f"/author/{SLUG}/").get_data(
        as_text=True
    )
    client.post(f"/author/{SLUG}/settings", data={**DETAILS, "action": "publish"})
    page = learners_page(app)
    assert "Judul Baru" in page and "<em>baru</em>" in page
    assert course().draft_source is None


def test_module_details_wait_until_shown_to_learners(
    app, client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    url = f"/author/{SLUG}/modules/pengantar/edit"
    client.post(url, data={**MODULE, "action": "draft"})
    assert "Pembuka Baru" not in learners_page(app)
    assert "Pembuka Baru" in client.get(url).get_data(as_text=True)
    client.post(url, data={**MODULE, "action": "publish"})
    assert "Pembuka Baru" in learners_page(app)
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    assert module.draft_source is None and "<em>semua</em>" in module.intro_html


def test_a_discarded_draft_leaves_the_published_details(
    app, client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    title = course().title
    client.post(f"/author/{SLUG}/settings", data={**DETAILS, "action": "draft"})
    client.post(f"/author/{SLUG}/settings/discard")
    assert course().draft_source is None and course().title == title
    assert title in client.get(f"/author/{SLUG}/settings").get_data(as_text=True)
    url = f"/author/{SLUG}/modules/pengantar/edit"
    client.post(url, data={**MODULE, "action": "draft"})
    client.post(f"/author/{SLUG}/modules/pengantar/discard")
    assert "Pembuka Baru" not in client.get(url).get_data(as_text=True)


def test_an_import_supersedes_a_draft_only_when_the_file_changed(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    client.post(f"/author/{SLUG}/settings", data={**DETAILS, "action": "draft"})
    import_courses(course_dir)  # the same files: the draft waits on
    assert "Judul Baru" in course().draft_source
    course_md = course_dir / SLUG / "course.md"
    course_md.write_text(course_md.read_text().replace("title: ", "title: Kursus ", 1))
    import_courses(course_dir)
    assert course().draft_source is None and course().title.startswith("Kursus ")


def test_a_course_outside_the_catalogue_saves_at_once(
    app, client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    client.post(f"/author/{SLUG}/publish", data={"published": "0"})
    form = client.get(f"/author/{SLUG}/settings").get_data(as_text=True)
    assert 'value="draft"' not in form  # no learner to keep it from
    client.post(f"/author/{SLUG}/settings", data={**DETAILS, "action": "draft"})
    assert course().title == "Judul Baru" and course().draft_source is None
