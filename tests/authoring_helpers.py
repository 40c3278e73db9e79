"""Shared steps of the authoring tests: a course, its instructor, finding activities."""

from __future__ import annotations

from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.models import Activity, Course

SLUG = "contoh-kursus"
LESSON_KEY = "pengantar/selamat-datang"


def course(slug: str = SLUG) -> Course:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def activity(key: str = LESSON_KEY) -> Activity:
    return db.session.scalar(select(Activity).where(Activity.key == key))


def become_instructor(make_user, auth, email="guru@example.org", slug=SLUG):
    """Create an instructor of the course (whose interface is in English) and sign them in."""
    user = make_user(role="instructor", email=email)
    user.locale = "en"
    db.session.commit()
    assign_instructor(email, slug)
    auth.login(email)
    return user


def edit_url(item: Activity, action: str = "edit") -> str:
    return f"/author/{item.course.slug}/activities/{item.id}/{action}"


def save(client, item: Activity, source: str, version: int | None = None, **extra):
    """Post the editor's Save button."""
    data = {
        "source": source,
        "version": item.version if version is None else version,
        "save": "1",
        **extra,
    }
    return client.post(edit_url(item), data=data)


def publish(client, item: Activity):
    return client.post(edit_url(item, "publish"))
