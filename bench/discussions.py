"""Benchmark: a lesson's question list with 50 posts in its course, then with 50,000.

Builds a 5-lesson course with three cohorts, signs a learner of one cohort in, and times her
question list (the whole signed-in page, and the list query alone) with 50 posts in the course,
then again after filling the course up to 50,000 posts (5,000 questions over every lesson and
cohort). Prints each time and the ratio (the goal: within 2x). Run by hand, not as a test:

    .venv/bin/python bench/discussions.py                       # SQLite in a temporary folder
    .venv/bin/python bench/discussions.py --database-url postgresql+psycopg://postgres@127.0.0.1/kelas_bench --reset
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_db import bench_database
from sqlalchemy import insert, select, text

LESSONS, COHORTS, POSTS_PER_THREAD = 5, 3, 10
PASSWORD = "kata-sandi-bench-panjang"


def write_course(root: Path) -> None:
    """Write a one-module course of LESSONS lessons."""
    module = root / "bench-diskusi" / "01-modul"
    module.mkdir(parents=True)
    (root / "bench-diskusi" / "course.md").write_text(
        "---\ntitle: Bench Diskusi\nsummary: Kursus benchmark.\njp: 2\n---\n"
    )
    (module / "module.md").write_text("---\ntitle: Modul\n---\n")
    for n in range(1, LESSONS + 1):
        (module / f"{n:02d}-materi-{n}.md").write_text(
            f"---\ntitle: Materi {n}\nminutes: 10\n---\nTeks.\n"
        )


def add_posts(
    db, models, course, cohorts, authors, activities, threads: int, start: int
):
    """Insert `threads` questions of POSTS_PER_THREAD posts each, spread over lessons and cohorts."""
    base = datetime(2027, 1, 1, tzinfo=UTC)
    thread_rows = []
    for n in range(start, start + threads):
        when = base + timedelta(minutes=n)
        thread_rows.append({
            "course_id": course.id, "activity_id": activities[n % len(activities)],
            "cohort_id": (cohorts + [None])[n % (len(cohorts) + 1)], "kind": "question",
            "title": f"Pertanyaan {n}", "author_id": authors[n % len(authors)],
            "created_at": when, "last_post_at": when, "post_count": POSTS_PER_THREAD,
            "pinned": n % 97 == 0, "locked": False, "hidden": False, "answered": n % 3 == 0,
        })  # fmt: skip
    ids = db.session.scalars(
        insert(models.DiscussionThread).returning(models.DiscussionThread.id),
        thread_rows,
    ).all()
    post_rows = [
        {"thread_id": tid, "number": k, "author_id": authors[(tid + k) % len(authors)],
         "body": f"Tulisan {k}", "html": f"<p>Tulisan {k}</p>",
         "created_at": base, "accepted": False}
        for tid in ids for k in range(1, POSTS_PER_THREAD + 1)
    ]  # fmt: skip
    for i in range(0, len(post_rows), 5000):
        db.session.execute(insert(models.DiscussionPost), post_rows[i : i + 5000])
    db.session.commit()


def median_ms(fn, runs: int) -> float:
    """Return the median milliseconds of `runs` calls of fn (after a warm-up)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        run(parser, args, Path(work))


def run(parser, args, work: Path) -> None:
    """Build the course, measure with few posts, fill it, measure again."""
    url = bench_database(parser, args, work)
    write_course(work / "courses")
    from flask_migrate import upgrade

    from lms import create_app, models
    from lms.activities.registry import activity_types
    from lms.auth.accounts import create_user
    from lms.cohorts.members import add_member
    from lms.content.reader import read_courses
    from lms.content.sync import apply_import
    from lms.discussions import reading
    from lms.extensions import db
    from lms.permissions import questions_visible_to

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "LMS_RATELIMIT_ENABLED": False,
                      "LMS_MAIL_BACKGROUND": False, "WTF_CSRF_ENABLED": False})  # fmt: skip
    with app.app_context():
        upgrade()
        apply_import(read_courses(work / "courses", activity_types()))
        course = db.session.scalar(select(models.Course))
        activities = db.session.scalars(
            select(models.Activity.id).order_by(models.Activity.position)
        ).all()
        cohorts = []
        for n in range(COHORTS):
            cohort = models.Cohort(course_id=course.id, name=f"Angkatan {n}", starts_on=datetime.now().date(),
                                   ends_on=datetime.now().date())  # fmt: skip
            db.session.add(cohort)
            db.session.flush()
            cohorts.append(cohort.id)
        learner = create_user("ani@bench.example", "Ani Bench", PASSWORD)
        others = [
            create_user(f"u{n}@bench.example", f"Peserta {n}", PASSWORD)
            for n in range(5)
        ]
        add_member(db.session.get(models.Cohort, cohorts[0]), learner)
        db.session.commit()
        authors = [u.id for u in (learner, *others)]
        lesson_url = "/courses/bench-diskusi/modul/materi-1/discussions/"
        client = app.test_client()
        assert (
            client.post(
                "/login", data={"login": learner.email, "password": PASSWORD}
            ).status_code
            == 302
        )

        def page():
            response = client.get(lesson_url)
            assert response.status_code == 200, response.status_code

        def query():
            enrollment = db.session.scalar(select(models.Enrollment))
            visible = questions_visible_to(learner, course, enrollment)
            reading.thread_list(
                reading.questions_on(activities[0], visible), learner.id
            )
            db.session.rollback()

        def bare():
            db.session.execute(text("SELECT 1"))
            db.session.rollback()

        add_posts(db, models, course, cohorts, authors, activities, 5, 0)
        round_trip = median_ms(bare, args.runs)
        small = {
            "page": median_ms(page, args.runs),
            "query": median_ms(query, args.runs),
        }
        add_posts(db, models, course, cohorts, authors, activities, 4995, 5)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        posts = db.session.scalar(
            select(text("count(*)")).select_from(models.DiscussionPost)
        )
        big = {"page": median_ms(page, args.runs), "query": median_ms(query, args.runs)}
    print(f"database: {url.split(':')[0]}; posts in the course: 50, then {posts}; "
          f"a bare SELECT 1 and rollback: {round_trip:.2f} ms")  # fmt: skip
    for what in ("page", "query"):
        ratio = big[what] / small[what]
        print(
            f"{what:5}: {small[what]:7.2f} ms with 50 posts, {big[what]:7.2f} ms with {posts}: ratio {ratio:.2f}"
        )


if __name__ == "__main__":
    main()
