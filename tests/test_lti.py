"""LTI 1.3: a platform logs a learner in, launches a quiz, and gets the score back through AGS."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from lms.auth.accounts import assign_instructor
from lms.extensions import db
from lms.lti.launch import context_roles, launched_as_learner
from lms.lti.scores import send_pending_scores
from lms.models import (
    AuditEvent,
    Enrollment,
    LtiGradeLink,
    LtiIdentity,
    LtiPlatform,
    LtiScore,
    User,
)
from tests.lti_platform import LTI
from tests.test_quiz_attempts import RIGHT, form_for

KUIS = "/courses/kursus-kuis/modul/kuis"
NIP = "199001012015032002"
CUSTOM = {"course": "kursus-kuis", "activity": "modul/kuis", "nip": NIP}


def login(client, platform, **extra) -> dict:
    """Initiate the OIDC login as the platform does; return the auth request's parameters."""
    response = client.post("/lti/login", data={
        "iss": platform.issuer, "login_hint": "42", "client_id": platform.client_id,
        "target_link_uri": "http://localhost/lti/launch", "lti_message_hint": "res-7", **extra})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    url = urlsplit(response.location)
    assert f"{url.scheme}://{url.netloc}{url.path}" == platform.auth_login_url
    return {k: v[0] for k, v in parse_qs(url.query).items()}


def launch(client, platform, custom=CUSTOM, **token_args):
    params = login(client, platform)
    token = platform.id_token(params["nonce"], custom=custom, **token_args)
    return client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_jwks_publishes_public_keys_only(client):
    keys = client.get("/lti/jwks.json").json["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(keys[0])
    assert client.get("/lti/jwks.json").json["keys"] == keys  # made once, then kept


def test_login_sends_an_oidc_auth_request(client, platform):
    params = login(client, platform)
    assert params["scope"] == "openid" and params["response_type"] == "id_token"
    assert params["response_mode"] == "form_post" and params["prompt"] == "none"
    assert params["client_id"] == platform.client_id
    assert params["redirect_uri"] == "http://localhost/lti/launch"
    assert params["login_hint"] == "42" and params["lti_message_hint"] == "res-7"
    assert len(params["state"]) > 30 and len(params["nonce"]) > 30
    get = client.get(
        "/lti/login", query_string={"iss": platform.issuer, "login_hint": "42"}
    )
    assert get.status_code == 302


def test_login_from_an_unknown_platform_is_refused(client, platform):
    response = client.post(
        "/lti/login", data={"iss": "https://evil.example", "login_hint": "1"}
    )
    assert response.status_code == 400
    assert client.post("/lti/login", data={}).status_code == 400


def test_launch_then_quiz_then_the_platform_receives_the_score(client, platform, quiz):
    response = launch(client, platform)
    assert response.status_code == 302
    assert response.location.endswith(f"{KUIS}/")
    user = db.session.scalar(
        select(User).where(User.email == "siti.rahma@example.go.id")
    )
    assert (
        user.name == "Siti Rahma" and user.nip == NIP and user.role_names == {"learner"}
    )
    assert db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    assert count(LtiIdentity) == 1
    page = client.get(response.location)
    assert page.status_code == 200  # signed in and enrolled: the quiz opens

    client.post(f"{KUIS}/attempts")
    client.post(
        f"{KUIS}/attempts/1/answers", data={**form_for(quiz, RIGHT), "submit": "1"}
    )
    assert count(LtiScore) == 1  # queued with the grading
    assert send_pending_scores() == (1, 0)
    [(path, content_type, score)] = platform.scores
    assert path == "/lineitems/7/lineitem/scores?type_id=1"
    assert content_type == "application/vnd.ims.lis.v1.score+json"
    assert score["userId"] == "moodle-user-42"
    assert score["scoreGiven"] == 100.0 and score["scoreMaximum"] == 100.0
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    request = platform.token_requests[0]
    assert request["scope"] == "https://purl.imsglobal.org/spec/lti-ags/scope/score"
    assert send_pending_scores() == (0, 0)  # posted once


def test_second_launch_signs_in_the_same_account(client, platform, quiz):
    launch(client, platform)
    client.post("/logout")
    assert launch(client, platform).status_code == 302
    assert count(User) == 1 and count(LtiIdentity) == 1 and count(LtiGradeLink) == 1


def test_a_course_launch_lands_on_the_course(client, platform, quiz):
    response = launch(client, platform, custom={"course": "kursus-kuis"})
    assert response.location.endswith("/courses/kursus-kuis/")
    assert count(LtiGradeLink) == 0  # no quiz, nothing to pass back


def test_state_is_single_use(client, platform, quiz):
    params = login(client, platform)
    token = platform.id_token(params["nonce"], custom=CUSTOM)
    data = {"id_token": token, "state": params["state"]}
    assert client.post("/lti/launch", data=data).status_code == 302
    client.post("/logout")
    assert client.post("/lti/launch", data=data).status_code == 400  # a replay


@pytest.mark.parametrize(
    "breakage",
    [
        {"nonce": "another-nonce"},
        {"aud": "another-tool"},
        {"iss": "https://evil.example"},
        {"exp": int(time.time()) - 3600},
        {LTI + "deployment_id": "another-deployment"},
        {LTI + "message_type": "LtiSubmissionReviewRequest"},
        {LTI + "version": "1.1"},
        {"sub": None},
    ],
    ids=[
        "nonce",
        "aud",
        "iss",
        "expired",
        "deployment",
        "message-type",
        "version",
        "no-sub",
    ],
)
def test_a_bad_id_token_is_refused(client, platform, quiz, breakage):
    params = login(client, platform)
    nonce = breakage.pop("nonce", params["nonce"])
    token = platform.id_token(nonce, custom=CUSTOM, **breakage)
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )
    assert response.status_code == 400
    assert count(User) == 0
    assert client.get(f"{KUIS}/").status_code == 302  # not signed in


