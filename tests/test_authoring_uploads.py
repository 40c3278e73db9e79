"""Images: checked by content, limited in size, stored outside the code, served with safe headers."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import CourseImage
from tests.authoring_helpers import SLUG, become_instructor

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200  # a Windows .exe header
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100


@pytest.fixture
def uploads(app, tmp_path, import_courses, course_dir, make_user, auth):
    app.config["LMS_UPLOADS_DIR"] = str(tmp_path / "uploads")
    import_courses(course_dir)
    become_instructor(make_user, auth)
    return tmp_path / "uploads"


def upload(client, data: bytes, name: str):
    return client.post(
        f"/author/{SLUG}/images",
        data={"image": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_an_image_is_stored_and_served_with_safe_headers(client, uploads):
    assert upload(client, PNG, "diagram.png").status_code == 302
    image = db.session.scalar(select(CourseImage))
    assert image.content_type == "image/png" and image.size == len(PNG)
    assert (
        uploads / "course-images" / str(image.course_id) / image.stored_name
    ).read_bytes() == PNG
    page = client.get(f"/author/{SLUG}/images").get_data(as_text=True)
    url = f"/courses/{SLUG}/images/{image.stored_name}"
    assert f"![diagram]({url})" in page
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]
    # An image gets its own, stricter policy: not the pages' one, and not both.
    assert response.headers.getlist("Content-Security-Policy") == [
        "default-src 'none'; sandbox"
    ]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    response.close()
    # uploading it again stores nothing new
    upload(client, PNG, "lagi.png")
    assert len(db.session.scalars(select(CourseImage)).all()) == 1


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (EXECUTABLE, "foto.png"),
        (ELF, "foto.jpg"),
        (b"<svg onload=alert(1)>", "x.gif"),
        (b"<html><script>", "x.webp"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(
    client, uploads, data, name
):
    response = upload(client, data, name)
    assert response.status_code == 422
    assert "PNG, JPEG, GIF or WebP" in response.get_data(as_text=True)
    assert db.session.scalar(select(CourseImage)) is None
    assert not uploads.exists() or not any(uploads.rglob("*.*"))


def test_an_oversized_image_is_refused(app, client, uploads):
    app.config["LMS_MAX_UPLOAD_BYTES"] = 1024
    response = upload(client, PNG + b"\x00" * 2000, "besar.png")
    assert response.status_code == 422
    assert "too large" in response.get_data(as_text=True)
    assert db.session.scalar(select(CourseImage)) is None
    assert upload(client, PNG, "kecil.png").status_code == 302
    # a body far over the limit is refused before it is read
    assert upload(client, PNG + b"\x00" * 200_000, "raksasa.png").status_code == 413


def test_unknown_or_malformed_image_names_are_not_found(client, uploads):
    assert client.get(f"/courses/{SLUG}/images/../../etc/passwd").status_code == 404
    assert client.get(f"/courses/{SLUG}/images/{'0' * 64}.png").status_code == 404
    assert client.get(f"/courses/{SLUG}/images/wsgi.py").status_code == 404
