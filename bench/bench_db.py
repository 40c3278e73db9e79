"""The database a benchmark runs on: a new SQLite file, or a PostgreSQL database it empties first."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import create_engine, text


def empty_postgres(url: str) -> None:
    """Drop everything in the database's public schema."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def bench_database(
    parser: argparse.ArgumentParser, args: argparse.Namespace, work: Path
) -> str:
    """Return the URL to use: `--database-url` (emptied, if `--reset` agrees) or SQLite in `work`."""
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        if not args.reset:
            parser.error(
                "the PostgreSQL database is emptied first: pass --reset to agree"
            )
        empty_postgres(url)
    return url
