"""Profile one page in process: milliseconds per request, its SQL statements, and cProfile's top.

Builds the same data as `bench/http_pages.py` (a 20-lesson course, a 500-member cohort), signs
in, warms the page up, then times it, lists the statements one request runs and profiles a batch.
Run by hand (not a test):

    .venv/bin/python bench/profile_page.py /courses/bench-kursus/modul-1/materi-3/
    .venv/bin/python bench/profile_page.py /cohorts/1/ --user pengawas001@synthetic.kelasasn.id
    .venv/bin/python bench/profile_page.py /courses/ --sort tottime --top 40
    .venv/bin/python bench/profile_page.py /courses/bench-kursus/modul-1/materi-3/ --callees activity
    .venv/bin/python bench/profile_page.py /courses/ --database-url postgresql+psycopg://postgres@127.0.0.1/kelas_profile --reset
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_db import bench_database
from http_pages import PASSWORD, prepare, write_course


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the page to profile, e.g. /courses/bench-kursus/")
    parser.add_argument("--user", default="bench-learner@example.org")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--callers", help="also list who calls the functions matching this regex"
    )
    parser.add_argument(
        "--callees", help="also list what the functions matching this regex call"
    )
    parser.add_argument(
        "--database-url", help="PostgreSQL to profile on (default: SQLite)"
    )
    parser.add_argument(
        "--reset", action="store_true", help="empty the PostgreSQL schema first"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kelas-asn-profile-"))
    url = bench_database(parser, args, work)
    write_course(work / "courses")
    prepare(url, work)
    os.environ.update(DATABASE_URL=url, SECRET_KEY="profile-secret-key-0123456789",
                      LMS_RATELIMIT_ENABLED="0", LMS_MAIL_BACKGROUND="0",
                      LMS_UPLOADS_DIR=str(work / "uploads"))  # fmt: skip

    from sqlalchemy import event

    from lms import create_app
    from lms.extensions import db

    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "login": args.user, "password": PASSWORD}
    assert client.post("/login", data=form).status_code == 302, "sign-in failed"
    for _ in range(20):
        assert client.get(args.path).status_code == 200, args.path

    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(args.path)
    elapsed = (time.perf_counter() - started) / args.requests
    print(f"{args.path}: {elapsed * 1000:.2f} ms per request (test client, in process)")

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def log(conn, cursor, statement, *rest):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", log)
    client.get(args.path)
    event.remove(engine, "before_cursor_execute", log)
    print(f"{len(statements)} SQL statements:")
    for statement in statements:
        print("  ", statement[:160])

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profile.disable()
    stats = pstats.Stats(profile).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)
    if args.callees:
        stats.print_callees(args.callees)


if __name__ == "__main__":
    main()
