"""An LTI 1.3 platform on loopback: its own keys, a JWKS, a token endpoint and a line item's scores."""

from __future__ import annotations

import json
import secrets
import time
import urllib.parse
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.loopback import JsonHandler, LoopbackServer

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/"


class LoopbackPlatform(LoopbackServer):
    """A platform (think Moodle) that signs launches and takes scores; `tool_jwks` must be set."""

    client_id = "kelas-asn-tool"
    deployment_id = "deployment-1"

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "platform-key-1"
        self.tool_jwks: dict | None = None
        self.tokens: set[str] = set()
        self.token_requests: list[dict] = []
        self.scores: list[tuple[str, str, dict]] = []
        self.failing = False
        #: The course's members, as NRPS lists them (two to a page)
        self.members: list[dict] = []
        self.member_requests: list[dict] = []
        platform = self

        class Handler(JsonHandler):
            def do_GET(self):
                if self.path == "/jwks":
                    return self._answer(200, platform.public_jwks())
                if self.path.startswith("/nrps/members"):
                    return self._answer(
                        *platform.memberships(self.path, dict(self.headers))
                    )
                self._answer(404, {})

            def do_POST(self):
                body = self.body()
                if platform.failing:
                    return self._answer(503, {"error": "maintenance"})
                if self.path == "/token":
                    form = dict(urllib.parse.parse_qsl(body.decode()))
                    return self._answer(*platform.issue_token(form))
                if self.path.startswith("/lineitems/") and self.path.split("?")[
                    0
                ].endswith("/scores"):
                    auth = self.headers.get("Authorization", "")
                    if (
                        not auth.startswith("Bearer ")
                        or auth[7:] not in platform.tokens
                    ):
                        return self._answer(401, {"error": "invalid token"})
                    content_type = self.headers.get("Content-Type", "")
                    platform.scores.append((self.path, content_type, json.loads(body)))
                    return self._answer(200, {})
                self._answer(404, {})

        super().__init__(Handler)
        self.issuer = self.base_url
        self.auth_login_url = f"{self.issuer}/auth"
        self.token_url = f"{self.issuer}/token"
        self.jwks_url = f"{self.issuer}/jwks"
        self.lineitem = f"{self.issuer}/lineitems/7/lineitem?type_id=1"

    def memberships(self, path: str, headers: dict) -> tuple:
        """Answer an NRPS request: a page of members, a Link to the next page."""
        self.member_requests.append(headers)
        if self.failing:
            return 503, {"error": "maintenance"}
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return 401, {"error": "invalid token"}
        page = int(
            urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).get("page", ["1"])[
                0
            ]
        )
        members = self.members[(page - 1) * 2 : page * 2]
        more = {}
        if page * 2 < len(self.members):
            more["Link"] = f'<{self.issuer}/nrps/members?page={page + 1}>; rel="next"'
        body = {"id": f"{self.issuer}/nrps/members", "context": {"id": "moodle-course-9"},
                "members": members}  # fmt: skip
        return 200, body, more

    def public_jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def issue_token(self, form: dict) -> tuple[int, dict]:
        """Check the tool's signed client assertion (RFC 7523) and hand out an access token."""
        self.token_requests.append(form)
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_assertion_type")
            != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return 400, {"error": "unsupported_grant_type"}
        try:
            kid = jwt.get_unverified_header(form["client_assertion"])["kid"]
            keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(self.tool_jwks).keys}
            jwt.decode(
                form["client_assertion"],
                keys[kid].key,
                algorithms=["RS256"],
                audience=self.token_url,
                issuer=self.client_id,
                options={"require": ["exp", "iat", "jti", "sub"]},
            )
        except (jwt.PyJWTError, KeyError, TypeError) as exc:
            return 401, {"error": "invalid_client", "detail": str(exc)}
        token = secrets.token_urlsafe(16)
        self.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                     "scope": form.get("scope", "")}  # fmt: skip

    def id_token(
        self,
        nonce: str,
        sub: str = "moodle-user-42",
        custom: dict | None = None,
        key=None,
        lineitem: bool = True,
        headers: dict | None = None,
        **overrides,
    ) -> str:
        """Sign a resource link launch for this tool (claims can be overridden to break it)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": "siti.rahma@example.go.id",
            "name": "Siti Rahma",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": "http://localhost/lti/launch",
            LTI + "resource_link": {"id": str(uuid.uuid4())},
            LTI + "roles": [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
            ],
            LTI + "custom": custom or {},
            LTI + "context": {"id": "moodle-course-9", "title": "Pelatihan SPBE Kota"},
            NRPS + "claim/namesroleservice": {
                "context_memberships_url": f"{self.issuer}/nrps/members",
                "service_versions": ["2.0"],
            },
        }
        if lineitem:
            claims[AGS + "claim/endpoint"] = {
                "scope": [AGS + "scope/score", AGS + "scope/lineitem.readonly"],
                "lineitem": self.lineitem,
                "lineitems": f"{self.issuer}/lineitems",
            }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        headers = {"kid": self.kid} if headers is None else headers
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers=headers)
