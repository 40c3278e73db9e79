"""What a learner's device keeps of a course to read it offline: the course's offline manifest."""

from __future__ import annotations

import hashlib
import os
import re
import zlib

from flask import current_app, url_for
from sqlalchemy import select

from lms.activities.registry import activity_types
from lms.extensions import db
from lms.learn.lookup import key_url
from lms.models import Activity, Course, CourseImage
from lms.static_files import fingerprinted_name, static_url

#: Every stored course's cache is named so: one cache per learner and course.
CACHE_PREFIX = "kelas-offline-"
#: The page's offline scripts (static/offline/), in the order they load: common.js says what each does.
SCRIPTS = tuple(
    f"offline/{name}.js"
    for name in ("common", "queue", "storage", "sync", "panels", "start")
)
#: The static files every stored page uses.
ASSETS = ("style.css", *SCRIPTS, "favicon.svg")
#: About what a page adds around its own text (header, footer, forms), in bytes as sent (gzip).
PAGE_BYTES = 1_500
#: About what each activity adds to the outline beside every page, in bytes as sent (gzip).
OUTLINE_ITEM_BYTES = 60
#: A course image in stored (sanitized) HTML: `src` or, in data-saver pages, `data-src`.
_IMAGE = re.compile(r'src="(/courses/([^"/]{1,100})/images/([^"/]{1,100}))"')


def cache_name(user_id: int, slug: str) -> str:
    """Return the name of the cache that holds one learner's copy of one course."""
    return f"{CACHE_PREFIX}u{user_id}-{slug}"


def offline_manifest(course: Course, user_id: int, data_saver: bool) -> dict:
    """List what saving the course for offline reading downloads: URLs, sizes (as sent) and versions.

    Only the course's current lessons (types readable offline) are listed, never a quiz or an
    assignment. A lesson's version changes when its content does, so a device re-downloads
    only what changed, and drops what the list no longer holds.
    """
    types = activity_types()
    rows = db.session.execute(
        select(Activity.key, Activity.title, Activity.type, Activity.version, Activity.html)
        .where(Activity.course_id == course.id, Activity.is_current())
        .order_by(Activity.position)
    ).all()  # fmt: skip
    lessons = [row for row in rows if types[row.type].readable_offline]
    around = PAGE_BYTES + OUTLINE_ITEM_BYTES * len(rows)
    saver = "-hemat" if data_saver else ""
    entries = [
        _entry(url_for("learn.course", slug=course.slug), "page", f"{course.content_version}{saver}",
               around + _sent(course.description_html.encode())),
        _entry(url_for("offline.fallback"), "page", scripts_version(), PAGE_BYTES),
    ]  # fmt: skip
    images: dict[str, str] = {}
    for html in (course.description_html, *(row.html for row in lessons)):
        for match in _IMAGE.finditer(html):
            if match[2] == course.slug:
                images.setdefault(match[3], match[1])
    for row in lessons:
        entry = _entry(key_url(course.slug, row.key), "lesson", f"{row.version}{saver}",
                       around + _sent(row.html.encode()))  # fmt: skip
        entries.append({**entry, "key": row.key, "title": row.title})
    if images:
        for name, size in db.session.execute(
            select(CourseImage.stored_name, CourseImage.size).where(
                CourseImage.course_id == course.id, CourseImage.stored_name.in_(images)
            )
        ):
            entries.append(_entry(images[name], "image", name, size))
    folder = current_app.static_folder
    for asset in ASSETS:
        with open(os.path.join(folder, asset), "rb") as handle:
            size = _sent(handle.read())
        entries.append(
            _entry(static_url(asset), "asset", fingerprinted_name(asset), size)
        )
    return {
        "course": course.slug,
        "title": course.title,
        "url": url_for("offline.course_manifest", slug=course.slug),
        "cache": cache_name(user_id, course.slug),
        "user": user_id,
        "lessons": len(lessons),
        "bytes": sum(entry["bytes"] for entry in entries),
        "entries": entries,
    }


def scripts_version() -> str:
    """Return a version that changes with any offline script (pages name them by content)."""
    digests = "".join(fingerprinted_name(name) for name in SCRIPTS)
    return hashlib.sha256(digests.encode()).hexdigest()[:12]


def _sent(text: bytes) -> int:
    """Return about how many bytes a text costs to download (responses are gzip-compressed)."""
    return len(zlib.compress(text, 6)) + 18


def _entry(url: str, kind: str, version, size: int) -> dict:
    return {"url": url, "kind": kind, "version": str(version), "bytes": size}
