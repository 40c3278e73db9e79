"""The learner's path: catalogue, enrollment, reading, marking done, resuming, progress and JP."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import ActivityProgress, Course, Enrollment, JpRecord

PASSWORD = "kata-sandi-yang-panjang"


@pytest.fixture
def course(import_courses, course_dir):
    import_courses(course_dir)
    return db.session.scalar(select(Course))


@pytest.fixture
def learner(make_user, auth, course):
    user = make_user(email="ani@example.org")
    auth.login("ani@example.org")
    return user


def test_catalog_lists_courses_with_jp_and_time(client, course):
    page = client.get("/courses/").get_data(as_text=True)
    assert "Contoh Kursus" in page and "1 JP" in page and "45" in page


def test_course_page_shows_modules_and_activities(client, course):
    page = client.get("/courses/contoh-kursus/").get_data(as_text=True)
    for title in ("Pengantar", "Selamat Datang", "Cara Belajar", "Praktik", "Latihan"):
        assert title in page


def test_unknown_course_is_404(client, course):
    assert client.get("/courses/tidak-ada/").status_code == 404


def test_unpublished_course_is_hidden_from_learners(client, course, learner):
    course.published = False
    db.session.commit()
    assert client.get("/courses/contoh-kursus/").status_code == 403
    assert "Contoh Kursus" not in client.get("/courses/").get_data(as_text=True)


def test_activity_requires_sign_in_and_enrollment(client, course, make_user, auth):
    url = "/courses/contoh-kursus/pengantar/selamat-datang/"
    assert "/login?next=" in client.get(url).location
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    assert client.get(url).location == "/courses/contoh-kursus/"


def test_enroll_is_a_post_and_idempotent(client, course, learner):
    assert client.get("/courses/contoh-kursus/enroll").status_code == 405
    client.post("/courses/contoh-kursus/enroll")
    client.post("/courses/contoh-kursus/enroll")
    assert db.session.scalar(select(func.count(Enrollment.id))) == 1


def test_read_mark_done_and_go_to_next(client, course, learner):
    client.post("/courses/contoh-kursus/enroll")
    page = client.get("/courses/contoh-kursus/pengantar/selamat-datang/").get_data(
        as_text=True
    )
    assert "Tentang kursus ini" in page and 'rel="next"' in page
    response = client.post("/courses/contoh-kursus/pengantar/selamat-datang/complete")
    assert response.location == "/courses/contoh-kursus/pengantar/cara-belajar/"
    row = db.session.scalar(select(ActivityProgress))
    assert row.completed_at is not None and row.first_visit_at <= row.completed_at


def test_double_completion_counts_once(client, course, learner):
    client.post("/courses/contoh-kursus/enroll")
    for _ in range(3):
        client.post("/courses/contoh-kursus/pengantar/selamat-datang/complete")
    assert db.session.scalar(select(func.count(ActivityProgress.id))) == 1
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.completed_activities == 1


def test_complete_requires_enrollment(client, course, learner):
    assert (
        client.post(
            "/courses/contoh-kursus/pengantar/selamat-datang/complete"
        ).status_code
        == 403
    )
    assert db.session.scalar(select(func.count(ActivityProgress.id))) == 0


def test_continue_opens_first_unfinished_after_signing_out_and_in(
    client, course, learner, auth
):
    client.post("/courses/contoh-kursus/enroll")
    assert client.get("/courses/contoh-kursus/continue").location.endswith(
        "/pengantar/selamat-datang/"
    )
    client.post("/courses/contoh-kursus/pengantar/selamat-datang/complete")
    auth.logout()
    auth.login("ani@example.org")
    assert client.get("/courses/contoh-kursus/continue").location.endswith(
        "/pengantar/cara-belajar/"
    )


def test_progress_is_private_to_each_learner(client, course, learner, make_user, auth):
    client.post("/courses/contoh-kursus/enroll")
    client.post("/courses/contoh-kursus/pengantar/selamat-datang/complete")
    auth.logout()
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    client.post("/courses/contoh-kursus/enroll")
    page = client.get("/courses/contoh-kursus/").get_data(as_text=True)
    assert "0 of 3" in page or "0 dari 3" in page


def test_completing_every_activity_completes_course_and_records_jp_once(
    client, course, learner
):
    client.post("/courses/contoh-kursus/enroll")
    for key in (
        "pengantar/selamat-datang",
        "pengantar/cara-belajar",
        "praktik/latihan",
    ):
        client.post(f"/courses/contoh-kursus/{key}/complete")
        client.post(f"/courses/contoh-kursus/{key}/complete")
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.completed_at is not None and enrollment.completed_activities == 3
    records = db.session.scalars(select(JpRecord)).all()
    assert (
        len(records) == 1
        and records[0].hours == 1
        and records[0].year == date.today().year
    )


def test_my_courses_shows_percent_and_jp_against_target(client, course, learner):
    client.post("/courses/contoh-kursus/enroll")
    client.post("/courses/contoh-kursus/pengantar/selamat-datang/complete")
    page = client.get("/my/").get_data(as_text=True)
    assert 'value="33"' in page and "Contoh Kursus" in page
    assert "0 of 20 JP" in page or "0 dari 20 JP" in page
    for key in ("pengantar/cara-belajar", "praktik/latihan"):
        client.post(f"/courses/contoh-kursus/{key}/complete")
    page = client.get("/my/").get_data(as_text=True)
    assert "1 of 20 JP" in page or "1 dari 20 JP" in page


def test_archived_activity_is_still_readable_by_enrolled_learner(
    client, course, learner, import_courses, course_dir
):
    client.post("/courses/contoh-kursus/enroll")
    (course_dir / "contoh-kursus" / "02-praktik" / "01-latihan.md").rename(
        course_dir / "contoh-kursus" / "02-praktik" / "01-latihan-baru.md"
    )
    import_courses(course_dir)
    response = client.get("/courses/contoh-kursus/praktik/latihan/")
    assert response.status_code == 200
    assert (
        client.post("/courses/contoh-kursus/praktik/latihan/complete").status_code
        == 403
    )
