"""The LTI 1.3 launch: OIDC login initiation, id_token validation, provisioning and enrollment."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from sqlalchemy import delete, select, update

from lms.extensions import db
from lms.learn import progress
from lms.lti.claims import ClaimError, check_required_claims
from lms.lti.platforms import PlatformError, verification_key
from lms.lti.scores import AGS_SCORE_SCOPE
from lms.models import (
    Activity,
    Course,
    LtiContext,
    LtiGradeLink,
    LtiLogin,
    LtiPlatform,
    User,
)
from lms.models.types import utcnow
from lms.models.upsert import insert_on_conflict
from lms.permissions import can

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
#: LIS context roles, as full URIs ("…membership#Instructor", sub-roles "…membership/Instructor#TA").
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
#: Context roles that teach, design or look after a course rather than take it: their launches
#: enroll no one and pass no grade back.
TEACHING_ROLES = frozenset(
    {"Instructor", "ContentDeveloper", "Administrator", "Mentor", "Manager"}
)
#: The launches we answer: opening a course or activity, and choosing one to link (deep linking).
MESSAGE_TYPES = ("LtiResourceLinkRequest", "LtiDeepLinkingRequest")
#: A login must be completed by a launch within this time.
LOGIN_LIFETIME = timedelta(minutes=10)
#: The login initiation's parameters kept for a new window, and the longest each may be.
HINTS = ("login_hint", "lti_message_hint", "target_link_uri")
MAX_HINT = 2000
#: Clock difference forgiven between the platform and us.
LEEWAY_SECONDS = 60


class LaunchError(Exception):
    """A login or launch is refused; the message says why (safe to show)."""


def start_login(platform: LtiPlatform, values: dict[str, str]) -> LtiLogin:
    """Remember a fresh state and nonce for one launch from this platform (and forget old ones).

    The platform's hints are kept too, to start the same login again in a new window.
    """
    db.session.execute(
        delete(LtiLogin).where(LtiLogin.created_at < utcnow() - timedelta(days=1))
    )
    login = LtiLogin(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        platform_id=platform.id,
        login_hint=values.get("login_hint") or "",
        message_hint=values.get("lti_message_hint") or "",
        target_link_uri=values.get("target_link_uri") or "",
    )
    db.session.add(login)
    db.session.commit()
    return login


def auth_request_params(
    platform: LtiPlatform, login: LtiLogin, redirect_uri: str, values: dict[str, str]
) -> dict[str, str]:
    """Return the OIDC authentication request sent to the platform (LTI 1.3 §5.1.1.2)."""
    params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": values["login_hint"],
        "state": login.state,
        "nonce": login.nonce,
    }
    if values.get("lti_message_hint"):
        params["lti_message_hint"] = values["lti_message_hint"]
    return params


def restart_params(platform: LtiPlatform, login: LtiLogin) -> dict[str, str]:
    """Return the login initiation parameters that start this login again (none are secret)."""
    params = {"iss": platform.issuer, "client_id": platform.client_id,
              "lti_deployment_id": platform.deployment_id, "login_hint": login.login_hint,
              "lti_message_hint": login.message_hint, "target_link_uri": login.target_link_uri}  # fmt: skip
    return {name: value for name, value in params.items() if value}


def consume_login(state: str) -> LtiLogin:
    """Use up the login this state names; a second launch with it, or a late one, is refused."""
    login = db.session.scalar(select(LtiLogin).where(LtiLogin.state == state))
    now = utcnow()
    if login is None or login.created_at + LOGIN_LIFETIME < now:
        raise LaunchError("unknown or expired login state")
    used = db.session.execute(
        update(LtiLogin)
        .where(LtiLogin.id == login.id, LtiLogin.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.commit()
    if used.rowcount != 1:
        raise LaunchError("this login was already used")
    return login


def validate_id_token(platform: LtiPlatform, login: LtiLogin, id_token: str) -> dict:
    """Check the id_token's signature and claims; return the claims."""
    try:
        kid = jwt.get_unverified_header(id_token).get("kid")
        key = verification_key(platform, kid)
        claims = jwt.decode(
            id_token,
            key,
            algorithms=["RS256"],
            audience=platform.client_id,
            issuer=platform.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
        )
    except (jwt.PyJWTError, PlatformError) as exc:
        raise LaunchError(f"invalid id_token: {exc}") from None
    audience = claims["aud"]
    several = isinstance(audience, list) and len(audience) > 1
    if several and claims.get("azp") != platform.client_id:
        raise LaunchError("azp does not name this tool")
    if not secrets.compare_digest(str(claims["nonce"]), login.nonce):
        raise LaunchError("wrong nonce")
    if claims.get(LTI + "deployment_id") != platform.deployment_id:
        raise LaunchError("unknown deployment")
    if claims.get(LTI + "message_type") not in MESSAGE_TYPES:
        raise LaunchError("only resource link and deep linking launches are supported")
    if claims.get(LTI + "version") != "1.3.0":
        raise LaunchError("only LTI 1.3.0 is supported")
    try:
        check_required_claims(claims)
    except ClaimError as exc:
        raise LaunchError(str(exc)) from None
    return claims


