"""Hot pages run a fixed number of SQL queries, whatever the size of the data."""

from sqlalchemy import select

from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, Course

LESSON = "/courses/contoh-kursus/pengantar/selamat-datang/"


def add_activities(course_dir, count):
    module = course_dir / "contoh-kursus" / "02-praktik"
    for n in range(count):
        (module / f"{n + 10:03d}-tambahan-{n}.md").write_text(
            f"---\ntitle: Tambahan {n}\nminutes: 5\n---\nIsi {n}\n"
        )


def add_learners(make_user, course, count):
    for _ in range(count):
        user = make_user()
        progress.enroll(user, course)
        for activity in db.session.scalars(
            select(Activity).where(Activity.course_id == course.id).limit(3)
        ):
            progress.complete_activity(user.id, activity)


def queries_for(client, count_queries, url):
    # warm up: the first visit inserts the progress row (and consumes a flashed message), the
    # next keeps the course's structure
    client.get(url)
    client.get(url)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_lesson_page_query_count_does_not_grow(
    client, auth, make_user, import_courses, course_dir, count_queries
):
    import_courses(course_dir)
    course = db.session.scalar(select(Course))
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    client.post("/courses/contoh-kursus/enroll")
    client.post("/courses/contoh-kursus/pengantar/cara-belajar/complete")
    small = queries_for(client, count_queries, LESSON)
    course_small = queries_for(client, count_queries, "/courses/contoh-kursus/")
    my_small = queries_for(client, count_queries, "/my/")

    add_activities(course_dir, 40)
    import_courses(course_dir)
    add_learners(make_user, course, 15)
    big = queries_for(client, count_queries, LESSON)
    assert big == small, (
        f"lesson page: {small} queries with 3 activities, {big} with 43"
    )
    # the user with their session; the course, activity and enrollment; the progress rows (the
    # course's structure is kept per content version); the unread discussion posts (one aggregate)
    assert small == 4, small
    assert queries_for(client, count_queries, "/courses/contoh-kursus/") == course_small
    # the user with their session; the course with the enrollment; the progress rows; the unread
    # discussion posts
    assert course_small <= 4, course_small
    assert queries_for(client, count_queries, "/my/") == my_small


def test_catalog_query_count_does_not_grow_with_courses(
    client, import_courses, course_dir, count_queries
):
    import_courses(course_dir)
    one = queries_for(client, count_queries, "/courses/")
    for n in range(5):
        copy = course_dir / f"kursus-{n}"
        import shutil

        shutil.copytree(course_dir / "contoh-kursus", copy)
    import_courses(course_dir)
    assert queries_for(client, count_queries, "/courses/") == one
    # anonymous: the courses with their activity counts, in one statement
    assert one == 1, one
