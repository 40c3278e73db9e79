"""Launches that lack a claim LTI 1.3 Core or Deep Linking 2.0 requires are refused, as the IMS
certification suite's "known bad payloads" expect; a launch with no role at all is a learner's."""

import time

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Enrollment, User
from tests.lti_platform import LTI
from tests.test_lti import CUSTOM, INSTRUCTOR, KUIS, launch, login

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
ALL_LTI_CLAIMS = [
    "message_type", "version", "deployment_id", "target_link_uri", "resource_link", "roles",
    "custom", "context",
]  # fmt: skip
NOW = int(time.time())

#: name: the id_token's claims changed (None removes one), or a header for "kid"
KNOWN_BAD = {
    "no-kid": {"headers": {}},
    "wrong-kid": {"headers": {"kid": "not-a-key-of-the-platform"}},
    "wrong-lti-version": {LTI + "version": "1.2.0"},
    "no-lti-version": {LTI + "version": None},
    "invalid-lti-message": {LTI + "message_type": "ContentItemSelectionRequest"},
    "missing-lti-claims": {LTI + name: None for name in ALL_LTI_CLAIMS},
    "timestamps-past": {"iat": NOW - 7200, "exp": NOW - 3600},
    "timestamps-future": {"iat": NOW + 3600, "exp": NOW + 7200},
    "no-message-type": {LTI + "message_type": None},
    "no-roles": {LTI + "roles": None},
    "roles-not-a-list": {LTI + "roles": "Learner"},
    "no-deployment-id": {LTI + "deployment_id": None},
    "no-resource-link": {LTI + "resource_link": None},
    "no-resource-link-id": {LTI + "resource_link": {"title": "Kuis"}},
    "resource-link-id-too-long": {LTI + "resource_link": {"id": "x" * 256}},
    "no-target-link-uri": {LTI + "target_link_uri": None},
    "no-sub": {"sub": None},
    "empty-sub": {"sub": ""},
    "custom-not-an-object": {LTI + "custom": ["course", "kursus-kuis"]},
    "context-without-id": {LTI + "context": {"title": "Pelatihan"}},
    "context-not-an-object": {LTI + "context": "moodle-course-9"},
    "ags-endpoint-not-an-object": {
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": "x"
    },
}


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("breakage", KNOWN_BAD.values(), ids=KNOWN_BAD.keys())
def test_a_known_bad_resource_link_launch_is_refused(client, platform, quiz, breakage):
    breakage = dict(breakage)
    custom = breakage.pop(LTI + "custom", CUSTOM)
    params = login(client, platform)
    token = platform.id_token(params["nonce"], custom=custom, **breakage)
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 400
    assert users() == 0
    assert client.get(f"{KUIS}/").status_code == 302  # not signed in


def test_a_launch_with_no_role_in_the_course_is_a_learners(client, platform, quiz):
    response = launch(client, platform, **{LTI + "roles": []})
    assert response.status_code == 302 and response.location.endswith(f"{KUIS}/")
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def deep_linking(client, platform, settings=None, **claims):
    """Post a deep linking request whose settings (or other claims) are as given."""
    params = login(client, platform)
    base = {"deep_link_return_url": f"{platform.issuer}/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"]}  # fmt: skip
    token = platform.id_token(params["nonce"], lineitem=False, **{
        LTI + "message_type": "LtiDeepLinkingRequest", LTI + "resource_link": None,
        LTI + "target_link_uri": None, LTI + "roles": [INSTRUCTOR],
        DL + "deep_linking_settings": base if settings is None else settings, **claims})  # fmt: skip
    return client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )


DL_BASE = {
    "deep_link_return_url": "RETURN",
    "accept_types": ["ltiResourceLink"],
    "accept_presentation_document_targets": ["iframe", "window"],
}
DL_BAD = {
    "no-settings": None,
    "settings-not-an-object": ["ltiResourceLink"],
    "no-return-url": {**DL_BASE, "deep_link_return_url": None},
    "no-accept-types": {**DL_BASE, "accept_types": None},
    "empty-accept-types": {**DL_BASE, "accept_types": []},
    "no-document-targets": {**DL_BASE, "accept_presentation_document_targets": None},
    "unknown-document-target": {
        **DL_BASE,
        "accept_presentation_document_targets": ["popup"],
    },
    "accept-multiple-not-a-boolean": {**DL_BASE, "accept_multiple": "yes"},
}


