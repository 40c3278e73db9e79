"""LTI Deep Linking 2.0: a platform's instructor picks a course or an activity of Kelas ASN to link.

The platform launches an `LtiDeepLinkingRequest`; we show the published courses and their
activities; the choice goes back to the platform as an `LtiDeepLinkingResponse`, a JWT signed
with our tool key, holding an `ltiResourceLink` content item for each choice (several when the
platform accepts them, `accept_multiple`), whose custom parameters (`course`, `activity`) are what
our resource link launches read. A quiz's item asks the platform
for a grade column (`lineItem`), so its scores come back through AGS.

Between the picker and the choice nothing is kept on the server and no cookie is needed (the
picker often runs in the platform's iframe, where a third-party cookie is not sent): the picker's
form carries a *ticket*, the request's settings signed with our secret key for ten minutes.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from lms.extensions import db
from lms.lti.keys import private_key, signing_key
from lms.lti.launch import LTI, LaunchError
from lms.models import Activity, Course, LtiPlatform

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
REQUEST = "LtiDeepLinkingRequest"
#: How long the picker may stay open before its choice is refused.
TICKET_SECONDS = 600


def settings_of(claims: dict[str, Any]) -> dict[str, Any]:
    """Return the request's deep linking settings, if we can answer them (else LaunchError)."""
    settings = claims.get(DL + "deep_linking_settings") or {}
    if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
        raise LaunchError("the deep linking request has no return URL")
    if "ltiResourceLink" not in (settings.get("accept_types") or []):
        raise LaunchError("the platform does not accept LTI resource links")
    return settings


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="lti-deep-linking")


def ticket_for(platform: LtiPlatform, settings: dict[str, Any]) -> str:
    """Sign what answering the request needs, for the picker's form."""
    return _serializer().dumps(
        {
            "platform": platform.id,
            "return_url": settings["deep_link_return_url"],
            "data": settings.get("data"),
            "multiple": settings.get("accept_multiple") is True,
        }
    )


@dataclass
class Ticket:
    """A deep linking request being answered."""

    platform: LtiPlatform
    return_url: str
    data: str | None
    #: Whether the platform takes several content items in one response (`accept_multiple`).
    multiple: bool = False


def read_ticket(ticket: str) -> Ticket:
    """Return the request a picker's ticket stands for (LaunchError if forged or too old)."""
    try:
        values = _serializer().loads(ticket, max_age=TICKET_SECONDS)
    except BadSignature:
        raise LaunchError("the choice came too late or was tampered with") from None
    platform = db.session.get(LtiPlatform, values["platform"])
    if platform is None:
        raise LaunchError("unknown platform")
    return Ticket(
        platform,
        values["return_url"],
        values.get("data"),
        values.get("multiple", False),
    )


def choices() -> list[tuple[Course, list[Activity]]]:
    """Return the published courses, by title, each with its current activities in order."""
    courses = db.session.scalars(
        select(Course)
        .where(Course.published.is_(True), Course.archived_at.is_(None))
        .order_by(Course.title)
    ).all()
    activities = db.session.scalars(
        select(Activity)
        .where(Activity.course_id.in_([c.id for c in courses]), Activity.is_current())
        .order_by(Activity.position)
    ).all()
    by_course: dict[int, list[Activity]] = {c.id: [] for c in courses}
    for activity in activities:
        by_course[activity.course_id].append(activity)
    return [(course, by_course[course.id]) for course in courses]


def chosen(choice: str) -> tuple[Course, Activity | None]:
    """Return the course (and activity) a picker's choice names: "<slug>" or "<slug> <key>"."""
    slug, _space, key = choice.partition(" ")
    course = db.session.scalar(
        select(Course).where(
            Course.slug == slug,
            Course.published.is_(True),
            Course.archived_at.is_(None),
        )
    )
    if course is None:
        raise LaunchError("choose a published course")
    if not key:
        return course, None
    activity = db.session.scalar(
        select(Activity).where(
            Activity.course_id == course.id, Activity.key == key, Activity.is_current()
        )
    )
    if activity is None:
        raise LaunchError("choose a current activity of the course")
    return course, activity


#: The most items one response carries (a course's activities fit; a form of thousands does not).
MOST_ITEMS = 100


def chosen_items(
    ticket: Ticket, choices: list[str]
) -> list[tuple[Course, Activity | None]]:
    """Return what the picker's choices name, in page order (LaunchError if none, or too many)."""
    choices = list(dict.fromkeys(choices))  # a choice sent twice is one item
    if not choices:
        raise LaunchError("choose a course or an activity to link")
    if len(choices) > 1 and not ticket.multiple:
        raise LaunchError("the platform takes one item at a time")
    if len(choices) > MOST_ITEMS:
        raise LaunchError(f"choose at most {MOST_ITEMS} items at a time")
    return [chosen(choice) for choice in choices]


def content_item(course: Course, activity: Activity | None, launch_url: str) -> dict:
    """Return the `ltiResourceLink` that launches the course (or the activity) here."""
    custom = {"course": course.slug}
    title = course.title
    if activity is not None:
        custom["activity"] = activity.key
        title = f"{activity.title} · {course.title}"
    item: dict[str, Any] = {
        "type": "ltiResourceLink",
        "title": title,
        "url": launch_url,
        "custom": custom,
    }
    if activity is not None and activity.type == "quiz":
        item["lineItem"] = {
            "scoreMaximum": 100,
            "label": activity.title,
            "resourceId": f"{course.slug}/{activity.key}",
        }
    return item


def response_token(ticket: Ticket, items: list[dict]) -> str:
    """Return the signed `LtiDeepLinkingResponse` carrying the chosen content items."""
    platform = ticket.platform
    now = int(time.time())
    claims = {
        "iss": platform.client_id,
        "aud": platform.issuer,
        "iat": now,
        "exp": now + 600,
        "nonce": secrets.token_urlsafe(16),
        LTI + "message_type": "LtiDeepLinkingResponse",
        LTI + "version": "1.3.0",
        LTI + "deployment_id": platform.deployment_id,
        DL + "content_items": items,
    }
    if ticket.data is not None:
        claims[DL + "data"] = ticket.data
    key = signing_key()
    return jwt.encode(
        claims, private_key(key), algorithm="RS256", headers={"kid": key.kid}
    )
