"""Signed-in sessions kept on the server: signing out, a new password or an admin ends them.

The session cookie holds a random key; the server keeps its hash with when it was last used, so
a cookie copied before sign-out opens nothing afterwards. A session unused for
`LMS_SESSION_IDLE_MINUTES` (shared office computers) or older than `LMS_SESSION_MAX_HOURS` ends.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Flask, current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from lms.api.problems import is_api_request
from lms.extensions import db
from lms.models import User, UserSession
from lms.models.types import utcnow

#: The session cookie's entry holding the key.
KEY = "sid"
#: Last use is written at most this often (a write per request would cost every page).
TOUCH_EVERY = timedelta(minutes=1)
#: Ended and expired sessions are deleted after this long (the account page lists the live ones).
FORGET_AFTER = timedelta(days=30)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def sign_in(user: User) -> None:
    """Start a new session for `user` in this browser (a fresh cookie: no fixation)."""
    now = utcnow()
    db.session.execute(
        delete(UserSession).where(UserSession.last_seen_at < now - FORGET_AFTER)
    )
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            key_hash=_digest(key),
            created_at=now,
            last_seen_at=now,
            user_agent=request.user_agent.string[:200],
            address=(request.remote_addr or "")[:45],
        )
    )
    db.session.commit()
    session.clear()
    login_user(user)
    session[KEY] = key


def sign_out() -> None:
    """End this browser's session on the server and forget it in the cookie."""
    key = session.get(KEY)
    if key:
        db.session.execute(
            update(UserSession)
            .where(UserSession.key_hash == _digest(key), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()
    logout_user()
    session.clear()


def end_all(user_id: int, keep_current: bool = False) -> int:
    """End every session of the user (not committed); return how many were live."""
    query = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    if keep_current and session.get(KEY):
        query = query.where(UserSession.key_hash != _digest(session[KEY]))
    return db.session.execute(query.values(ended_at=utcnow())).rowcount


#: The user a session key signs in, with their roles and work unit, and the session's times.
_SIGNED_IN = (
    select(User, UserSession.id, UserSession.created_at, UserSession.last_seen_at)
    .join(UserSession, UserSession.user_id == User.id)
    .options(joinedload(User.roles))
    .where(
        User.id == bindparam("user_id"),
        UserSession.key_hash == bindparam("key_hash"),
        UserSession.ended_at.is_(None),
    )
)


def signed_in_user(user_id: str) -> User | None:
    """Return the user this request's session signs in, if the session is live (Flask-Login's loader).

    One statement reads the user with the session; its use is noted after the request. The API
    never reads the session (its caller is a bearer token's), and during a database outage
    (`g.lms_database_down`, set by its error page) nobody is signed in.
    """
    key = session.get(KEY)
    if (
        not key
        or not user_id.isdigit()
        or g.get("lms_database_down")
        or is_api_request()
    ):
        return None
    row = (
        db.session.execute(
            _SIGNED_IN, {"user_id": int(user_id), "key_hash": _digest(key)}
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        return None
    user, session_id, created_at, last_seen_at = row
    config, now = current_app.config, utcnow()
    idle = timedelta(minutes=config["LMS_SESSION_IDLE_MINUTES"])
    oldest = timedelta(hours=config["LMS_SESSION_MAX_HOURS"])
    if now - last_seen_at > idle or now - created_at > oldest:
        return None
    if now - last_seen_at > TOUCH_EVERY:
        g.lms_touch_session = session_id
    return user  # an inactive one is not authenticated (User.is_active)


def live_sessions(user_id: int) -> list[UserSession]:
    """Return the user's sessions that still work, most recently used first."""
    config, now = current_app.config, utcnow()
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at
                >= now - timedelta(minutes=config["LMS_SESSION_IDLE_MINUTES"]),
                UserSession.created_at
                >= now - timedelta(hours=config["LMS_SESSION_MAX_HOURS"]),
            )
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def current_key_hash() -> str | None:
    """Return the hash naming this browser's session (to mark it in a list)."""
    key = session.get(KEY)
    return _digest(key) if key else None


def _touch(response):
    """Write the session's last use after the view, in a transaction of its own."""
    session_id = g.pop("lms_touch_session", None)
    if session_id is not None:
        with db.engine.begin() as connection:
            connection.execute(
                update(UserSession)
                .where(UserSession.id == session_id)
                .values(last_seen_at=utcnow())
            )
    return response


def init_app(app: Flask) -> None:
    """Note sessions' use after each request."""
    app.after_request(_touch)
