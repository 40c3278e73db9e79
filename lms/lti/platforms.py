"""Registering platforms and finding their public keys."""

from __future__ import annotations

import jwt
from sqlalchemy import select

from lms import cache as lms_cache
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
    """Return the platform's public key with this key id (its JWKS kept a few minutes: `lms.cache`)."""
    if platform.jwks:
        keys = jwt.PyJWKSet.from_dict(platform.jwks).keys
        match = [k for k in keys if k.key_id == kid] or (keys if kid is None else [])
        if len(match) != 1:
            raise PlatformError(f"no key {kid!r} in the platform's keys")
        return match[0].key
    if not kid:
        raise PlatformError("the token names no key (kid)")
    url = platform.jwks_url
    try:
        key = _key_in(lms_cache.platform_keys(url, lambda: _fetch_keys(url)), kid)
        if key is None:  # a key the platform added since: fetch its keys again
            key = _key_in(
                lms_cache.platform_keys(url, lambda: _fetch_keys(url), refresh=True),
                kid,
            )
    except jwt.PyJWKClientError as exc:
        raise PlatformError(f"platform keys: {exc}") from None
    if key is None:
        raise PlatformError(f"no key {kid!r} in the platform's keys")
    return key


def _fetch_keys(url: str) -> dict:
    """Fetch a platform's JWKS (a plain dict, so the cache can keep it anywhere)."""
    return jwt.PyJWKClient(url, cache_jwk_set=False, timeout=10).fetch_data()


def _key_in(jwks: dict, kid: str):
    """Return the signing key `kid` of a JWKS, or None."""
    found = [k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_id == kid]
    return found[0].key if found else None
