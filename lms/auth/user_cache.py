"""Signed-in users kept in each process between requests, dropped everywhere when an account changes.

Every request of a signed-in user needs their `User` (with roles and work unit), and reading it was
two thirds of the cost of a signed-in page that does nothing else. So each process keeps the users
it has loaded, and a request takes a copy of its user from there, attached to its own session
(`Session.merge(load=False)`: no query; lazy loads and changes work as on a loaded user).

A kept user must never outlive a change to their account, in any process: a password change ends
their other sessions, a deactivation signs them out, a role removed is gone at the next request.
So every process shares one *generation*, a number that changes whenever a commit changed a user,
a role or a work unit (a session event sees every ORM change and bulk statement); a process drops
what it kept under another generation. The generation lives in Redis when `LMS_CACHE_URL` is set
(several machines), else in a file in the instance folder (every process of one machine): reading it
costs a `stat` or a Redis `GET` per request instead of a query. A change made outside the app (SQL by
hand) is seen after `LMS_USER_CACHE_SECONDS` at the latest, or at once after `lms users-changed`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app, g, has_app_context
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import cache, db
from lms.models import Role, User, WorkUnit, user_roles

log = logging.getLogger(__name__)

#: The classes and tables whose changes can change what a signed-in user's requests see.
_WATCHED_CLASSES = (User, Role, WorkUnit)
_WATCHED_TABLES = frozenset(
    {User.__tablename__, Role.__tablename__, WorkUnit.__tablename__, user_roles.name}
)
_CHANGED = "lms.users_changed"
#: Where a page served from a kept user puts it for the header and the language (`request_user`).
KEPT_USER = "lms_kept_user"
#: Users kept per process at most (a city's learners; beyond that the oldest half is dropped).
LIMIT = 20_000


class Generation(Protocol):
    """A value every process of the installation reads alike, changed on each user change."""

    def current(self) -> object: ...

    def bump(self) -> None: ...


class FileGeneration:
    """The generation as a file's modification time (nanoseconds): one machine's processes."""

    def __init__(self, path: Path):
        self.path = path

    def current(self) -> int:
        try:
            return os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            return 0

    def bump(self) -> None:
        now = time.time_ns()
        if now == self.current():
            now += 1
        try:
            os.utime(self.path, ns=(now, now))
        except FileNotFoundError:
            self.path.touch()
            os.utime(self.path, ns=(now, now))


class CacheGeneration:
    """The generation as a counter in the shared cache (Redis): every machine's processes."""

    key = "users-generation"

    def current(self) -> int:
        return cache.cache.get(self.key) or 0

    def bump(self) -> None:
        cache.cache.inc(self.key)


class UserCache:
    """One process's signed-in users, each a detached copy tagged with the generation it was read under."""

    def __init__(self, generation: Generation, max_age: float):
        self.generation = generation
        self.max_age = max_age
        self._users: dict[int, tuple[object, float, User]] = {}

    def get(self, user_id: int, generation: object) -> User | None:
        """Return the kept copy of the user if it was read under `generation` and is young enough."""
        entry = self._users.get(user_id)
        if entry is None or entry[0] != generation or entry[1] < time.monotonic():
            return None
        return entry[2]

    def put(self, user: User, generation: object) -> None:
        """Keep a detached copy of `user` (just loaded, unchanged) under `generation`."""
        if len(self._users) >= LIMIT:
            for user_id in list(self._users)[: LIMIT // 2]:
                self._users.pop(user_id, None)
        expires = time.monotonic() + self.max_age
        self._users[user.id] = (generation, expires, _detached_copy(user))


def _detached_copy(user: User) -> User:
    """Copy a loaded user with their roles and work unit into objects no session holds."""
    scratch = Session()
    copy = scratch.merge(user, load=False)
    scratch.expunge_all()
    return copy


def for_app(app: Flask | None = None) -> UserCache | None:
    """Return the app's user cache (None when `LMS_USER_CACHE_SECONDS` is 0)."""
    return (app or current_app).extensions.get("lms.users")


def kept_or_loaded(user_id: int, load: Callable[[int], User | None]) -> User | None:
    """Return the user from this process's copy if it is current, else `load(user_id)` (and keep it)."""
    users, generation = _current()
    if generation is None:
        return load(user_id)
    kept = users.get(user_id, generation)
    if kept is not None:
        return attach(kept)
    user = load(user_id)
    if user is not None:
        users.put(user, generation)
    return user


def kept(user_id: int) -> User | None:
    """Return this process's current copy of the user, or None (nothing is loaded).

    The copy is shared by every request of the process and belongs to no session: read it,
    never change it or hand it to the ORM (`attach` gives a request its own).
    """
    users, generation = _current()
    return None if generation is None else users.get(user_id, generation)


def request_user():
    """Return this request's user, to read: the kept copy a page served without Flask-Login set
    (`lms.learn.kept_lesson`), else `current_user`."""
    return g.get(KEPT_USER) or current_user._get_current_object()


def _current() -> tuple[UserCache | None, object | None]:
    """Return the app's user cache and the current generation (None when either is missing)."""
    users = for_app()
    if users is None:
        return None, None
    try:
        return users, users.generation.current()
    except Exception:  # the shared cache is down: read the database, as without it
        log.exception("The users' generation could not be read")
        return users, None


def attach(user: User) -> User:
    """Return the request session's own copy of a kept user (no query)."""
    session = db.session()
    key = session.identity_key(instance=user)
    return session.identity_map.get(key) or session.merge(user, load=False)


def users_changed(app: Flask | None = None) -> None:
    """Tell every process that users changed (a restore, or SQL run by hand)."""
    users = for_app(app)
    if users is not None:
        users.generation.bump()


def _note_changes(session, _flush_context) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, _WATCHED_CLASSES):
            session.info[_CHANGED] = True
            return


def _note_statement(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _WATCHED_TABLES:
            state.session.info[_CHANGED] = True


def _publish(session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        try:
            users_changed()
        except Exception:  # committed all the same: other processes age the user out
            log.exception(
                "Could not tell the other processes that users changed; they see it "
                "within LMS_USER_CACHE_SECONDS"
            )


def _forget(session) -> None:
    session.info.pop(_CHANGED, None)


# Flask-SQLAlchemy's scoped session: the listeners apply to every session it makes, in every app.
event.listen(db.session, "after_flush", _note_changes)
event.listen(db.session, "do_orm_execute", _note_statement)
event.listen(db.session, "after_commit", _publish)
event.listen(db.session, "after_rollback", _forget)


def init_app(app: Flask) -> None:
    """Keep signed-in users per process unless `LMS_USER_CACHE_SECONDS` is 0."""
    max_age = app.config["LMS_USER_CACHE_SECONDS"]
    if max_age <= 0:
        return
    if app.config.get("CACHE_TYPE") == "RedisCache":
        generation: Generation = CacheGeneration()
    else:
        generation = FileGeneration(Path(app.instance_path) / "users.generation")
    app.extensions["lms.users"] = UserCache(generation, max_age)
