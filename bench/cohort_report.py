"""Benchmark: a cohort's report page and its exports against a bare SQL aggregate over the same rows.

Builds 5,000 learners in 50 cohorts on a 40-activity course (seeded), then times, for one cohort,
the report, the signed-in cohort page, the CSV and XLSX exports, and a bare GROUP BY over the same
progress rows, and prints each as a ratio to the bare aggregate. Run by hand, not as a test:

    .venv/bin/python bench/cohort_report.py                       # SQLite in a temporary folder
    .venv/bin/python bench/cohort_report.py --database-url postgresql+psycopg://postgres@127.0.0.1/kelas_cohort --reset

The bare aggregate counts what the report counts: every member of the cohort (those without
progress too) with their completed current (published, not archived) activities, on the same
session connection the report uses. PostgreSQL is analysed after the build, as autovacuum would.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from bench_db import bench_database
from sqlalchemy import text

MODULES, LESSONS_PER_MODULE = 5, 7


def write_course(root: Path) -> None:
    """Write a 40-activity cohort course: 5 modules of 7 lessons and a quiz."""
    course = root / "bench-kepemimpinan"
    course.mkdir(parents=True)
    (course / "course.md").write_text(
        "---\ntitle: Bench Kepemimpinan\nsummary: Kursus benchmark.\njp: 20\ncohort: true\n---\n"
    )
    for m in range(1, MODULES + 1):
        module = course / f"{m:02d}-modul-{m}"
        module.mkdir()
        (module / "module.md").write_text(f"---\ntitle: Modul {m}\n---\n")
        for n in range(1, LESSONS_PER_MODULE + 1):
            (module / f"{n:02d}-materi-{n}.md").write_text(
                f"---\ntitle: Materi {m}.{n}\nminutes: 20\n---\n## Isi\n\nTeks materi.\n"
            )
        questions = "\n\n".join(
            f"::q{i}:: Soal {i}? {{=benar ~salah}}" for i in range(1, 9)
        )
        (module / f"{LESSONS_PER_MODULE + 1:02d}-kuis.gift").write_text(
            f"---\ntitle: Kuis {m}\nminutes: 15\n---\n{questions}\n"
        )


def timed(fns: dict, runs: int, rounds: int = 3) -> dict:
    """Return each function's median seconds over `rounds` blocks of `runs` calls.

    Each block runs one function `runs` times in a row (after a warm-up call), as it would run
    on its own; the blocks take turns, one per function per round, so that a machine getting
    slower or faster during the run (this one is shared) shifts every figure alike.
    The garbage collector is off while a block runs, as `timeit` has it, so that a collection
    the pages' garbage calls for does not land in the bare aggregate's time.
    """
    samples = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            fn()
            gc.collect()
            gc.disable()
            try:
                for _ in range(runs):
                    start = time.perf_counter()
                    fn()
                    samples[name].append(time.perf_counter() - start)
            finally:
                gc.enable()
    return {name: statistics.median(times) for name, times in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--reset",
        action="store_true",
        help="drop and recreate the PostgreSQL schema first",
    )
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--cohorts", type=int, default=50)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kelas-asn-bench-"))
    url = bench_database(parser, args, work)

    from flask_migrate import upgrade

    from lms import create_app
    from lms.activities.registry import activity_types
    from lms.auth.accounts import create_user
    from lms.cohorts.synthetic import build
    from lms.content.reader import read_courses
    from lms.content.sync import apply_import
    from lms.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "LMS_MAIL_BACKGROUND": False,
        }
    )
    write_course(work / "courses")
    with app.app_context():
        upgrade()
        apply_import(read_courses(work / "courses", activity_types()))
        started = time.perf_counter()
        summary = build(
            args.learners,
            args.cohorts,
            seed=42,
            password="bench-password-1",
            course_slug="bench-kepemimpinan",
        )
        print(
            f"built {args.learners} learners in {args.cohorts} cohorts in {time.perf_counter() - started:.1f}s on {db.engine.dialect.name}"
        )
        if db.engine.dialect.name == "postgresql":
            db.session.commit()
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        cohort_id = db.session.execute(text("SELECT min(id) FROM cohorts")).scalar()
        members = db.session.execute(
            text("SELECT count(*) FROM enrollments WHERE cohort_id = :c"),
            {"c": cohort_id},
        ).scalar()
        create_user(
            "bench-admin@example.org",
            "Bench Admin",
            "bench-password-1",
            roles=("admin",),
        )

        bare_sql = text(
            "SELECT e.user_id, count(a.id) FROM enrollments e "
            "LEFT JOIN activity_progress p ON p.user_id = e.user_id AND p.completed_at IS NOT NULL "
            "LEFT JOIN activities a ON a.id = p.activity_id AND a.course_id = e.course_id "
            "AND a.archived_at IS NULL AND a.published = true "
            "WHERE e.cohort_id = :c GROUP BY e.user_id"
        )
        # Until 2026-11-28: members with progress only, activities archived or not, on a fresh
        # pool connection each time; printed for comparison with the older numbers.
        previous_sql = text(
            "SELECT e.user_id, count(p.id) FROM enrollments e "
            "JOIN activity_progress p ON p.user_id = e.user_id AND p.completed_at IS NOT NULL "
            "JOIN activities a ON a.id = p.activity_id AND a.course_id = e.course_id "
            "WHERE e.cohort_id = :c GROUP BY e.user_id"
        )

        def bare():
            db.session.execute(bare_sql, {"c": cohort_id}).all()

        def previous_bare():
            with db.engine.connect() as conn:
                conn.execute(previous_sql, {"c": cohort_id}).all()

        client = app.test_client()
        client.post(
            "/login",
            data={"login": "bench-admin@example.org", "password": "bench-password-1"},
        )
        supervisor = summary["supervisors"][0]["email"]

        def page(path):
            def get():
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            return get

        from datetime import date

        from lms.cohorts.report import cohort_reports
        from lms.models import Cohort

        def report():
            db.session.expire_all()
            cohort_reports([db.session.get(Cohort, cohort_id)], date.today())

        # The page has the cohort already (it loads it to check the viewer may see it).
        loaded = db.session.get(Cohort, cohort_id)

        def report_given_the_cohort():
            cohort_reports([loaded], date.today())

        def report_not_kept():
            app.extensions.pop("lms.report_activities", None)
            cohort_reports([loaded], date.today())

        results = timed(
            {
                "bare": bare,
                "previous bare": previous_bare,
                "report (SQL + statuses)": report,
                "  the same, cohort at hand": report_given_the_cohort,
                "  ..., activities not kept": report_not_kept,
                "cohort page": page(f"/cohorts/{cohort_id}/"),
                "members CSV": page(f"/cohorts/{cohort_id}/export/members.csv"),
                "members XLSX": page(f"/cohorts/{cohort_id}/export/members.xlsx"),
                "matrix CSV": page(f"/cohorts/{cohort_id}/export/matrix.csv"),
                f"admin's list of {args.cohorts} cohorts": page("/cohorts/"),
            },
            args.runs,
        )
        base, previous_base = results.pop("bare"), results.pop("previous bare")
    print(
        f"cohort of {members} members; bare SQL aggregate: {base * 1000:.2f} ms (median of 3 x {args.runs}); "
        f"the previous baseline: {previous_base * 1000:.2f} ms"
    )
    print(f"{'what':<28}{'median ms':>10}{'ratio':>10}")
    for name, seconds in results.items():
        print(f"{name:<28}{seconds * 1000:>10.2f}{seconds / base:>10.1f}")
    print(
        f"(the supervisor account {supervisor} sees one cohort; the admin list shows all {args.cohorts})"
    )


if __name__ == "__main__":
    main()
