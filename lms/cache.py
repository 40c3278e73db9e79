"""Everything kept between requests, in one place: a named function to read each thing, one to forget.

Built on Flask-Caching (`lms.extensions.cache`): in the process by default, in Redis when
`LMS_CACHE_URL` is set, so every machine shares it. What is kept is the same for every viewer;
nothing here holds a value that differs between them (a name, a mark, a token).

| what | key | gone when |
|---|---|---|
| a course's structure (modules, activities, links) | course id, created, content version, URL prefix | the course's content changes (`content_version`, bumped on every flush that changes the course, a module or an activity: `lms.models.course`) |
| a course's current activities, for reports | course id, created, content version | as above |
| a cohort's figures | cohort id, `figures_version` | `LMS_REPORT_CACHE_SECONDS` pass, or `forget_cohort_figures` |
| an LTI platform's public keys | the keys' URL | five minutes pass, or a launch names a key not in them |

A version in the key means a change made through the app is seen by every process at its next
request; `forget_everything` is for changes made by hand (`flask lms clear-cache`) and restores.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import has_request_context, request
from flask_caching.backends.simplecache import SimpleCache

from lms.extensions import cache

log = logging.getLogger(__name__)
T = TypeVar("T")

#: How long an LTI platform's public keys are kept before they are fetched again.
PLATFORM_KEYS_SECONDS = 300


def course_structure(course, build: Callable[[Any], T]) -> T:
    """Return the course's structure as `build(course)` makes it, kept per content version."""
    prefix = request.script_root if has_request_context() else None
    return _kept(f"structure:{_course_version(course)}:{prefix}", lambda: build(course))


def course_activities(course, build: Callable[[Any], T]) -> T:
    """Return the course's current activities for reports, kept per content version."""
    return _kept(f"activities:{_course_version(course)}", lambda: build(course))


def course_tests(course, build: Callable[[Any], T]) -> T:
    """Return the course's pretest and posttest as `build(course)` finds them, kept per content version."""
    return _kept(f"tests:{_course_version(course)}", lambda: build(course))


def cohort_figures(cohort, build: Callable[[], T], seconds: int) -> T:
    """Return the cohort's figures, kept for `seconds` under the cohort's figures version."""
    key = _figures_key(cohort.id, cohort.figures_version)
    return _kept(key, build, timeout=seconds)


def put_cohort_figures(cohort, figures, seconds: int) -> None:
    """Keep freshly counted figures for the cohort (a refresh asked for by a viewer)."""
    _put(_figures_key(cohort.id, cohort.figures_version), figures, seconds)


def platform_keys(url: str, fetch: Callable[[], T], refresh: bool = False) -> T:
    """Return an LTI platform's public keys (JWKS), fetched again after five minutes or on `refresh`."""
    key = f"platform-keys:{url}"
    if refresh:
        _put(key, fetch(), PLATFORM_KEYS_SECONDS)
    return _kept(key, fetch, timeout=PLATFORM_KEYS_SECONDS)


def forget_everything() -> None:
    """Drop everything kept (after changing the database by hand, or restoring it)."""
    cache.clear()


def _course_version(course) -> str:
    # The creation time tells apart a course id reused after a delete (SQLite may reuse ids).
    return f"{course.id}:{course.created_at.timestamp()}:{course.content_version}"


def _figures_key(cohort_id: int, version: int) -> str:
    return f"cohort-figures:{cohort_id}:{version}"


def _kept(key: str, make: Callable[[], T], timeout: int | None = None) -> T:
    """Return the value kept under `key`, else make it and keep it; without a cache, just make it."""
    try:
        value = cache.get(key)
    except Exception:  # an unreachable Redis: work as without a cache
        log.warning("cache unreachable", exc_info=True)
        return make()
    if value is None:
        value = make()
        _put(key, value, timeout)
    return value


def _put(key: str, value, timeout: int | None) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        log.warning("cache unreachable", exc_info=True)


class _AsIs:
    """A serializer that keeps the value itself."""

    def dumps(self, value):
        return value

    def loads(self, value):
        return value


class ProcessCache(SimpleCache):
    """Flask-Caching's in-process cache, holding values as they are (no pickling on each read).

    Values are shared by the process's threads: treat them as read-only.
    """

    serializer = _AsIs()
