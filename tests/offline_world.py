"""A course for offline reading: the quiz course with a second lesson and an image in a lesson."""

from __future__ import annotations

import hashlib
import struct
import zlib

from sqlalchemy import select

from lms.extensions import db
from lms.learn import progress
from lms.models import Course


def tiny_png() -> bytes:
    """Return an 8×8 PNG in the app's colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x0b\x5c\x8a" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


def offline_course(import_courses, quiz_dir, make_user) -> dict:
    """Import the quiz course (lesson, quiz, essay) with a closing lesson and an image; enroll a learner."""
    folder = quiz_dir / "kursus-kuis"
    image = tiny_png()
    name = hashlib.sha256(image).hexdigest() + ".png"
    (folder / "images").mkdir()
    (folder / "images" / "peta.png").write_bytes(image)
    lesson = folder / "01-modul" / "01-bacaan.md"
    lesson.write_text(
        lesson.read_text()
        + f"\n![Peta Penyengat](/courses/kursus-kuis/images/{name})\n"
    )
    (folder / "01-modul" / "04-penutup.md").write_text(
        "---\ntitle: Penutup\nminutes: 5\n---\nPenutup kursus.\n"
    )
    import_courses(quiz_dir)
    learner = make_user(email="nelayan@example.org", name="Siti Penyengat")
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-kuis"))
    progress.enroll(learner, course)
    return {"dir": quiz_dir, "learner": learner, "course": course, "image": name,
            "image_bytes": image}  # fmt: skip