def test_a_token_signed_with_another_key_is_refused(client, platform, quiz):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = launch(client, platform, key=forger)
    assert response.status_code == 400 and count(User) == 0


def test_an_unknown_course_is_refused(client, platform, quiz):
    assert launch(client, platform, custom={"course": "nope"}).status_code == 400


def test_a_staff_accounts_email_refuses_the_launch(client, platform, quiz, make_user):
    make_user(role="admin", email="boss@example.go.id")
    response = launch(client, platform, sub="moodle-admin", email="boss@example.go.id")
    assert response.status_code == 400
    assert count(LtiIdentity) == 0 and client.get("/my/").status_code == 302
    make_user(role="instructor", email="guru@example.go.id", nip="198001012005011001")
    custom = {**CUSTOM, "nip": "198001012005011001"}
    assert launch(client, platform, custom=custom, sub="moodle-guru").status_code == 400
    assert count(LtiIdentity) == 0


def test_inline_platform_keys_work_without_a_jwks_url(client, platform, quiz):
    row = db.session.scalar(select(LtiPlatform))
    row.jwks_url, row.jwks = "", platform.public_jwks()
    db.session.commit()
    assert launch(client, platform).status_code == 302


def test_scores_wait_while_the_platform_is_down(client, platform, quiz):
    launch(client, platform)
    client.post(f"{KUIS}/attempts")
    client.post(f"{KUIS}/attempts/1/answers", data={"submit": "1"})
    platform.failing = True
    assert send_pending_scores() == (0, 1)
    row = db.session.scalar(select(LtiScore))
    assert row.sent_at is None and "503" in row.last_error
    platform.failing = False
    assert send_pending_scores(now=row.next_attempt_at) == (1, 0)
    assert [s["scoreGiven"] for _, _, s in platform.scores] == [0.0]


def test_lti_register_command(runner, app, tmp_path):
    app.config["LMS_BASE_URL"] = "https://kelas.example.go.id"
    args = ["lms", "lti-register", "--issuer", "https://moodle.example.go.id",
            "--client-id", "abc", "--deployment-id", "3",
            "--auth-login-url", "https://moodle.example.go.id/mod/lti/auth.php",
            "--token-url", "https://moodle.example.go.id/mod/lti/token.php",
            "--jwks-url", "https://moodle.example.go.id/mod/lti/certs.php"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "https://kelas.example.go.id/lti/launch" in result.output
    assert "https://kelas.example.go.id/lti/jwks.json" in result.output
    assert runner.invoke(args=args).exit_code == 0  # again: updated, not duplicated
    assert count(LtiPlatform) == 1
    without_keys = [a for a in args if "certs" not in a and a != "--jwks-url"]
    result = runner.invoke(args=without_keys)
    assert result.exit_code != 0 and "JWKS" in result.output


INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
ASSISTANT = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
)


