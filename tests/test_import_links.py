"""A course folder is its own files: a symbolic link anywhere in it is refused, and nothing imports."""

import os

import pytest
from sqlalchemy import func, select

from lms.content.errors import ContentError
from lms.extensions import db
from lms.models import Course

COURSE = "contoh-kursus"


def swap_for_link(path, target):
    """Replace `path` with a symbolic link to `target` (a file or folder outside the course)."""
    if path.is_dir():
        path.rename(target)
    elif path.exists():
        target.write_bytes(path.read_bytes())
        path.unlink()
    os.symlink(target, path)


@pytest.mark.parametrize(
    "inside",
    [
        "01-pengantar/01-selamat-datang.md",  # a lesson
        "02-praktik",  # a module folder
        "01-pengantar/module.md",
        "course.md",
    ],
)
def test_a_linked_file_or_folder_is_refused_by_name(
    import_courses, course_dir, tmp_path, inside
):
    path = course_dir / COURSE / inside
    swap_for_link(path, tmp_path / "elsewhere")
    with pytest.raises(ContentError) as refused:
        import_courses(course_dir)
    assert f"{path}: adalah tautan simbolik" in str(refused.value)
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_an_image_linked_to_a_system_file_is_not_read(
    import_courses, course_dir, monkeypatch
):
    images = course_dir / COURSE / "images"
    images.mkdir()
    os.symlink("/etc/passwd", images / "logo.png")
    read = []
    real = type(images).read_bytes
    monkeypatch.setattr(type(images), "read_bytes", lambda p: read.append(p) or real(p))
    with pytest.raises(ContentError) as refused:
        import_courses(course_dir)
    assert "logo.png: adalah tautan simbolik" in str(refused.value)
    assert not [p for p in read if p.name == "logo.png"]


def test_a_linked_course_folder_is_refused(import_courses, course_dir, tmp_path):
    os.symlink(course_dir / COURSE, course_dir / "kursus-tautan")
    with pytest.raises(ContentError) as refused:
        import_courses(course_dir)
    assert "kursus-tautan: adalah tautan simbolik" in str(refused.value)


def test_check_courses_names_the_link(runner, course_dir, tmp_path):
    path = course_dir / COURSE / "01-pengantar" / "02-cara-belajar.md"
    swap_for_link(path, tmp_path / "lain.md")
    result = runner.invoke(args=["lms", "check-courses", str(course_dir)])
    assert result.exit_code != 0
    assert f"{path}: adalah tautan simbolik" in result.output
