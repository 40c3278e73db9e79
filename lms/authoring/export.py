"""Write a course back to the `courses/` folder format: the stored texts under numbered names.

Only what learners see is written: published activities (drafts are not), modules and activities
that are not archived. Importing the result gives the same course, and exporting that again gives
the same files, byte for byte.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from sqlalchemy import select

from lms.activities.registry import activity_types
from lms.authoring.drafts import file_suffix
from lms.content.reader import IMAGES_FOLDER
from lms.extensions import db
from lms.models import Activity, Course, Module

#: Zip entries get a fixed date so the same course always gives the same archive.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def course_files(course: Course) -> dict[str, str]:
    """Return the course's files as {relative path: text}, in folder order (two queries)."""
    registry = activity_types()
    modules = db.session.scalars(
        select(Module)
        .where(Module.course_id == course.id, Module.archived_at.is_(None))
        .order_by(Module.position)
    ).all()
    activities = db.session.scalars(
        select(Activity)
        .where(
            Activity.course_id == course.id,
            Activity.is_current(),
        )
        .order_by(Activity.position)
    ).all()
    by_module: dict[int, list[Activity]] = {m.id: [] for m in modules}
    for activity in activities:
        by_module.setdefault(activity.module_id, []).append(activity)
    files = {"course.md": course.source}
    for m_number, module in enumerate(modules, start=1):
        folder = f"{_prefix(m_number, len(modules))}-{module.key}"
        files[f"{folder}/module.md"] = module.source
        items = by_module[module.id]
        for a_number, activity in enumerate(items, start=1):
            name = activity.key.split("/", 1)[1]
            suffix = file_suffix(activity, registry[activity.type])
            files[f"{folder}/{_prefix(a_number, len(items))}-{name}{suffix}"] = (
                activity.source
            )
    return files


def course_image_files(course: Course) -> dict[str, bytes]:
    """Return the course's images as {`images/<stored name>`: bytes}, so they travel with it."""
    from flask import current_app

    from lms.authoring.uploads import image_path
    from lms.models import CourseImage

    images = db.session.scalars(
        select(CourseImage)
        .where(CourseImage.course_id == course.id)
        .order_by(CourseImage.stored_name)
    )
    folder = current_app.config["LMS_UPLOADS_DIR"]
    return {
        f"{IMAGES_FOLDER}/{image.stored_name}": image_path(
            folder, course.id, image.stored_name
        ).read_bytes()
        for image in images
    }


def _prefix(number: int, count: int) -> str:
    return str(number).zfill(max(2, len(str(count))))


def write_course(course: Course, destination: Path, replace: bool = False) -> Path:
    """Write the course as `destination/<slug>/`; an existing folder is replaced only if asked."""
    folder = Path(destination) / course.slug
    if folder.exists():
        if not replace:
            raise FileExistsError(str(folder))
        if not (folder / "course.md").exists():
            raise FileExistsError(f"{folder} is not a course folder; not replacing it")
        shutil.rmtree(folder)
    for path, text in course_files(course).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    for path, data in course_image_files(course).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def zip_course(course: Course) -> bytes:
    """Return the course folder as a zip archive (`<slug>/course.md`, ...)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        files = {
            path: text.encode("utf-8") for path, text in course_files(course).items()
        }
        for path, data in {**files, **course_image_files(course)}.items():
            info = zipfile.ZipInfo(f"{course.slug}/{path}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
