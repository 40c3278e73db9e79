"""The claims LTI 1.3 Core and Deep Linking 2.0 require of each message we answer, and their shapes.

A launch missing one is refused before anything is made of it: an id_token that is signed but not
a complete LTI message is not a launch (the IMS certification suite's "known bad payloads").
Claims the specifications leave optional are checked only for the shape we read them in, so that
a malformed one is refused rather than failing later.
"""

from __future__ import annotations

from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
#: Where a deep linking response may ask its items to be shown (Deep Linking 2.0 §4.4.1).
DOCUMENT_TARGETS = frozenset({"iframe", "window", "embed"})
#: Core's limit on the length of ids (deployment, resource link, context).
MAX_ID = 255


class ClaimError(ValueError):
    """A claim is missing or misshapen; the message says which (safe to show)."""


def check_required_claims(claims: dict[str, Any]) -> None:
    """Refuse (ClaimError) a message without a claim its type requires, or with one misshapen."""
    _text(claims, "sub", "sub", MAX_ID)
    _text(claims, LTI + "deployment_id", "deployment_id", MAX_ID)
    roles = claims.get(LTI + "roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise ClaimError("the roles claim is missing or not a list of roles")
    for name in ("custom", "context", "tool_platform", "launch_presentation"):
        _optional_object(claims, LTI + name, name)
    _optional_object(claims, AGS_ENDPOINT, "the AGS endpoint")
    _optional_object(claims, NRPS, "the names and role service")
    if isinstance(claims.get(LTI + "context"), dict):
        _text(claims[LTI + "context"], "id", "context id", MAX_ID)
    if claims.get(LTI + "message_type") == "LtiResourceLinkRequest":
        _text(claims, LTI + "target_link_uri", "target_link_uri", 2000)
        link = claims.get(LTI + "resource_link")
        if not isinstance(link, dict):
            raise ClaimError("the resource_link claim is missing")
        _text(link, "id", "resource_link id", MAX_ID)
    elif claims.get(LTI + "message_type") == "LtiDeepLinkingRequest":
        _deep_linking_settings(claims.get(DL + "deep_linking_settings"))


def _deep_linking_settings(settings: Any) -> None:
    if not isinstance(settings, dict):
        raise ClaimError("the deep_linking_settings claim is missing")
    _text(settings, "deep_link_return_url", "deep_link_return_url", 2000)
    for name in ("accept_types", "accept_presentation_document_targets"):
        values = settings.get(name)
        if not isinstance(values, list) or not values:
            raise ClaimError(f"deep_linking_settings has no {name}")
        if not all(isinstance(value, str) for value in values):
            raise ClaimError(f"deep_linking_settings' {name} are not all text")
    if not set(settings["accept_presentation_document_targets"]) <= DOCUMENT_TARGETS:
        raise ClaimError("unknown accept_presentation_document_targets")
    for name in ("accept_multiple", "accept_lineitem", "auto_create"):
        if name in settings and not isinstance(settings[name], bool):
            raise ClaimError(f"deep_linking_settings' {name} is not true or false")


def _text(values: dict[str, Any], key: str, name: str, longest: int) -> None:
    value = values.get(key)
    if not isinstance(value, str) or not value:
        raise ClaimError(f"the {name} claim is missing")
    if len(value) > longest:
        raise ClaimError(f"the {name} claim is longer than {longest} characters")


def _optional_object(claims: dict[str, Any], key: str, name: str) -> None:
    if key in claims and not isinstance(claims[key], dict):
        raise ClaimError(f"the {name} claim is not an object")
