"""Backing up and restoring the database: a file copy for SQLite, pg_dump/pg_restore for PostgreSQL.

Uploaded files live outside the database (LMS_UPLOADS_DIR): back that folder up alongside
(README.md, "Backup and restore").
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def libpq_url(url: str) -> str:
    """Return the database URL as PostgreSQL's own tools read it (no SQLAlchemy driver part)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def backup(url: str, destination: Path) -> Path:
    """Write a consistent copy of the database at `url` to `destination`."""
    parsed = make_url(url)
    destination = Path(destination)
    if parsed.get_backend_name() == "sqlite":
        source = sqlite3.connect(parsed.database)
        target = sqlite3.connect(destination)
        with target:
            source.backup(target)  # consistent even while the app writes (WAL)
        source.close()
        target.close()
        return destination
    if parsed.get_backend_name() == "postgresql":
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={destination}",
                libpq_url(url),
            ]
        )
        return destination
    raise BackupError(
        f"backups of {parsed.get_backend_name()} databases are not supported"
    )


def restore(url: str, source: Path) -> None:
    """Restore a backup made by `backup` into the (empty) database at `url`."""
    parsed = make_url(url)
    source = Path(source)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if parsed.get_backend_name() == "sqlite":
        target = Path(parsed.database)
        if target.exists() and target.stat().st_size > 0:
            raise BackupError(f"{target} exists; restore into a new, empty database")
        shutil.copyfile(source, target)
        return
    if parsed.get_backend_name() == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={libpq_url(url)}",
                str(source),
            ]
        )
        return
    raise BackupError(
        f"restoring {parsed.get_backend_name()} databases is not supported"
    )


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian package postgresql-client)"
        )
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")