def context_roles(claims: dict[str, Any]) -> set[str]:
    """Return the launch's roles in the platform's course by short name ("Learner", "Instructor")."""
    return course_roles(claims.get(LTI + "roles") or [])


def course_roles(roles: list) -> set[str]:
    """Return course roles by short name, from a launch's or a membership's role URIs.

    Sub-roles count as their role (a teaching assistant is an Instructor); the deprecated simple
    names ("Instructor") are read as well; institution and system roles are not course roles.
    """
    names = set()
    for role in roles:
        role = str(role)
        if role.startswith(MEMBERSHIP):
            names.add(role[len(MEMBERSHIP) :].lstrip("/#").split("#")[0])
        elif role.isalpha():
            names.add(role)
    return names


def launched_as_learner(claims: dict[str, Any]) -> bool:
    """Tell whether the launch is a learner's: one without any teaching role in the course."""
    return not context_roles(claims) & TEACHING_ROLES


@dataclass
class Destination:
    """Where a launch leads: a course, and maybe one of its activities."""

    course: Course
    activity: Activity | None


def destination(claims: dict[str, Any]) -> Destination:
    """Find the course (custom `course` slug) and activity (custom `activity` key) to open."""
    custom = claims.get(LTI + "custom") or {}
    course = db.session.scalar(
        select(Course).where(Course.slug == str(custom.get("course", "")))
    )
    if course is None:
        raise LaunchError(
            "the launch names no course of this site (custom course=slug)"
        )
    activity = None
    if custom.get("activity"):
        activity = db.session.scalar(
            select(Activity).where(
                Activity.course_id == course.id,
                Activity.key == str(custom["activity"]),
                Activity.is_current(),
            )
        )
        if activity is None:
            raise LaunchError("the launch names no activity of this course")
    return Destination(course, activity)


def enroll_for_launch(user: User, place: Destination) -> None:
    """Enroll the learner in the launched course (if it is open to enrollment)."""
    if progress.get_enrollment(user.id, place.course.id) is None:
        if not can(user, "course.enroll", place.course):
            raise LaunchError("this course is not open for enrollment")
        progress.enroll(user, place.course)


def remember_grade_link(
    platform: LtiPlatform, user: User, place: Destination, claims: dict[str, Any]
) -> None:
    """Keep the launch's AGS line item, so the learner's quiz score is posted back to it."""
    endpoint = claims.get(AGS_ENDPOINT) or {}
    if (
        place.activity is None
        or place.activity.type != "quiz"
        or not endpoint.get("lineitem")
        or AGS_SCORE_SCOPE not in (endpoint.get("scope") or [])
    ):
        return
    now = utcnow()
    values = {
        "sub": str(claims["sub"]),
        "lineitem": endpoint["lineitem"],
        "updated_at": now,
    }
    insert_on_conflict(
        LtiGradeLink,
        {"platform_id": platform.id, "user_id": user.id, "activity_id": place.activity.id,
         **values},
        conflict=["platform_id", "user_id", "activity_id"],
        update=values,
    )  # fmt: skip
    db.session.commit()


def remember_context(
    platform: LtiPlatform, place: Destination, claims: dict[str, Any]
) -> None:
    """Keep where the launching course's members can be read (NRPS), for its cohorts' imports."""
    context = claims.get(LTI + "context") or {}
    service = claims.get(NRPS_CLAIM) or {}
    url = str(service.get("context_memberships_url") or "")
    if not context.get("id") or not url.startswith(("https://", "http://")):
        return
    values = {
        "title": str(context.get("title") or context.get("label") or "")[:255],
        "memberships_url": url[:1000],
        "course_id": place.course.id,
        "updated_at": utcnow(),
    }
    insert_on_conflict(
        LtiContext,
        {"platform_id": platform.id, "context_id": str(context["id"])[:255], **values},
        conflict=["platform_id", "context_id"],
        update=values,
    )
    db.session.commit()
