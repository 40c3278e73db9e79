"""Creating, finding and revoking personal API tokens; only a hash of each secret is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from lms.audit import record
from lms.extensions import db
from lms.models import TOKEN_SCOPES, ApiToken, User
from lms.models.types import utcnow

#: Every secret starts with this, so leaked tokens are easy to recognise (and to scan for).
SECRET_PREFIX = "kasn_"
#: Characters of the secret kept for display: the marker and a few random ones.
DISPLAY_CHARS = 12
#: last_used_at is written at most this often, so reading the API does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """Return the sha256 hex digest of a secret (secrets are random, so no salt is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User, name: str, scope: str = "read", expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; return it and its secret, which is never shown again."""
    if scope not in TOKEN_SCOPES:
        raise ValueError(f"scope must be one of {', '.join(TOKEN_SCOPES)}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=(name.strip() or "API")[:100],
        prefix=secret[:DISPLAY_CHARS],
        secret_hash=hash_secret(secret),
        scope=scope,
        created_at=utcnow(),
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    record("api_token.create", user.id, token, scope=scope, name=token.name)
    db.session.commit()
    return token, secret


def user_tokens(user_id: int) -> list[ApiToken]:
    """Return the user's tokens, newest first (revoked ones too, for the record)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def own_token(user_id: int, token_id: int) -> ApiToken | None:
    """Return the user's own token with this id, if there is one."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    )


def revoke_token(token: ApiToken, now: datetime | None = None) -> bool:
    """Revoke the token; return False if it was already revoked."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    if result.rowcount == 1:
        record("api_token.revoke", token.user_id, token, name=token.name)
    db.session.commit()
    db.session.refresh(token)
    return result.rowcount == 1


def is_usable(token: ApiToken, now: datetime) -> bool:
    """Tell whether the token may authenticate now: not revoked, not expired, its user active."""
    return (
        token.revoked_at is None
        and (token.expires_at is None or token.expires_at > now)
        and token.user is not None
        and token.user.is_active
    )


def authenticate_secret(secret: str, now: datetime | None = None) -> ApiToken | None:
    """Return the usable token with this secret (noting its use), or None."""
    now = now or utcnow()
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret))
    )
    if token is None or not is_usable(token, now):
        return None
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - LAST_USED_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
    )
    db.session.commit()
    return token