def test_roles_are_read_by_their_short_names():
    claims = {LTI + "roles": [
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", ASSISTANT,
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
        "ContentDeveloper"]}  # fmt: skip
    assert context_roles(claims) == {"Learner", "Instructor", "ContentDeveloper"}
    assert not launched_as_learner(claims)
    assert launched_as_learner({LTI + "roles": []})  # no role in the course: a learner


@pytest.mark.parametrize("role", [INSTRUCTOR, ASSISTANT])
def test_an_instructor_of_the_platform_is_enrolled_in_nothing(
    client, platform, quiz, role
):
    response = launch(client, platform, **{LTI + "roles": [role]})
    assert response.location.endswith("/courses/kursus-kuis/")
    assert count(Enrollment) == 0 and count(LtiGradeLink) == 0
    page = client.get(response.location).get_data(as_text=True)
    assert "sehingga Anda tidak terdaftar sebagai peserta" in page
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "auth.lti_login")
    )
    assert event.details["roles"] == ["Instructor"]


def test_an_instructor_of_the_course_here_opens_the_activity(
    client, platform, quiz, make_user
):
    teacher = make_user(role="instructor", email="guru@example.go.id")
    assign_instructor("guru@example.go.id", "kursus-kuis")
    platform_row = db.session.scalar(select(LtiPlatform))
    db.session.add(
        LtiIdentity(platform_id=platform_row.id, sub="moodle-guru", user_id=teacher.id)
    )
    db.session.commit()  # linked by an administrator
    response = launch(
        client, platform, sub="moodle-guru", **{LTI + "roles": [INSTRUCTOR]}
    )
    assert response.location.endswith(f"{KUIS}/")
    assert client.get(response.location).status_code == 200
    assert count(Enrollment) == 0 and count(LtiGradeLink) == 0


DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def deep_linking_request(client, platform, roles=(INSTRUCTOR,), **settings):
    """Launch a deep linking request as the platform does when an instructor adds content."""
    params = login(client, platform)
    settings = {
        "deep_link_return_url": f"{platform.issuer}/deep-link-return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "data": "moodle-opaque-7",
        **settings,
    }
    token = platform.id_token(params["nonce"], lineitem=False, **{
        LTI + "message_type": "LtiDeepLinkingRequest", LTI + "resource_link": None,
        LTI + "roles": list(roles), DL + "deep_linking_settings": settings})  # fmt: skip
    return client.post(
        "/lti/launch", data={"id_token": token, "state": params["state"]}
    )


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def decode_response(platform, token: str) -> dict:
    """Check the tool's signature as the platform does, against the JWKS it was given."""
    keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(platform.tool_jwks).keys}
    key = keys[jwt.get_unverified_header(token)["kid"]].key
    return jwt.decode(token, key, algorithms=["RS256"], audience=platform.issuer,
                      issuer=platform.client_id)  # fmt: skip


