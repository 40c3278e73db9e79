"""Removing an activity in the browser, and bringing it back: learners keep their records."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.learn import progress
from lms.models import ActivityProgress, Enrollment
from tests.authoring_helpers import SLUG, activity, become_instructor, course, edit_url

LESSON = f"/courses/{SLUG}/pengantar/selamat-datang/"


def test_removed_activity_leaves_learners_outline_and_completion_count(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    learner = make_user(email="ani@example.org")
    progress.enroll(learner, course())
    for key in ("pengantar/selamat-datang", "pengantar/cara-belajar"):
        progress.complete_activity(learner.id, activity(key))
    latihan = activity("praktik/latihan")
    progress.record_visit(learner.id, latihan)
    db.session.commit()
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.completed_at is None  # two of three done

    become_instructor(make_user, auth)
    response = client.post(edit_url(latihan, "archive"), data={"archived": "1"})
    assert response.status_code == 302
    page = client.get(f"/author/{SLUG}/").get_data(as_text=True)
    assert "Removed activities" in page and "Restore Latihan" in page

    db.session.expire_all()
    assert activity("praktik/latihan").archived_at is not None
    assert db.session.scalar(select(Enrollment)).completed_at is not None  # 2 of 2 now
    # what the learner did in it is kept
    assert db.session.scalar(
        select(ActivityProgress).where(ActivityProgress.activity_id == latihan.id)
    )
    assert (
        course().minutes == 25
    )  # 10 + 15: the removed lesson's minutes no longer count

    auth.logout()
    auth.login("ani@example.org")
    assert "Latihan" not in client.get(LESSON).get_data(as_text=True)


def test_restored_activity_comes_back(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    latihan = activity("praktik/latihan")
    client.post(edit_url(latihan, "archive"), data={"archived": "1"})
    response = client.post(edit_url(latihan, "archive"), data={"archived": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert activity("praktik/latihan").archived_at is None
    client.post(f"/courses/{SLUG}/enroll")
    assert "Latihan" in client.get(LESSON).get_data(as_text=True)


def test_archiving_needs_the_form_token(app, client, auth, make_user, import_courses):
    import_courses()
    become_instructor(make_user, auth)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            edit_url(activity("praktik/latihan"), "archive"), data={"archived": "1"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.expire_all()
    assert activity("praktik/latihan").archived_at is None
