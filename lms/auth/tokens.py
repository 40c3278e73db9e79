"""Single-use, expiring tokens: set a password (imported accounts, resets), confirm an email."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from lms.audit import record
from lms.auth import sessions
from lms.extensions import db
from lms.models import PasswordToken, User
from lms.models.types import utcnow

#: How long a token works, by purpose.
LIFETIMES = {
    "first_login": timedelta(days=14),
    "reset": timedelta(hours=2),
    "confirm": timedelta(days=3),
}
#: The purposes whose link sets a password.
SETS_PASSWORD = ("first_login", "reset")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """Return a fresh token and the hash that is stored of it."""
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def issue_password_token(user: User, purpose: str, commit: bool = True) -> str:
    """Create a token for `user` and return it; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordToken(user_id=user.id, token_hash=_digest(token), purpose=purpose,
                                 expires_at=utcnow() + LIFETIMES[purpose]))  # fmt: skip
    if commit:
        db.session.commit()
    return token


def token_user(token: str, purposes=SETS_PASSWORD) -> User | None:
    """Return the user a valid, unused, unexpired token for one of `purposes` belongs to."""
    row = db.session.scalar(
        select(PasswordToken).where(
            PasswordToken.token_hash == _digest(token),
            PasswordToken.purpose.in_(purposes),
        )
    )
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    return db.session.get(User, row.user_id)


def use_password_token(token: str, password: str) -> User | None:
    """Set the password with the token, once; return the user, or None if the token is not valid."""
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.token_hash == _digest(token), PasswordToken.used_at.is_(None),
               PasswordToken.expires_at >= now, PasswordToken.purpose.in_(SETS_PASSWORD))
        .values(used_at=now)
        .returning(PasswordToken.user_id, PasswordToken.purpose)
    ).first()  # fmt: skip
    if claimed is None:
        db.session.rollback()
        return None
    user = db.session.get(User, claimed.user_id)
    user.set_password(password)
    user.failed_logins, user.locked_until = 0, None  # the owner proved it: unlocked
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now  # the link came to that address
    ended = sessions.end_all(
        user.id
    )  # a new password ends every session signed in before
    record(
        "auth.password_set",
        user.id,
        user,
        purpose=claimed.purpose,
        ended_sessions=ended,
    )
    db.session.commit()
    return user


def confirm_email(token: str) -> User | None:
    """Confirm the address with the emailed link, once; return the user, or None if not valid."""
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.token_hash == _digest(token), PasswordToken.used_at.is_(None),
               PasswordToken.expires_at >= now, PasswordToken.purpose == "confirm")
        .values(used_at=now)
        .returning(PasswordToken.user_id)
    ).first()  # fmt: skip
    if claimed is None:
        db.session.rollback()
        return None
    user = db.session.get(User, claimed.user_id)
    user.email_confirmed_at = user.email_confirmed_at or now
    record("auth.email_confirmed", user.id, user)
    db.session.commit()
    return user
