"""Time the catalogue's word search on PostgreSQL with its trigram index and without it (a ratio).

.venv/bin/python bench/catalog_search.py --database-url postgresql+psycopg://postgres@127.0.0.1/DB
    [--courses 5000] [--runs 50]

The database is emptied (its public schema dropped) and migrated first: use one of your own.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import create_engine, insert, text

WORDS = ("kearsipan", "pelayanan publik", "nomor 4321", "tidak-ada-kata-ini")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--courses", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    engine = create_engine(args.database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    from flask_migrate import upgrade

    from lms import create_app
    from lms.extensions import db
    from lms.learn.search import CatalogSearch, search_catalog
    from lms.models import Course

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        upgrade()
        rows = [{"slug": f"c{n}", "title": f"Pelatihan {n}", "category": "Lain", "jp": n % 9,
                 "summary": f"Kursus nomor {n} tentang pelayanan publik dan tata kelola pemerintahan",
                 "published": True, "language": "id", "minutes": 30} for n in range(args.courses)]  # fmt: skip
        rows.append({**rows[0], "slug": "arsip", "title": "Kearsipan Digital"})
        db.session.execute(insert(Course), rows)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE courses")

        def median_ms(words: str) -> tuple[float, int]:
            search = CatalogSearch(words=tuple(words.split()))
            found = len(search_catalog(None, search))
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                search_catalog(None, search)
                times.append(time.perf_counter() - start)
            return statistics.median(times) * 1000, found

        indexed = {w: median_ms(w) for w in WORDS}
        db.session.execute(
            text("DROP INDEX ix_courses_words")
        )  # undone by the rollback below
        scanned = {w: median_ms(w) for w in WORDS}
        db.session.rollback()
        print(
            f"{args.courses + 1} courses on PostgreSQL, median of {args.runs} searches (ms):"
        )
        for w in WORDS:
            (with_ms, found), (without_ms, _) = indexed[w], scanned[w]
            print(f"  {w!r:24} {found:5} found  index {with_ms:7.2f}  scan {without_ms:7.2f}"
                  f"  ratio {without_ms / with_ms:5.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
