"""LTI login CSRF: only the browser that started an OIDC login can complete its launch."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AuditEvent, LtiIdentity, User
from tests.test_lti import CUSTOM, KUIS, login

SIGNED_IN_PAGE = "/my/"


def signed_in(client) -> bool:
    return client.get(SIGNED_IN_PAGE).status_code == 200


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def attackers_launch(app, platform) -> dict:
    """Start a login in the attacker's own browser; return the id_token and state it yields."""
    attacker = app.test_client()
    params = login(attacker, platform)
    token = platform.id_token(params["nonce"], sub="moodle-attacker", custom=CUSTOM,
                              email="penyerang@example.go.id", name="Penyerang")  # fmt: skip
    return {"id_token": token, "state": params["state"]}


def test_login_leaves_the_state_in_an_http_only_cookie(client, platform):
    params = login(client, platform)
    cookie = client.get_cookie(f"lti1p3-state-{params['state']}")
    assert cookie is not None and cookie.value == params["state"]
    assert cookie.http_only and cookie.path == "/"


def test_over_https_the_cookie_is_host_only_secure_and_cross_site(app, platform):
    client = app.test_client()
    response = client.post("/lti/login", base_url="https://localhost", data={
        "iss": platform.issuer, "login_hint": "42", "client_id": platform.client_id})  # fmt: skip
    state = parse_qs(urlsplit(response.location).query)["state"][0]
    header = response.headers["Set-Cookie"]
    assert header.startswith(f"__Host-lti1p3-state-{state}={state};")
    assert "Secure" in header and "SameSite=None" in header and "HttpOnly" in header
    assert "Path=/" in header and "Domain" not in header and "Max-Age=600" in header


def test_the_browser_that_started_the_login_launches(client, platform, quiz):
    params = login(client, platform)
    token = platform.id_token(params["nonce"], custom=CUSTOM)
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 302 and response.location.endswith(f"{KUIS}/")
    assert signed_in(client)
    assert client.get_cookie(f"lti1p3-state-{params['state']}") is None  # used up


def test_a_launch_posted_from_another_browser_is_refused(app, client, platform, quiz):
    """A page elsewhere posts the attacker's valid id_token and state from the victim's browser."""
    forged = attackers_launch(app, platform)
    response = client.post("/lti/launch", data=forged)
    assert response.status_code == 400
    assert not signed_in(client) and users() == 0
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "auth.lti_launch_refused")
    )
    assert event.details["reason"] == "no state cookie"
    # The login is used up: the attacker cannot try again with it, not even in their own browser.
    assert client.post("/lti/launch", data=forged).status_code == 400


def test_the_cookie_of_another_login_does_not_do(app, client, platform, quiz):
    login(client, platform)  # the victim's browser has a login of its own in flight
    forged = attackers_launch(app, platform)
    client.set_cookie(f"lti1p3-state-{forged['state']}", "not-the-state")
    assert client.post("/lti/launch", data=forged).status_code == 400
    assert not signed_in(client) and users() == 0


def test_a_refused_launch_offers_the_same_login_in_a_new_window(
    app, client, platform, quiz
):
    """A browser keeping no cookies in the platform's frame gets a way on, in a window of its own."""
    forged = attackers_launch(app, platform)
    response = client.post("/lti/launch", data=forged)
    page = response.get_data(as_text=True)
    assert "Buka Kelas ASN di jendela baru" in page
    policy = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {platform.issuer}" in policy  # shown in the frame
    assert "script-src 'self'" in policy
    link = re.search(r'<a class="button" href="([^"]+)" target="_blank"', page)
    again = unescape(link.group(1))
    query = {k: v[0] for k, v in parse_qs(urlsplit(again).query).items()}
    assert urlsplit(again).path == "/lti/login"
    assert query == {
        "iss": platform.issuer, "client_id": platform.client_id,
        "lti_deployment_id": platform.deployment_id, "login_hint": "42",
        "lti_message_hint": "res-7", "target_link_uri": "http://localhost/lti/launch",
    }  # fmt: skip
    # In the new window the login starts again, in this browser: the launch goes through.
    started = client.get(again)
    assert started.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(started.location).query).items()}
    token = platform.id_token(params["nonce"], custom=CUSTOM)
    launched = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert launched.status_code == 302 and signed_in(client)
    assert db.session.scalar(select(LtiIdentity.sub)) == "moodle-user-42"


def test_the_launch_works_over_https(app, platform, quiz):
    client = app.test_client()
    response = client.post("/lti/login", base_url="https://localhost", data={
        "iss": platform.issuer, "login_hint": "42", "client_id": platform.client_id})  # fmt: skip
    params = {k: v[0] for k, v in parse_qs(urlsplit(response.location).query).items()}
    token = platform.id_token(params["nonce"], custom=CUSTOM)
    launched = client.post("/lti/launch", base_url="https://localhost",
                           data={"id_token": token, "state": params["state"]})  # fmt: skip
    assert launched.status_code == 302 and launched.location.endswith(f"{KUIS}/")
    # A cookie without the __Host- prefix (one a sibling subdomain could set) does not count.
    other = app.test_client()
    params = login(other, platform)
    other.set_cookie(f"lti1p3-state-{params['state']}", params["state"])
    token = platform.id_token(params["nonce"], custom=CUSTOM)
    refused = other.post("/lti/launch", base_url="https://localhost",
                         data={"id_token": token, "state": params["state"]})  # fmt: skip
    assert refused.status_code == 400
