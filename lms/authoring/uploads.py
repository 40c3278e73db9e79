"""Images uploaded for a course: checked by their content, limited in size, stored by hash."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from lms.content.image_sizes import HEAD_BYTES, Size, SizeLookup, image_size
from lms.extensions import db
from lms.files import sniff, write_new
from lms.models import Course, CourseImage

#: The image types accepted (recognised by their content, see lms.files.sniff).
IMAGE_TYPES = ("png", "jpg", "gif", "webp")
STORED_NAME_RE = re.compile(r"^[0-9a-f]{64}\.(png|jpg|gif|webp)$")
#: The most image files one rendering reads the size of; later images get none.
MAX_SIZED_FILES = 100


class UploadError(ValueError):
    """The file was refused; the message says why."""


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """Return (content type, suffix) when `data` is an image we accept, else None."""
    kind = sniff(data)
    if kind is None or kind.extension not in IMAGE_TYPES:
        return None
    return kind.mimetype, kind.extension


def store_image(
    course: Course,
    stream: BinaryIO,
    filename: str,
    uploader_id: int,
    uploads_dir: str,
    max_bytes: int,
) -> CourseImage:
    """Check and store an uploaded image; the same image uploaded twice is stored once."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(
            _("The file is too large: at most %(kb)d KB.", kb=max_bytes // 1024)
        )
    kind = sniff_image(data)
    if kind is None:
        raise UploadError(
            _("That file is not an image we accept: use PNG, JPEG, GIF or WebP.")
        )
    image = add_image(course, data, filename, uploader_id, uploads_dir)
    db.session.commit()
    return image


def add_image(
    course: Course,
    data: bytes,
    filename: str,
    uploader_id: int | None,
    uploads_dir: str,
) -> CourseImage:
    """Keep an image's bytes and add its row (not committed); an image already there is reused."""
    kind = sniff_image(data)
    if kind is None:
        raise UploadError(
            _("That file is not an image we accept: use PNG, JPEG, GIF or WebP.")
        )
    content_type, suffix = kind
    digest = hashlib.sha256(data).hexdigest()
    stored_name = f"{digest}.{suffix}"
    existing = db.session.scalar(
        select(CourseImage).where(
            CourseImage.course_id == course.id, CourseImage.stored_name == stored_name
        )
    )
    if existing is not None:
        return existing
    _write_once(image_path(uploads_dir, course.id, stored_name), data)
    image = CourseImage(
        course_id=course.id,
        stored_name=stored_name,
        original_name=os.path.basename(filename or "")[:255],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=uploader_id,
    )
    db.session.add(image)
    return image


def image_path(uploads_dir: str, course_id: int, stored_name: str) -> Path:
    """Return where an image is kept on disk."""
    if not STORED_NAME_RE.match(stored_name):
        raise ValueError(stored_name)
    return Path(uploads_dir) / "course-images" / str(course_id) / stored_name


def _write_once(path: Path, data: bytes) -> None:
    if not path.exists():
        write_new(path, data)


def find_image(course: Course, stored_name: str) -> CourseImage | None:
    """Return the course's image by its stored name."""
    return db.session.scalar(
        select(CourseImage).where(
            CourseImage.course_id == course.id, CourseImage.stored_name == stored_name
        )
    )


def course_images(course: Course) -> list[CourseImage]:
    """Return the course's images, newest first."""
    return list(
        db.session.scalars(
            select(CourseImage)
            .where(CourseImage.course_id == course.id)
            .order_by(CourseImage.created_at.desc(), CourseImage.id.desc())
        )
    )


def uploaded_image_sizes(course: Course, uploads_dir: str) -> SizeLookup:
    """Return the lookup of the sizes of the course's images, read from their files' first bytes.

    Only `/courses/<this course>/images/<stored name>` is looked up; each file is read once.
    """
    prefix = f"/courses/{course.slug}/images/"
    sizes: dict[str, Size | None] = {}

    def size(src: str) -> Size | None:
        if src in sizes or len(sizes) >= MAX_SIZED_FILES:
            return sizes.get(src)
        name = src[len(prefix) :] if src.startswith(prefix) else ""
        sizes[src] = None
        if course.id is not None and STORED_NAME_RE.match(name):
            try:
                with image_path(uploads_dir, course.id, name).open("rb") as handle:
                    sizes[src] = image_size(handle.read(HEAD_BYTES))
            except OSError:
                pass  # not uploaded (yet): no size
        return sizes[src]

    return size
