"""Our tool's RSA key pairs: made once and kept in the database, the public halves published as a JWKS."""

from __future__ import annotations

import json
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select

from lms.extensions import db
from lms.models import LtiToolKey


def create_key() -> LtiToolKey:
    """Generate a new RSA-2048 key pair; it becomes the signing key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    key = LtiToolKey(kid=secrets.token_hex(16), private_pem=pem)
    db.session.add(key)
    db.session.commit()
    return key


def signing_key() -> LtiToolKey:
    """Return the newest key pair, creating the first one when there is none."""
    key = db.session.scalar(select(LtiToolKey).order_by(LtiToolKey.id.desc()).limit(1))
    return key or create_key()


def private_key(key: LtiToolKey):
    """Return the key pair's private key object."""
    return serialization.load_pem_private_key(key.private_pem.encode(), password=None)


def public_jwks() -> dict:
    """Return every public key as a JWKS (old keys stay published so tokens in flight verify)."""
    signing_key()
    keys = []
    for key in db.session.scalars(select(LtiToolKey).order_by(LtiToolKey.id)):
        jwk = json.loads(RSAAlgorithm.to_jwk(private_key(key).public_key()))
        keys.append({**jwk, "kid": key.kid, "alg": "RS256", "use": "sig"})
    return {"keys": keys}
