"""Registering platforms and finding their public keys."""

from __future__ import annotations

import jwt
from flask import current_app
from sqlalchemy import select

from lms.extensions import db
from lms.models import LtiPlatform


class PlatformError(ValueError):
    """A platform cannot be registered or used as asked; the message says why."""


def register_platform(
    issuer: str,
    client_id: str,
    deployment_id: str,
    auth_login_url: str,
    auth_token_url: str,
    jwks_url: str = "",
    jwks: dict | None = None,
    name: str = "",
) -> LtiPlatform:
    """Register a platform, or update the one with the same issuer and client id."""
    if not jwks_url and not jwks:
        raise PlatformError("a platform needs a JWKS URL or its public keys")
    for url in (issuer, auth_login_url, auth_token_url, jwks_url or "https://x"):
        if not url.startswith(("https://", "http://")):
            raise PlatformError(f"not an http(s) URL: {url!r}")
    platform = db.session.scalar(
        select(LtiPlatform).where(
            LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id
        )
    ) or LtiPlatform(issuer=issuer, client_id=client_id)
    platform.name = name or issuer
    platform.deployment_id = deployment_id
    platform.auth_login_url = auth_login_url
    platform.auth_token_url = auth_token_url
    platform.jwks_url = jwks_url
    platform.jwks = jwks
    db.session.add(platform)
    db.session.commit()
    return platform


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """Return the platform for an issuer (and client id, needed when the issuer has several)."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    found = list(db.session.scalars(query.limit(2)))
    return found[0] if len(found) == 1 else None


def verification_key(platform: LtiPlatform, kid: str | None):
    """Return the platform's public key with this key id (fetching its JWKS, cached a few minutes)."""
    if platform.jwks:
        keys = jwt.PyJWKSet.from_dict(platform.jwks).keys
        match = [k for k in keys if k.key_id == kid] or (keys if kid is None else [])
        if len(match) != 1:
            raise PlatformError(f"no key {kid!r} in the platform's keys")
        return match[0].key
    if not kid:
        raise PlatformError("the token names no key (kid)")
    clients = current_app.extensions.setdefault("lti_jwks_clients", {})
    client = clients.get(platform.jwks_url)
    if client is None:
        client = jwt.PyJWKClient(platform.jwks_url, lifespan=300, timeout=10)
        clients[platform.jwks_url] = client
    try:
        return client.get_signing_key(kid).key
    except jwt.PyJWKClientError as exc:
        raise PlatformError(f"platform keys: {exc}") from None
