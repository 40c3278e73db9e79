"""Password rules: at least 8 characters, no composition rules, common passwords refused (NIST 800-63B)."""

from __future__ import annotations

from importlib.resources import files

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8


def _read_common_passwords() -> frozenset[str]:
    text = (
        files("lms").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


#: Passwords too common to allow, lower-cased (read once, when the module loads).
COMMON_PASSWORDS = _read_common_passwords()


def password_problem(password: str, *personal: str) -> str | None:
    """Return why `password` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Password must be at least %(n)d characters.", n=MIN_LENGTH))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 3:
        return str(_l("This password is too common; choose another."))
    if any(p and lowered == p.lower() for p in personal):
        return str(_l("Password must not be your email, name or NIP."))
    return None
