"""LTI 1.3 endpoints: our public keys, OIDC login initiation and the launch."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from lms.audit import record
from lms.auth import sessions
from lms.extensions import csrf, db
from lms.learn.lookup import activity_url
from lms.lti import deep_linking, identities, state_cookie
from lms.lti import launch as lti
from lms.lti.keys import public_jwks
from lms.lti.platforms import find_platform
from lms.models import LtiPlatform, User
from lms.permissions import can
from lms.security import CONTENT_SECURITY_POLICY

bp = Blueprint("lti", __name__, url_prefix="/lti")

#: Where the session keeps the id of this browser's launch waiting for its account to be linked.
PENDING_LINK_KEY = "lti_pending_link"


def launch_url() -> str:
    """Return our launch (redirect) URL as platforms must register it."""
    base = current_app.config.get("LMS_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("lti.launch")
    return url_for("lti.launch", _external=True)


@bp.get("/jwks.json")
def jwks():
    """Publish our public keys (platforms verify our token requests with them)."""
    return jsonify(public_jwks())


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # the platform starts the login, cross-site; the state and nonce protect the launch
def login():
    """Start the OIDC login a platform initiated: send the browser back with a state and a nonce.

    The state is also left in a cookie of this browser: only this browser can complete the launch.
    """
    values = request.values
    if not values.get("iss") or not values.get("login_hint"):
        abort(400)
    platform = find_platform(values["iss"], values.get("client_id"))
    if platform is None:
        return _refuse("unknown platform", 400)
    deployment = values.get("lti_deployment_id")
    if deployment and deployment != platform.deployment_id:
        return _refuse("unknown deployment", 400)
    if any(len(values.get(name, "")) > lti.MAX_HINT for name in lti.HINTS):
        return _refuse(f"a login hint is longer than {lti.MAX_HINT} characters", 400)
    started = lti.start_login(platform, values)
    params = lti.auth_request_params(platform, started, launch_url(), values)
    separator = "&" if "?" in platform.auth_login_url else "?"
    response = redirect(platform.auth_login_url + separator + urlencode(params))
    lifetime = int(lti.LOGIN_LIFETIME.total_seconds())
    state_cookie.bind_state(response, started.state, request.is_secure, lifetime)
    return response


@bp.post("/launch")
@csrf.exempt  # a cross-site form post from the platform, authenticated by its signed id_token
def launch():
    """Validate the platform's id_token, provision the user and sign them in.

    Only the browser that started the login may launch (its state cookie); without the cookie
    (a forged post, or a browser that keeps no cookies in the platform's frame) the launch is
    refused and the same login can be started again in a new window, where cookies are kept.
    """
    state = request.form.get("state", "")
    try:
        started = lti.consume_login(state)
    except lti.LaunchError as exc:
        return refuse_launch(exc)
    platform = db.session.get(LtiPlatform, started.platform_id)
    if state_cookie.state_is_bound(request.cookies, state, request.is_secure):
        response = make_response(_launch(platform, started))
    else:
        record("auth.lti_launch_refused", None, None, reason="no state cookie")
        db.session.commit()
        response = _new_window(platform, started)
    state_cookie.forget_state(response, state, request.is_secure)
    return response


def _launch(platform: LtiPlatform, started):
    """Carry on with a launch from the browser that started it."""
    try:
        claims = lti.validate_id_token(
            platform, started, request.form.get("id_token", "")
        )
        if claims[lti.LTI + "message_type"] == deep_linking.REQUEST:
            return _picker(platform, claims)
        place = lti.destination(claims)
        lti.remember_context(platform, place, claims)
        user = identities.provision_user(platform, claims)
        if user is None:  # the email or NIP is an account's here: its owner links it
            pending = identities.hold_launch(platform, claims)
            session[PENDING_LINK_KEY] = pending.id
            return redirect(url_for("lti_link.link"))
        return sign_in(platform, user, claims, place)
    except lti.LaunchError as exc:
        return refuse_launch(exc)


def sign_in(
    platform: LtiPlatform,
    user: User,
    claims: dict,
    place: lti.Destination | None = None,
):
    """Sign the platform's user in to their account and open what was launched.

    A learner is enrolled and their quiz scores go back to the platform; someone who teaches the
    platform's course (an Instructor, a ContentDeveloper, ...) is enrolled in nothing.
    """
    place = place or lti.destination(claims)
    learner = lti.launched_as_learner(claims)
    if learner:
        lti.enroll_for_launch(user, place)
        lti.remember_grade_link(platform, user, place, claims)
    if not user.is_active:
        return _refuse("this account is disabled", 403)
    roles = sorted(lti.context_roles(claims))
    record("auth.lti_login", user.id, user, platform=platform.issuer, roles=roles)
    db.session.commit()
    sessions.sign_in(user)
    if not learner and not can(user, "course.teach", place.course):
        # Kelas ASN appoints its own course staff: a platform's instructor is not one here.
        flash(_("You opened this course as %(roles)s of your learning platform, so you are not "
                "enrolled as a learner. To teach it here, ask an administrator of Kelas ASN.",
                roles=", ".join(roles)), "info")  # fmt: skip
        return redirect(url_for("learn.course", slug=place.course.slug))
    if place.activity is not None:
        set_committed_value(place.activity, "course", place.course)
        return redirect(activity_url(place.activity))
    return redirect(url_for("learn.course", slug=place.course.slug))


def _new_window(platform: LtiPlatform, started):
    """Offer to start the same login again in a new window (shown in the platform's frame)."""
    params = lti.restart_params(platform, started)
    again = url_for("lti.login", **params) if "login_hint" in params else None
    html = render_template("lti/new_window.html", platform=platform, again=again,
                           minimal=True)  # fmt: skip
    response = make_response(
        _framed_by(html, [platform.issuer, platform.auth_login_url])
    )
    response.status_code = 400
    return response


def _picker(platform: LtiPlatform, claims: dict):
    """Show a platform's instructor the courses and activities they may link."""
    if lti.launched_as_learner(claims):
        raise lti.LaunchError(
            "only those who teach the platform's course choose what to link"
        )
    settings = deep_linking.settings_of(claims)
    html = render_template("lti/deep_link.html", platform=platform, minimal=True,
                           ticket=deep_linking.ticket_for(platform, settings),
                           multiple=settings.get("accept_multiple") is True,
                           courses=deep_linking.choices())  # fmt: skip
    return_url = settings["deep_link_return_url"]
    return _framed_by(html, [platform.issuer, return_url], return_url)


@bp.post("/deep-link")
@csrf.exempt  # in the platform's frame, without our cookie: the signed ticket is the proof
def deep_link():
    """Send the instructor's choice back to the platform as a signed deep linking response."""
    try:
        ticket = deep_linking.read_ticket(request.form.get("ticket", ""))
        chosen = deep_linking.chosen_items(ticket, request.form.getlist("choice"))
    except lti.LaunchError as exc:
        return _refuse(str(exc), 400)
    items = [
        deep_linking.content_item(course, activity, launch_url())
        for course, activity in chosen
    ]
    token = deep_linking.response_token(ticket, items)
    for course, activity in chosen:
        record("lti.deep_link", None, course, platform=ticket.platform.issuer,
               activity=activity.key if activity else None)  # fmt: skip
    db.session.commit()
    html = render_template("lti/deep_link_return.html", platform=ticket.platform, minimal=True,
                           return_url=ticket.return_url, jwt=token, titles=[i["title"] for i in items])  # fmt: skip
    return _framed_by(
        html, [ticket.platform.issuer, ticket.return_url], ticket.return_url
    )


#: A host and port, nothing that could end or add a Content-Security-Policy directive.
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(parts.netloc):
        raise lti.LaunchError("the platform's addresses must be http(s) URLs")
    return f"{parts.scheme}://{parts.netloc}"


def _framed_by(html: str, ancestors: list[str], form_target: str | None = None):
    """Let the platform show the page in its frame (and the page post back to the platform)."""
    try:
        origins = " ".join(dict.fromkeys(_origin(url) for url in ancestors))
        target = _origin(form_target) if form_target else None
    except lti.LaunchError as exc:
        return _refuse(str(exc), 400)
    policy = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors 'self' {origins}"
    )
    if target:
        policy = policy.replace("form-action 'self'", f"form-action 'self' {target}")
    # With frame-ancestors, browsers ignore X-Frame-Options; SAMEORIGIN keeps old ones from DENY.
    return (
        html,
        200,
        {"Content-Security-Policy": policy, "X-Frame-Options": "SAMEORIGIN"},
    )


def _refuse(reason: str, status: int):
    return render_template("lti/refused.html", reason=reason), status


def refuse_launch(exc: lti.LaunchError):
    """Answer a refused launch (logged and audited, the reason shown)."""
    db.session.rollback()
    current_app.logger.warning("LTI launch refused: %s", exc)
    record("auth.lti_launch_refused", None, None, reason=str(exc)[:200])
    db.session.commit()
    return _refuse(str(exc), 400)
