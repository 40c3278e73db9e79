"""The site header every page shows: its links, and what the signed-in user may open.

The user's roles are read once per page instead of once per link.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from lms.permissions import can, offers_approvals, offers_authoring, offers_cohorts

#: The header's links: name → endpoint (none takes arguments).
LINKS = {
    "catalog": "learn.catalog",
    "my_courses": "learn.my_courses",
    "authoring": "authoring.index",
    "cohorts": "cohorts.index",
    "jp_approvals": "ledger.approvals_list",
    "admin": "admin.index",
    "api_tokens": "api_tokens.index",
    "account": "account.index",
    "logout": "auth.logout",
    "login": "auth.login",
    "register": "auth.register",
    "set_language": "auth.set_language",
}


@dataclass(frozen=True, slots=True)
class Navigation:
    """What the header shows to the current user."""

    #: name → URL, as in LINKS
    urls: dict[str, str]
    signed_in: bool
    name: str = ""
    #: instructors and admins author courses
    authoring: bool = False
    #: supervisors, instructors and admins see cohorts
    cohorts: bool = False
    #: approvers of external training (jp_approver, supervisor, admin)
    approvals: bool = False
    #: admins see the administration hub
    admin: bool = False


def links() -> dict[str, str]:
    """Return the header's URLs."""
    return {name: url_for(endpoint) for name, endpoint in LINKS.items()}


def site_navigation(as_visitor: bool = False) -> Navigation:
    """Return the header for the current request's user (or a visitor's, reading no account)."""
    user = current_user
    if as_visitor or not user.is_authenticated:
        return Navigation(links(), signed_in=False)
    return Navigation(
        links(),
        signed_in=True,
        name=user.name,
        authoring=offers_authoring(user),
        cohorts=offers_cohorts(user),
        approvals=offers_approvals(user),
        admin=can(user, "admin.view"),
    )


def current_path() -> str:
    """Return where the language switch brings a GET request back to ("" for other methods)."""
    return request.full_path if request.method == "GET" else ""


def init_app(app: Flask) -> None:
    """Offer `site_navigation()` and `current_path()` to templates."""
    app.jinja_env.globals.update(
        site_navigation=site_navigation, current_path=current_path
    )
