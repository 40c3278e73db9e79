"""`check-courses` validates a course folder without a database, and plans the import with one."""

from __future__ import annotations

import json
import sqlite3

import pytest

from lms import create_app
from tests.conftest import EXAMPLE_COURSES

CREATE = "create it with `flask --app wsgi db upgrade`"


def check(url: str, *args: str):
    """Run check-courses on the example folder in an app whose database is `url`."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        return app.test_cli_runner().invoke(
            args=["lms", "check-courses", str(EXAMPLE_COURSES), *args]
        )


def test_without_a_database_file_the_folder_is_still_validated(tmp_path):
    path = tmp_path / "belum-ada.sqlite3"
    result = check(f"sqlite:///{path}")
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "contoh-kursus: 2 modules" in result.stdout and "OK: no problems found." in result.stdout  # fmt: skip
    assert result.stderr == (
        f"note: no import plan: the database {path} does not exist yet; {CREATE}"
        " to see what an import would change.\n"
    )
    assert not path.exists()  # checking wrote nothing, not even an empty database


def test_an_unmigrated_database_gets_one_line_saying_how_to_create_it(tmp_path):
    path = tmp_path / "kosong.sqlite3"
    sqlite3.connect(path).close()
    result = check(f"sqlite:///{path}")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "no such table" not in result.output
    assert result.stderr.count("\n") == 1
    assert "the database has no tables yet; " + CREATE in result.stderr
    summary = json.loads(check(f"sqlite:///{path}", "--json").stdout)
    assert summary["courses"][0]["changes"] is None
    assert "no tables yet" in summary["no_plan"]


def test_an_unreachable_database_is_named_in_one_line():
    result = check("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert result.exit_code == 0, result.output
    assert "no import plan: the database cannot be reached (" in result.stderr
    assert "OK: no problems found." in result.stdout


def test_with_a_migrated_database_the_plan_is_shown(app, runner):
    result = runner.invoke(args=["lms", "check-courses", str(EXAMPLE_COURSES)])
    assert result.exit_code == 0, result.output
    assert "contoh-kursus: 2 modules" in result.stdout
    assert "new course" in result.stdout
    assert "no import plan" not in result.output


@pytest.mark.parametrize("broken", ["---\ntitle: X\nsummary: Y\njp: satu\n---\n"])
def test_problems_are_still_found_without_a_database(tmp_path, broken):
    import shutil

    folder = tmp_path / "courses"
    shutil.copytree(EXAMPLE_COURSES, folder)
    (folder / "contoh-kursus" / "course.md").write_text(broken)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})  # fmt: skip
    with app.app_context():
        result = app.test_cli_runner().invoke(
            args=["lms", "check-courses", str(folder)]
        )
    assert result.exit_code == 1
    assert "'jp' harus bilangan bulat" in result.output  # the default language
