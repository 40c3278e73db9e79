"""Fixtures of the API tests: tokens, and a client that sends them."""

from __future__ import annotations

import pytest

from lms.api.tokens import create_token


@pytest.fixture
def make_token(app):
    """Return a factory: make_token(user, scope="write") → the secret."""

    def make(user, scope="write", name="test", expires_at=None):
        return create_token(user, name, scope, expires_at)[1]

    return make


@pytest.fixture
def api(client):
    """Return a helper calling /api/v1 with an optional bearer token."""

    class Api:
        def call(self, method, path, token=None, **kwargs):
            headers = kwargs.pop("headers", {})
            if token:
                headers["Authorization"] = f"Bearer {token}"
            return client.open(
                "/api/v1" + path, method=method, headers=headers, **kwargs
            )

        def get(self, path, token=None, **kwargs):
            return self.call("GET", path, token, **kwargs)

        def post(self, path, token=None, **kwargs):
            return self.call("POST", path, token, **kwargs)

        def put(self, path, token=None, **kwargs):
            return self.call("PUT", path, token, **kwargs)

    return Api()


def assert_problem(response, status: int, kind: str | None = None):
    """Check that the response is an RFC 9457 problem with this status (and kind)."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert body["type"].startswith("https://kelas-asn.example/problems/")
    if kind:
        assert body["type"].endswith("/" + kind), body
    return body
