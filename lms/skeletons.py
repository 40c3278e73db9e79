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
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace

from flask import current_app, request, session
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
        "csrf": str(escape(generate_csrf())),
        "next": str(escape(current_path())),
    }


def header_context(holes: Holes, nav: Navigation) -> dict[str, Callable]:
    """Return template functions that write the header's marks instead of the viewer's values."""
    return {
        "site_navigation": lambda: replace(nav, name=holes.mark("name")),
        "csrf_token": lambda: holes.mark("csrf"),
        "current_path": lambda: holes.mark("next"),
    }


def page_from(
    store: dict, key: Hashable, render_page: Callable[..., str], limit: int = 64
) -> str:
    """Return the page whose only holes are the header's, from the skeleton kept in `store`.

    `key` must tell apart everything the page shows that is not a hole; the language, the URL
    prefix and the header's staff links are added here. `render_page(**context)` renders the page
    with extra template context; it runs when the skeleton is missing. `store` keeps at most
    `limit` skeletons (beyond it pages are rendered, not kept).
    """
    nav = site_navigation()
    key = (key, str(get_locale()), request.script_root, header_key(nav))
    skeleton = store.get(key)
    if skeleton is None:
        marks = holes()
        skeleton = marks.skeleton(render_page(**header_context(marks, nav)))
        if len(store) < limit:
            store[key] = skeleton
    return skeleton.fill(header_values(nav))
