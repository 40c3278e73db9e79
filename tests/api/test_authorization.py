"""Every operation of the document refuses a caller without a token, except the public ones."""

import re

from lms.api.spec import PATH_EXAMPLES
from tests.api.conftest import assert_problem

PUBLIC = {
    ("get", "/api/v1/courses"),
    ("get", "/api/v1/courses/{slug}"),
    ("get", "/api/v1/certificates/{code}"),
}


def operations(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "delete", "patch"):
                yield method, path


def test_anonymous_gets_401_on_every_private_operation(client, quiz):
    seen = 0
    for method, path in operations(client):
        url = re.sub(r"\{(\w+)\}", lambda m: str(PATH_EXAMPLES[m.group(1)]), path)
        response = client.open(url, method=method.upper(), json={})
        if (method, path) in PUBLIC:
            assert response.status_code in (200, 404), (method, path)
        else:
            assert_problem(response, 401, "unauthorized")
            seen += 1
    assert seen >= 12


def test_read_token_gets_403_on_every_write_operation(
    client, quiz, make_user, make_token
):
    token = make_token(make_user(), scope="read")
    writes = [(m, p) for m, p in operations(client) if m != "get"]
    assert len(writes) >= 5
    for method, path in writes:
        url = re.sub(r"\{(\w+)\}", lambda m: str(PATH_EXAMPLES[m.group(1)]), path)
        response = client.open(
            url,
            method=method.upper(),
            json={"course": "kursus-kuis", "answer": "x"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert_problem(response, 403, "insufficient-scope")
