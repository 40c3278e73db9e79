"""Lesson images carry their width and height, so a page on a slow phone does not jump as they load.

Sizes come from the image files the course holds (its folder's images/, its uploads), read from
the files' first bytes; an image from anywhere else gets none, and a broken file costs little.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import time

import pytest
from sqlalchemy import select

from lms.content.image_sizes import HEAD_BYTES, image_size
from lms.extensions import db
from lms.models import Activity, CourseImage
from tests.authoring_helpers import SLUG, activity, become_instructor, publish, save
from tests.offline_world import tiny_png


def png_header(width: int, height: int) -> bytes:
    """Return the start of a PNG file of that size (all a size reader needs)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 4


def jpeg(width: int, height: int, exif_bytes: int = 20) -> bytes:
    """Return a JPEG's start: an APP1 (EXIF) segment of about `exif_bytes`, then its frame header."""
    segments = b""
    while exif_bytes > 0:
        part = min(exif_bytes, 65_000)
        segments += b"\xff\xe1" + struct.pack(">H", part + 2) + b"E" * part
        exif_bytes -= part
    frame = b"\xff\xc2" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\0" * 9
    return b"\xff\xd8" + segments + frame + b"\xff\xd9"


@pytest.mark.parametrize(
    ("head", "size"),
    [
        (tiny_png(), (8, 8)),
        (png_header(1280, 720), (1280, 720)),
        (b"GIF89a" + struct.pack("<HH", 300, 200) + b"\0" * 8, (300, 200)),
        (jpeg(1024, 768), (1024, 768)),
        (jpeg(800, 600, exif_bytes=30_000), (800, 600)),
        (b"RIFF\0\0\0\0WEBPVP8X" + b"\0" * 8 + b"\x1f\x03\0" + b"\xdf\x01\0", (800, 480)),
        (b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f" + struct.pack("<I", 399 | 299 << 14), (400, 300)),
        (b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a" + struct.pack("<HH", 640, 360), (640, 360)),
    ],
)  # fmt: skip
def test_the_size_is_read_from_the_first_bytes(head, size):
    assert image_size(head) == size


@pytest.mark.parametrize(
    "head",
    [
        png_header(2**31 - 1, 10),  # a side no image has
        png_header(0, 10),
        png_header(640, 480)[:20],  # ends inside the header
        b"\x89PNG\r\n\x1a\n" + b"junk" * 10,
        b"\xff\xd8\xff\xe1\x00\x01",  # a segment shorter than its own length field
        b"\xff\xd8" + b"\x00" * 100,
        jpeg(800, 600, exif_bytes=HEAD_BYTES),  # the frame comes after what is read
        b"GIF89a",
        b"RIFF\0\0\0\0WEBPVP8 ",
        b"",
    ],
)
def test_a_broken_or_unbelievable_header_gives_no_size(head):
    assert image_size(head) is None


def test_any_bytes_give_a_size_or_none_quickly():
    rng = random.Random(28)
    prefixes = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", b"\xff\xd8", b"GIF89a", b"RIFF\0\0\0\0WEBPVP8X"]  # fmt: skip
    started = time.perf_counter()
    for n in range(2_000):
        head = prefixes[n % 4] + rng.randbytes(rng.randrange(0, 200))
        size = image_size(head)
        assert size is None or all(0 < side <= 30_000 for side in size)
    # a 10 MB file of back-to-back JPEG segments: only its first bytes are walked
    chain = b"\xff\xd8" + (b"\xff\xe1\xff\xff" + b"E" * 65_533) * 160
    assert image_size(chain) is None
    assert time.perf_counter() - started < 2


@pytest.fixture
def folder_course(import_courses, quiz_dir):
    """The quiz course whose lesson shows its own image, another site's and another course's."""
    image = png_header(1280, 720) + b"rest of the file"
    name = hashlib.sha256(image).hexdigest() + ".png"
    (quiz_dir / "kursus-kuis" / "images").mkdir()
    (quiz_dir / "kursus-kuis" / "images" / "peta.png").write_bytes(image)
    lesson = quiz_dir / "kursus-kuis" / "01-modul" / "01-bacaan.md"
    lesson.write_text(
        lesson.read_text()
        + f"\n![Peta](/courses/kursus-kuis/images/{name})\n"
        + "\n![Luar](https://example.org/peta.png)\n"
        + f"\n![Lain](/courses/kursus-lain/images/{name})\n"
    )
    import_courses(quiz_dir)
    return name


def test_an_imported_lesson_sizes_the_images_of_its_course_folder(folder_course):
    html = db.session.scalar(select(Activity.html).where(Activity.key == "modul/bacaan"))  # fmt: skip
    assert (
        f'<img alt="Peta" src="/courses/kursus-kuis/images/{folder_course}" '
        'loading="lazy" decoding="async" width="1280" height="720">'
    ) in html
    # Another site's image and another course's: lazy, but no size and no error.
    assert (
        '<img alt="Luar" src="https://example.org/peta.png" loading="lazy" decoding="async">'
        in html
    )
    assert (
        f'<img alt="Lain" src="/courses/kursus-lain/images/{folder_course}" '
        'loading="lazy" decoding="async">'
    ) in html


def test_an_image_file_whose_size_cannot_be_read_imports_without_one(
    import_courses, quiz_dir
):
    broken = b"\x89PNG\r\n\x1a\n" + b"\xff" * 2_000_000
    name = hashlib.sha256(broken).hexdigest() + ".png"
    (quiz_dir / "kursus-kuis" / "images").mkdir()
    (quiz_dir / "kursus-kuis" / "images" / "rusak.png").write_bytes(broken)
    lesson = quiz_dir / "kursus-kuis" / "01-modul" / "01-bacaan.md"
    lesson.write_text(lesson.read_text() + f"\n![Rusak](/courses/kursus-kuis/images/{name})\n")  # fmt: skip
    import_courses(quiz_dir)
    html = db.session.scalar(select(Activity.html).where(Activity.key == "modul/bacaan"))  # fmt: skip
    assert f'src="/courses/kursus-kuis/images/{name}" loading="lazy"' in html
    assert "width=" not in html


@pytest.fixture
def instructor(app, tmp_path, import_courses, course_dir, make_user, auth):
    app.config["LMS_UPLOADS_DIR"] = str(tmp_path / "uploads")
    import_courses(course_dir)
    become_instructor(make_user, auth)


def upload(client, data: bytes, name: str) -> str:
    """Upload an image as the authoring page does; return the address lessons show it at."""
    client.post(
        f"/author/{SLUG}/images",
        data={"image": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    stored = db.session.scalar(
        select(CourseImage.stored_name).where(CourseImage.original_name == name)
    )
    return f"/courses/{SLUG}/images/{stored}"


def test_a_lesson_written_in_the_browser_sizes_its_uploaded_images(client, instructor):
    photo = upload(client, jpeg(1600, 1200, exif_bytes=12_000), "kantor.jpg")
    lesson = activity()
    text = lesson.source + f"\n![Kantor]({photo})\n\n![Diagram](/courses/{SLUG}/images/{'0' * 64}.png)\n"  # fmt: skip
    assert save(client, lesson, text).status_code == 302
    assert publish(client, activity()).status_code == 302
    html = activity().html
    assert (
        f'src="{photo}" loading="lazy" decoding="async" width="1600" height="1200"'
        in html
    )
    # An address of this course that names no uploaded image gets no size.
    assert f'{"0" * 64}.png" loading="lazy" decoding="async">' in html


def test_an_authors_own_size_is_kept(client, instructor):
    photo = upload(client, png_header(1280, 720), "peta.png")
    lesson = activity()
    text = lesson.source + f'\n<img src="{photo}" alt="Peta" width="320">\n'
    save(client, lesson, text)
    publish(client, activity())
    assert f'<img src="{photo}" alt="Peta" width="320" loading="lazy" decoding="async">' in activity().html  # fmt: skip


def test_a_course_description_and_module_introduction_size_their_images(
    client, instructor
):
    from lms.authoring.courses import apply_course_text, apply_module_text
    from tests.authoring_helpers import course

    photo = upload(client, png_header(640, 480), "sampul.png")
    sized = f'src="{photo}" loading="lazy" decoding="async" width="640" height="480"'
    kursus = course()
    apply_course_text(kursus, kursus.source + f"\n![Sampul]({photo})\n")
    assert sized in kursus.description_html
    module = kursus.modules[0]
    apply_module_text(module, module.source + f"\n![Sampul]({photo})\n")
    assert sized in module.intro_html
