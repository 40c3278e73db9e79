"""Drafts stay invisible to learners until published; every save is a revision that can be restored."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.learn import progress
from lms.models import ActivityProgress, ActivityRevision, Enrollment
from tests.authoring_helpers import (
    SLUG,
    activity,
    become_instructor,
    course,
    edit_url,
    publish,
    save,
)

LESSON_URL = f"/courses/{SLUG}/pengantar/selamat-datang/"
NEW_URL = f"/courses/{SLUG}/pengantar/rahasia/"


def _learner(client, auth, make_user, email="ani@example.org"):
    user = make_user(email=email)
    auth.login(email)
    client.post(f"/courses/{SLUG}/enroll")
    return user


def test_a_new_activity_is_invisible_to_learners_until_published(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    client.post(
        f"/author/{SLUG}/modules/pengantar/activities/new",
        data={"type": "lesson", "key": "rahasia", "title": "Bab Rahasia"},
    )
    assert client.get(NEW_URL).status_code == 200  # staff may preview it
    auth.logout()
    learner = _learner(client, auth, make_user)
    assert "Bab Rahasia" not in client.get(f"/courses/{SLUG}/").get_data(as_text=True)
    assert client.get(NEW_URL).status_code == 302  # sent back to the course page
    assert client.post(f"{NEW_URL}complete").status_code == 403
    # finishing every published activity completes the course despite the draft
    for item in (
        "pengantar/selamat-datang",
        "pengantar/cara-belajar",
        "praktik/latihan",
    ):
        progress.complete_activity(learner.id, activity(item))
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.completed_at is not None
    assert enrollment.completed_activities == 3


def test_publishing_a_new_activity_counts_it(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    learner = _learner(client, auth, make_user)
    progress.complete_activity(learner.id, activity())
    auth.logout()
    become_instructor(make_user, auth)
    client.post(
        f"/author/{SLUG}/modules/pengantar/activities/new",
        data={"type": "lesson", "key": "rahasia", "title": "Bab Rahasia"},
    )
    assert db.session.scalar(select(Enrollment)).completed_activities == 1
    publish(client, activity("pengantar/rahasia"))
    auth.logout()
    auth.login("ani@example.org")
    assert "Bab Rahasia" in client.get(f"/courses/{SLUG}/").get_data(as_text=True)
    from lms.learn.outline import course_outline

    assert len(course_outline(course(), None).items) == 4


def test_a_saved_change_is_a_draft_until_published(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    original = lesson.source
    learner = _learner(client, auth, make_user)
    client.post(f"{LESSON_URL}complete")
    auth.logout()
    become_instructor(make_user, auth)
    assert (
        save(
            client, lesson, original.replace("Tentang kursus ini", "Judul Baru")
        ).status_code
        == 302
    )
    auth.logout()
    auth.login("ani@example.org")
    page = client.get(LESSON_URL).get_data(as_text=True)
    assert "Tentang kursus ini" in page and "Judul Baru" not in page
    auth.logout()
    auth.login("guru@example.org")
    assert publish(client, activity()).status_code == 302
    auth.logout()
    auth.login("ani@example.org")
    page = client.get(LESSON_URL).get_data(as_text=True)
    assert "Judul Baru" in page and "Tentang kursus ini" not in page
    # the learner's progress survived: same activity row, still completed
    row = db.session.scalar(
        select(ActivityProgress).where(ActivityProgress.user_id == learner.id)
    )
    assert row.activity_id == lesson.id and row.completed_at is not None


def test_revisions_record_who_when_what_and_restore_an_old_text(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    original = lesson.source
    become_instructor(make_user, auth)
    save(client, lesson, original + "\nVersi dua.\n", summary="Tambah kalimat")
    save(client, activity(), original + "\nVersi tiga.\n")
    publish(client, activity())
    revisions = db.session.scalars(
        select(ActivityRevision).order_by(ActivityRevision.number)
    ).all()
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[0].author_id is None and revisions[0].source == original
    assert revisions[1].summary == "Tambah kalimat"
    assert revisions[2].summary == "+1 −1 lines"
    assert revisions[2].published_at is not None and revisions[1].published_at is None
    history = client.get(edit_url(lesson, "history")).get_data(as_text=True)
    assert "Tambah kalimat" in history and "Pengguna" in history
    diff = client.get(f"/author/{SLUG}/activities/{lesson.id}/revisions/3").get_data(
        as_text=True
    )
    assert 'class="diff-remove">- Versi dua.' in diff
    assert 'class="diff-add">+ Versi tiga.' in diff

    response = client.post(
        f"/author/{SLUG}/activities/{lesson.id}/revisions/1/restore",
        data={"version": activity().version},
    )
    assert response.status_code == 302
    restored = db.session.scalar(
        select(ActivityRevision).where(ActivityRevision.number == 4)
    )
    assert restored.source == original and restored.summary == "Restored revision 1"
    assert (
        "Versi tiga." in activity().source
    )  # restoring makes a draft; learners unchanged
    publish(client, activity())
    assert activity().source == original and activity().id == lesson.id


def test_restore_with_a_stale_version_is_refused(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    become_instructor(make_user, auth)
    stale = lesson.version
    save(client, lesson, lesson.source + "\nBaru.\n")
    client.post(
        f"/author/{SLUG}/activities/{lesson.id}/revisions/1/restore",
        data={"version": stale},
    )
    assert (
        db.session.scalar(select(ActivityRevision).where(ActivityRevision.number == 3))
        is None
    )


def test_quiz_attempts_survive_publishing_a_new_version(client, auth, make_user, quiz):
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/courses/kursus-kuis/enroll")
    client.post("/courses/kursus-kuis/modul/kuis/attempts")
    from lms.models import QuizAttempt

    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt is not None
    auth.logout()
    become_instructor(make_user, auth, slug="kursus-kuis")
    changed = quiz.source.replace("Ibu kota Provinsi", "Ibukota Provinsi")
    save(client, quiz, changed)
    publish(client, activity("modul/kuis"))
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).activity_id == quiz.id
    assert course("kursus-kuis") is not None


def test_an_import_supersedes_a_pending_browser_draft(
    client, auth, make_user, import_courses, course_dir
):
    from sqlalchemy import select

    from lms.authoring.drafts import publish, working_copy
    from lms.models import ActivityRevision

    import_courses(course_dir)
    become_instructor(make_user, auth)
    lesson = activity()
    save(client, lesson, lesson.source + "\nDraf di peramban.\n")
    path = course_dir / "contoh-kursus" / "01-pengantar" / "01-selamat-datang.md"
    path.write_text(path.read_text() + "\nDiubah di berkas.\n")
    import_courses(course_dir)
    db.session.expire_all()
    lesson = activity()
    copy = working_copy(lesson)
    assert "Diubah di berkas." in copy.source and "Draf di peramban." not in copy.source
    assert not publish(lesson)  # nothing pending: the draft cannot overwrite the import
    history = db.session.scalars(
        select(ActivityRevision.source).where(ActivityRevision.activity_id == lesson.id)
    ).all()
    assert any("Draf di peramban." in text for text in history)  # still restorable