@pytest.mark.parametrize("settings", DL_BAD.values(), ids=DL_BAD.keys())
def test_a_deep_linking_request_without_its_settings_is_refused(
    client, platform, quiz, settings
):
    if isinstance(settings, dict):
        settings = {k: v for k, v in settings.items() if v is not None}
        if settings.get("deep_link_return_url") == "RETURN":
            settings["deep_link_return_url"] = f"{platform.issuer}/deep-link-return"
    removed = {DL + "deep_linking_settings": None} if settings is None else {}
    response = deep_linking(client, platform, settings=settings, **removed)
    assert response.status_code == 400
    assert 'name="ticket"' not in response.get_data(as_text=True)


def test_a_deep_linking_request_without_roles_is_refused(client, platform, quiz):
    assert deep_linking(client, platform).status_code == 200  # as the platform sends it
    assert deep_linking(client, platform, **{LTI + "roles": None}).status_code == 400


def test_login_hints_are_bounded(client, platform):
    response = client.post("/lti/login", data={
        "iss": platform.issuer, "login_hint": "4" * 2001, "client_id": platform.client_id})  # fmt: skip
    assert response.status_code == 400
    assert login(client, platform, lti_message_hint="m" * 2000)["lti_message_hint"]


@pytest.mark.parametrize("email", ["x" * 250 + "@example.go.id", "bukan-email"])
def test_an_email_no_account_could_have_is_left_out(client, platform, quiz, email):
    assert launch(client, platform, email=email).status_code == 302
    assert db.session.scalar(select(User.email)).endswith("@lti.invalid")


#: Core claims every message type needs, broken in a deep linking request.
DL_CORE_BAD = {
    "no-deployment-id": {LTI + "deployment_id": None},
    "no-lti-version": {LTI + "version": None},
    "wrong-lti-version": {LTI + "version": "1.2.0"},
    "no-sub": {"sub": None},
    "no-iat": {"iat": None},
    "no-exp": {"exp": None},
    "timestamps-past": {"iat": NOW - 7200, "exp": NOW - 3600},
    "no-kid": {"headers": {}},
}


@pytest.mark.parametrize("breakage", DL_CORE_BAD.values(), ids=DL_CORE_BAD.keys())
def test_a_known_bad_deep_linking_request_is_refused(client, platform, quiz, breakage):
    response = deep_linking(client, platform, **breakage)
    assert response.status_code == 400
    assert 'name="ticket"' not in response.get_data(as_text=True)


@pytest.mark.parametrize("claim", ["iat", "exp"])
def test_a_launch_without_its_timestamps_is_refused(client, platform, quiz, claim):
    params = login(client, platform)
    token = platform.id_token(params["nonce"], custom=CUSTOM, **{claim: None})
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 400 and users() == 0


def test_a_launch_without_a_nonce_is_refused(client, platform, quiz):
    params = login(client, platform)
    token = platform.id_token(None, custom=CUSTOM)
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 400 and users() == 0


@pytest.mark.parametrize("azp", [None, "another-tool"], ids=["no-azp", "other-azp"])
def test_several_audiences_need_azp_naming_this_tool(client, platform, quiz, azp):
    """Core §5.1.3: with several audiences, azp must be present and be our client id."""
    params = login(client, platform)
    token = platform.id_token(params["nonce"], custom=CUSTOM, aud=[platform.client_id, "another-tool"], azp=azp)  # fmt: skip
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 400 and users() == 0
    params = login(client, platform)
    token = platform.id_token(params["nonce"], custom=CUSTOM, aud=[platform.client_id, "another-tool"], azp=platform.client_id)  # fmt: skip
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 302 and users() == 1
