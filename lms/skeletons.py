"""Pages rendered once and filled per viewer: marks, skeletons and the header's holes.

A page that is the same for many viewers but for a few pieces (their name, their CSRF token, the
address the language switch comes back to, ...) can be rendered once with *marks* where those
pieces go, cut into a `Skeleton` at the marks, kept, and filled per request with the viewer's
own values: a few string joins instead of a template render. Whatever else differs between
viewers must be part of the key the skeleton is kept under; each page that uses one has a test
that renders it both ways for viewers in many states and asserts the bytes are the same.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from lms.navigation import Navigation, current_path, site_navigation


@dataclass(frozen=True, slots=True)
class Skeleton:
    """A rendered page with holes: literal text at even indices, hole names at odd ones."""

    parts: tuple[str, ...]

    def fill(self, values: Mapping[str, str]) -> str:
        """Return the page with each hole replaced by its value (already escaped)."""
        parts = list(self.parts)
        parts[1::2] = [values[name] for name in self.parts[1::2]]
        return "".join(parts)


class Holes:
    """Marks that stand in for a viewer's values while a skeleton is rendered.

    A mark carries a random number chosen per instance, so no course text can forge one.
    """

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)
        self._pattern = re.compile(f"\ue000{self._nonce}:([^\ue001]*)\ue001")

    def mark(self, name: str) -> Markup:
        """Return the mark of the hole `name`."""
        return Markup(f"\ue000{self._nonce}:{name}\ue001")

    def skeleton(self, html: str) -> Skeleton:
        """Cut a page rendered with marks into its skeleton."""
        return Skeleton(tuple(self._pattern.split(html)))


def holes() -> Holes:
    """Return this app's marks (one random number per process)."""
    marks = current_app.extensions.get("lms.skeleton_holes")
    if marks is None:
        marks = current_app.extensions["lms.skeleton_holes"] = Holes()
    return marks


def wanted() -> bool:
    """Tell whether this request's page may come from a skeleton (not with flashed messages)."""
    return current_app.config["LMS_PAGE_CACHE"] and "_flashes" not in session


def header_key(nav: Navigation) -> tuple:
    """Return what of the header differs between signed-in viewers, beyond its holes."""
    return (nav.signed_in, nav.authoring, nav.cohorts)


def header_values(nav: Navigation) -> dict[str, str]:
    """Return the header's holes' values for this request, escaped as the template would."""
    return {
        "name": str(escape(nav.name)),
        "csrf": str(escape(csrf_token())),
        "next": str(escape(current_path())),
    }


#: How long a signed CSRF token is handed out again to the same session (well inside the hour
#: Flask-WTF accepts it for).
CSRF_REUSE_SECONDS = 60


def csrf_token() -> str:
    """Return Flask-WTF's CSRF token for this session, signed anew at most once a minute.

    Signing costs more than the rest of filling a page; a token signed a few seconds ago for the
    same session is as valid (`validate_csrf` checks the signature and the hour), so a process
    hands it out again for `CSRF_REUSE_SECONDS`.
    """
    signed = current_app.extensions.setdefault("lms.csrf_tokens", {})
    raw, now = session.get("csrf_token"), time.monotonic()
    found = signed.get(raw) if raw is not None and "csrf_token" not in g else None
    if found is not None and now - found[0] < CSRF_REUSE_SECONDS:
        # what generate_csrf() gives for the rest of the request
        g.csrf_token = found[1]
        return found[1]
    token = generate_csrf()
    if len(signed) >= 10_000:
        signed.clear()
    signed[session["csrf_token"]] = (now, token)
    return token


def header_context(holes: Holes, nav: Navigation) -> dict[str, Callable]:
    """Return template functions that write the header's marks instead of the viewer's values."""
    return {
        "site_navigation": lambda: replace(nav, name=holes.mark("name")),
        "csrf_token": lambda: holes.mark("csrf"),
        "current_path": lambda: holes.mark("next"),
    }


class Store(Protocol):
    """Where a page's skeletons are kept: `get` gives None for a key it does not hold."""

    def get(self, key: Hashable) -> Skeleton | None: ...

    def put(self, key: Hashable, skeleton: Skeleton) -> None: ...


class BoundedStore:
    """Skeletons in a dict, at most `limit` of them (beyond it pages are rendered, not kept)."""

    def __init__(self, entries: dict, limit: int = 64):
        self.entries, self.limit = entries, limit

    def get(self, key: Hashable) -> Skeleton | None:
        """Return the skeleton kept under `key`, if any."""
        return self.entries.get(key)

    def put(self, key: Hashable, skeleton: Skeleton) -> None:
        """Keep the skeleton, unless the store is full."""
        if len(self.entries) < self.limit:
            self.entries.setdefault(key, skeleton)


def page(
    store: Store,
    key: Hashable,
    render_page: Callable[..., str] | None,
    own_marks: Callable[[Holes], dict] | None = None,
    own_values: Callable[[], dict] | None = None,
) -> str | None:
    """Return the page for this request's viewer, filled from the skeleton kept in `store`.

    `key` must tell apart everything the page shows that is neither a hole nor added here (the
    language, the URL prefix and the header's staff links). `render_page(**context)` renders
    the page with extra template context; it runs only when the skeleton is missing (without
    it, a missing skeleton gives None). Beyond the
    header's holes, a page may have its own: `own_marks(holes)` gives the template functions
    that write their marks, `own_values()` their values for this viewer, escaped.
    """
    nav = site_navigation()
    key = (key, str(get_locale()), request.script_root, header_key(nav))
    skeleton = store.get(key)
    if skeleton is None:
        if render_page is None:
            return None
        marks = holes()
        context = header_context(marks, nav)
        if own_marks is not None:
            context.update(own_marks(marks))
        skeleton = marks.skeleton(render_page(**context))
        store.put(key, skeleton)
    values = header_values(nav)
    if own_values is not None:
        values.update(own_values())
    return skeleton.fill(values)