def test_an_instructor_links_a_quiz_and_learners_launch_it(client, platform, quiz):
    picker = deep_linking_request(client, platform)
    assert picker.status_code == 200, picker.get_data(as_text=True)
    html = picker.get_data(as_text=True)
    assert 'value="kursus-kuis modul/kuis"' in html and 'value="kursus-kuis"' in html
    policy = picker.headers["Content-Security-Policy"]
    assert (
        f"frame-ancestors 'self' {platform.issuer}" in policy
    )  # shown in the platform's frame
    assert count(User) == 0  # choosing signs no one in
    back = client.post("/lti/deep-link", data={"ticket": hidden(html, "ticket"),
                                                 "choice": "kursus-kuis modul/kuis"})  # fmt: skip
    assert back.status_code == 200, back.get_data(as_text=True)
    page = back.get_data(as_text=True)
    assert f'action="{platform.issuer}/deep-link-return"' in page
    assert (
        f"form-action 'self' {platform.issuer}"
        in back.headers["Content-Security-Policy"]
    )
    claims = decode_response(platform, hidden(page, "JWT"))
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "deployment_id"] == platform.deployment_id
    assert claims[DL + "data"] == "moodle-opaque-7" and claims["nonce"]
    [item] = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == "http://localhost/lti/launch"
    assert item["custom"] == {"course": "kursus-kuis", "activity": "modul/kuis"}
    assert item["lineItem"]["scoreMaximum"] == 100  # a grade column for the quiz
    # The platform launches the link with its custom parameters: the learner lands on the quiz.
    assert launch(client, platform, custom=item["custom"]).location.endswith(f"{KUIS}/")


def test_a_whole_course_is_linked_without_a_grade_column(client, platform, quiz):
    html = deep_linking_request(client, platform).get_data(as_text=True)
    back = client.post(
        "/lti/deep-link",
        data={"ticket": hidden(html, "ticket"), "choice": "kursus-kuis"},
    )
    [item] = decode_response(platform, hidden(back.get_data(as_text=True), "JWT"))[
        DL + "content_items"
    ]
    assert item["custom"] == {"course": "kursus-kuis"} and "lineItem" not in item


def test_a_platform_that_accepts_several_items_gets_one_link_per_choice(
    client, platform, quiz
):
    html = deep_linking_request(client, platform, accept_multiple=True).get_data(
        as_text=True
    )
    assert 'type="checkbox" name="choice" value="kursus-kuis modul/kuis"' in html
    back = client.post("/lti/deep-link", data={"ticket": hidden(html, "ticket"),
                                                 "choice": ["kursus-kuis", "kursus-kuis modul/kuis", "kursus-kuis"]})  # fmt: skip
    assert back.status_code == 200, back.get_data(as_text=True)
    page = back.get_data(as_text=True)
    items = decode_response(platform, hidden(page, "JWT"))[DL + "content_items"]
    # in the order chosen, a choice sent twice once
    assert [item["custom"] for item in items] == [
        {"course": "kursus-kuis"},
        {"course": "kursus-kuis", "activity": "modul/kuis"},
    ]
    assert "lineItem" not in items[0] and items[1]["lineItem"]["scoreMaximum"] == 100
    assert all(item["title"] in page for item in items)
    links = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "lti.deep_link")
    ).all()
    assert len(links) == 2
    for item in items:
        assert launch(client, platform, custom=item["custom"]).status_code == 302


def test_a_platform_that_takes_one_item_gets_one(client, platform, quiz):
    html = deep_linking_request(client, platform).get_data(as_text=True)
    assert 'type="radio" name="choice"' in html and 'type="checkbox"' not in html
    ticket = hidden(html, "ticket")
    for choices in (["kursus-kuis", "kursus-kuis modul/kuis"], []):
        refused = client.post(
            "/lti/deep-link", data={"ticket": ticket, "choice": choices}
        )
        assert refused.status_code == 400, choices
    assert count(AuditEvent) == 0


def test_deep_linking_is_refused_when_it_cannot_be_answered(client, platform, quiz):
    learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
    assert deep_linking_request(client, platform, roles=(learner,)).status_code == 400
    assert (
        deep_linking_request(client, platform, accept_types=["file"]).status_code == 400
    )
    for url in ("", "javascript:alert(1)", "https://evil.example;script-src *"):
        refused = deep_linking_request(client, platform, deep_link_return_url=url)
        assert refused.status_code == 400, url
    ticket = hidden(
        deep_linking_request(client, platform).get_data(as_text=True), "ticket"
    )
    for data in ({"ticket": ticket + "x", "choice": "kursus-kuis"},
                 {"ticket": ticket, "choice": "tidak-ada"},
                 {"ticket": ticket, "choice": "kursus-kuis modul/tidak-ada"}):  # fmt: skip
        assert client.post("/lti/deep-link", data=data).status_code == 400
    assert count(User) == 0
