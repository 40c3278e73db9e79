"""Binding an OIDC login to the browser that started it (LTI 1.3 Security Framework §5.1.1).

The state we send the platform comes back with the id_token in a cross-site form post. That the
state is one we issued proves nothing about the browser posting it: a page elsewhere could post
an id_token and state obtained in the attacker's own browser, and sign the victim in as the
attacker (login CSRF). So `/lti/login` also leaves the state in a cookie of the browser, and the
launch is accepted only from a browser whose cookie holds the state it posts.

The platform's post is cross-site, so a SameSite=Lax cookie would not come with it: the cookie is
SameSite=None, which browsers accept only with Secure, i.e. over HTTPS, where it also takes the
`__Host-` prefix (no subdomain can set or overwrite it). Over plain HTTP (development) it has no
SameSite attribute. One cookie per state (named after it, as pylti1.3 does) lets launches in
several tabs run side by side.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from flask import Response

#: The name of the cookie for a state is this prefix followed by the state.
PREFIX = "lti1p3-state-"


def cookie_name(state: str, secure: bool) -> str:
    """Return the name of the cookie that binds `state` to a browser."""
    return ("__Host-" if secure else "") + PREFIX + state


def bind_state(response: Response, state: str, secure: bool, max_age: int) -> None:
    """Leave the login's state in the browser the response goes to."""
    response.set_cookie(
        cookie_name(state, secure),
        state,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="None" if secure else None,
    )


def state_is_bound(cookies: Mapping[str, str], state: str, secure: bool) -> bool:
    """Tell whether this browser started the login of `state` (compared in constant time)."""
    if not state:
        return False
    kept = cookies.get(cookie_name(state, secure), "")
    return secrets.compare_digest(kept.encode(), state.encode())


def forget_state(response: Response, state: str, secure: bool) -> None:
    """Remove the state's cookie (its login is used up)."""
    response.delete_cookie(
        cookie_name(state, secure),
        path="/",
        secure=secure,
        httponly=True,
        samesite="None" if secure else None,
    )
