"""Reading course folders: the format, and errors that name the file, the line and the problem."""

import json

import pytest
from sqlalchemy import func, select

from lms.activities.registry import activity_types
from lms.content.errors import ContentError
from lms.content.reader import read_courses
from lms.extensions import db
from lms.models import Activity, Course


def read(path):
    return read_courses(path, activity_types())


def test_example_course_reads_with_keys_without_prefixes(app, course_dir):
    (course,) = read(course_dir)
    assert course.slug == "contoh-kursus"
    assert [m.key for m in course.modules] == ["pengantar", "praktik"]
    keys = [a.key for a in course.activities]
    assert keys[:3] == [
        "pengantar/selamat-datang",
        "pengantar/cara-belajar",
        "praktik/latihan",
    ]
    assert course.meta["jp"] == 1 and course.meta["cohort"] is False


def test_markdown_is_rendered_at_read_time(app, course_dir):
    (course,) = read(course_dir)
    html = course.activities[0].parsed.html
    assert "<table>" in html and '<h2 id="tentang-kursus-ini">' in html
    assert '<code class="language-python">' in html


def errors_for(course_dir, relative, content):
    path = course_dir / "contoh-kursus" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        read(course_dir)
    return [str(p) for p in info.value.problems]


def test_unknown_front_matter_key_names_file_and_line(app, course_dir):
    problems = errors_for(
        course_dir,
        "01-pengantar/03-baru.md",
        "---\ntitle: Baru\nminutes: 5\ndurasi: 5\n---\nIsi\n",
    )
    assert problems == [
        f"{course_dir}/contoh-kursus/01-pengantar/03-baru.md:4: kunci 'durasi' tidak dikenal (yang dikenal: minutes, objectives, title)"
    ]


def test_invalid_yaml_names_the_line(app, course_dir):
    problems = errors_for(
        course_dir,
        "01-pengantar/03-baru.md",
        "---\ntitle: Baru\nminutes: [5\n---\nIsi\n",
    )
    assert (
        len(problems) == 1
        and "03-baru.md:" in problems[0]
        and "YAML tidak sah" in problems[0]
    )


def test_missing_required_key_and_wrong_type(app, course_dir):
    problems = errors_for(
        course_dir, "01-pengantar/03-baru.md", "---\nminutes: lima\n---\nIsi\n"
    )
    assert any("kunci wajib 'title' tidak ada" in p for p in problems)
    assert any("03-baru.md:2: 'minutes' harus bilangan bulat" in p for p in problems)


def test_missing_front_matter(app, course_dir):
    problems = errors_for(
        course_dir, "01-pengantar/03-baru.md", "# Tanpa front matter\n"
    )
    assert problems == [
        f"{course_dir}/contoh-kursus/01-pengantar/03-baru.md:1: berkas harus diawali front matter YAML di antara baris '---'"
    ]


def test_badly_named_files_and_duplicate_keys(app, course_dir):
    base = course_dir / "contoh-kursus" / "01-pengantar"
    (base / "Catatan.txt").write_text("x")
    (base / "05-cara-belajar.md").write_text("---\ntitle: X\nminutes: 1\n---\n")
    with pytest.raises(ContentError) as info:
        read(course_dir)
    text = str(info.value)
    assert "Catatan.txt: seharusnya berkas aktivitas bernama seperti '01-kunci'" in text
    assert (
        "kunci aktivitas 'pengantar/cara-belajar' juga dipakai oleh 02-cara-belajar.md"
        in text
    )


def test_all_problems_in_all_files_are_reported_together(app, course_dir):
    base = course_dir / "contoh-kursus"
    (base / "01-pengantar" / "01-selamat-datang.md").write_text("---\ntitle: A\n---\n")
    (base / "02-praktik" / "module.md").write_text("---\njudul: B\n---\n")
    with pytest.raises(ContentError) as info:
        read(course_dir)
    assert (
        len(info.value.problems) >= 3
    )  # missing minutes, unknown judul, missing title


def test_check_courses_cli_reports_and_exits_nonzero_writing_nothing(
    app, runner, course_dir
):
    (course_dir / "contoh-kursus" / "course.md").write_text(
        "---\ntitle: X\nsummary: Y\njp: satu\n---\n"
    )
    result = runner.invoke(args=["lms", "check-courses", str(course_dir)])
    assert result.exit_code == 1
    assert "course.md:4: 'jp' harus bilangan bulat" in result.output
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_check_courses_json_lists_courses_modules_and_activity_types(
    app, runner, course_dir
):
    result = runner.invoke(args=["lms", "check-courses", str(course_dir), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    (course,) = summary["courses"]
    assert course["slug"] == "contoh-kursus"
    activities = [a for m in course["modules"] for a in m["activities"]]
    assert {"key": "pengantar/selamat-datang", "type": "lesson"}.items() <= activities[
        0
    ].items()
    assert course["changes"]["new_course"] is True
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_import_cli_failure_changes_nothing_even_for_good_courses(
    app, runner, course_dir, import_courses
):
    import_courses(course_dir)
    before = db.session.execute(
        select(Activity.id, Activity.title, Activity.content_hash)
    ).all()
    (course_dir / "contoh-kursus" / "01-pengantar" / "02-cara-belajar.md").write_text(
        "---\ntitle: Diubah\nminutes: 3\n---\nBaru\n"
    )
    good = course_dir / "kursus-lain"
    good.mkdir()
    (good / "course.md").write_text("---\ntitle: Lain\nsummary: S\njp: 1\n---\n")
    (good / "01-m").mkdir()
    (good / "01-m" / "module.md").write_text("---\ntitle: M\n---\n")
    (good / "01-m" / "01-rusak.md").write_text(
        "---\ntitle: R\n---\n"
    )  # missing minutes
    result = runner.invoke(args=["lms", "import-courses", str(course_dir)])
    assert (
        result.exit_code == 1
        and "01-rusak.md:1: kunci wajib 'minutes' tidak ada" in result.output
    )
    assert "nothing was imported" in result.output
    assert (
        db.session.execute(
            select(Activity.id, Activity.title, Activity.content_hash)
        ).all()
        == before
    )
    assert db.session.scalar(select(func.count(Course.id))) == 1


def test_a_problem_quoting_the_authors_text_is_escaped_in_pages(app):
    """Flask-Babel's lazy strings count as safe HTML: a problem's message must not stay one."""
    from flask_babel import lazy_gettext
    from markupsafe import escape

    from lms.content.errors import ContentProblem

    with app.test_request_context():
        problem = ContentProblem(
            "kuis.gift",
            3,
            lazy_gettext("'%(text)s' is not a number", text="<script>x</script>"),
        )
        assert "<script>" not in str(escape(problem.message))
