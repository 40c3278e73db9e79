"""Which account here a platform's user is: the one linked to them, a new one, or one they prove.

A platform is trusted to say who its own user is (`sub`), never who they are here: the email in
its id_token comes from profiles its users may edit, and custom parameters such as `nip` are set
by its teachers. So a platform user is never linked to an existing account by email or NIP. When
those match an account, the launch waits (`LtiPendingLink`, in one browser's session, for
`PENDING_LIFETIME`) until the person signs in to that account with its password, or chooses a
new, separate account that takes neither the email nor the NIP. An administrator can also link
(`flask lms lti-link`). Accounts of instructors, supervisors and administrators are never linked
through a launch, only by an administrator; an administrator's account never is.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from lms.audit import record
from lms.auth.accounts import AccountError, create_user, normalize_email
from lms.auth.nip import nip_problems
from lms.extensions import db
from lms.lti.launch import LTI, LaunchError
from lms.models import LtiIdentity, LtiPendingLink, LtiPlatform, User
from lms.models.types import utcnow

#: The longest email an account has (`User.email`).
MAX_EMAIL = 254
#: How long a launch waits for its account to be settled.
PENDING_LIFETIME = timedelta(minutes=10)


def linked_user(platform_id: int, sub: str) -> User | None:
    """Return the account linked to the platform's user, if any."""
    return db.session.scalar(
        select(User)
        .join(LtiIdentity, LtiIdentity.user_id == User.id)
        .where(LtiIdentity.platform_id == platform_id, LtiIdentity.sub == sub)
    )


def launch_email(claims: dict[str, Any]) -> str:
    """Return the email the launch gives, as stored; empty if none, or none that fits one."""
    email = normalize_email(str(claims.get("email") or ""))
    return email if "@" in email and len(email) <= MAX_EMAIL else ""


def launch_nip(claims: dict[str, Any]) -> str | None:
    """Return the NIP of the launch's custom parameter `nip`, if it is a valid one."""
    custom = claims.get(LTI + "custom") or {}
    nip = str(custom.get("nip") or "").strip() or None
    return None if nip is None or nip_problems(nip) else nip


def matching_accounts(email: str, nip: str | None) -> list[User]:
    """Return the accounts that have this email or this NIP (either may be empty)."""
    found = []
    if email:
        found += db.session.scalars(select(User).where(User.email == email)).all()
    if nip:
        found += db.session.scalars(select(User).where(User.nip == nip)).all()
    return list({user.id: user for user in found}.values())


def existing_user(email: str, nip: str | None) -> User | None:
    """Return the account with this email, else with this NIP (either may be empty)."""
    found = matching_accounts(email, None) or matching_accounts("", nip)
    return found[0] if found else None


def is_plain_learner(user: User) -> bool:
    """Tell whether the account has no role but learner (only such accounts link themselves)."""
    return not user.role_names - {"learner"}


def provision_user(platform: LtiPlatform, claims: dict[str, Any]) -> User | None:
    """Return the platform user's account here, making a new one on their first launch.

    None when the launch's email or NIP belongs to an account here: its owner links it (see the
    module). A match with a staff account refuses the launch: an administrator links those.
    """
    sub = str(claims["sub"])
    user = linked_user(platform.id, sub)
    if user is not None:
        return user
    matches = matching_accounts(launch_email(claims), launch_nip(claims))
    if any(not is_plain_learner(match) for match in matches):
        raise LaunchError("this account must be linked by an administrator")
    if matches:
        return None
    return new_account(platform, claims, launch_email(claims), launch_nip(claims))


def new_account(
    platform: LtiPlatform, claims: dict[str, Any], email: str, nip: str | None
) -> User:
    """Make an account for the platform's user and link them to it (the email and NIP are free)."""
    sub = str(claims["sub"])
    try:
        # The password is never told to anyone: they sign in through the platform.
        user = create_user(email or placeholder_email(platform.id, sub),
                           display_name(claims), secrets.token_urlsafe(32), nip=nip)  # fmt: skip
    except (
        AccountError
    ) as exc:  # taken a moment ago, by a registration or another launch
        raise LaunchError(str(exc)) from None
    link_identity(platform, sub, user, "new_account", None)
    return user


def separate_account(platform: LtiPlatform, claims: dict[str, Any]) -> User:
    """Make a new account for a launch whose email or NIP is taken: without either of them."""
    return new_account(platform, claims, "", None)


def link_identity(
    platform: LtiPlatform, sub: str, user: User, method: str, actor_id: int | None
) -> None:
    """Link the platform's user to the account (audited); refuse if they are linked already."""
    db.session.add(LtiIdentity(platform_id=platform.id, sub=sub, user_id=user.id))
    record("lti.identity_linked", actor_id, user, platform=platform.issuer, sub=sub,
           method=method)  # fmt: skip
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise LaunchError("this platform account is already linked") from None


def placeholder_email(platform_id: int, sub: str) -> str:
    """Return the address of an account made for a platform user who shared no email."""
    digest = hashlib.sha256(f"{platform_id}:{sub}".encode()).hexdigest()[:20]
    return f"lti-{digest}@lti.invalid"


def display_name(claims: dict[str, Any]) -> str:
    """Return the person's name from `name`, else `given_name` and `family_name`."""
    name = claims.get("name") or " ".join(
        str(claims[k]) for k in ("given_name", "family_name") if claims.get(k)
    )
    return (name or "LTI").strip()[:200]


def hold_launch(platform: LtiPlatform, claims: dict[str, Any]) -> LtiPendingLink:
    """Keep a launch until its account is settled (and forget those long past)."""
    db.session.execute(
        delete(LtiPendingLink).where(
            LtiPendingLink.created_at < utcnow() - timedelta(days=1)
        )
    )
    pending = LtiPendingLink(platform_id=platform.id, claims=claims)
    db.session.add(pending)
    db.session.commit()
    return pending


def pending_launch(pending_id: Any) -> LtiPendingLink | None:
    """Return the launch waiting under this id, unless it is used or too old."""
    if not isinstance(pending_id, int):
        return None
    pending = db.session.get(LtiPendingLink, pending_id)
    if (
        pending is None
        or pending.used_at is not None
        or pending.created_at + PENDING_LIFETIME < utcnow()
    ):
        return None
    return pending


def use_pending(pending: LtiPendingLink) -> None:
    """Use up the waiting launch; a second use (another tab, a replay) is refused."""
    used = db.session.execute(
        update(LtiPendingLink)
        .where(LtiPendingLink.id == pending.id, LtiPendingLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.session.commit()
    if used.rowcount != 1:
        raise LaunchError("this launch was already used")


def link_by_administrator(
    platform: LtiPlatform, sub: str, user: User, move: bool = False
) -> int | None:
    """Link the platform's user to the account, as an administrator decided (audited).

    Return the id of the account it was linked to before, when `move` allows moving it; without
    `move`, a platform user linked to another account is refused. An administrator's account is
    never linked: whoever controls the platform would then sign in as an administrator here.
    """
    if user.has_role("admin"):
        raise LaunchError("an administrator's account is never linked to a platform")
    identity = db.session.scalar(
        select(LtiIdentity).where(
            LtiIdentity.platform_id == platform.id, LtiIdentity.sub == sub
        )
    )
    if identity is None:
        link_identity(platform, sub, user, "administrator", None)
        return None
    if identity.user_id == user.id:
        return None
    if not move:
        raise LaunchError(
            f"this platform user is linked to account {identity.user_id}; use --move"
        )
    previous, identity.user_id = identity.user_id, user.id
    record("lti.identity_linked", None, user, platform=platform.issuer, sub=sub,
           method="administrator", moved_from=previous)  # fmt: skip
    db.session.commit()
    return previous
