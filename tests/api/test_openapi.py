"""The OpenAPI document is valid 3.1, describes every endpoint, and errors are problems."""

from openapi_spec_validator import validate

from lms.api.problems import KIND_BY_STATUS, PROBLEMS, problem_type
from tests.api.conftest import assert_problem


def test_document_validates_as_openapi_31(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)
    paths = document["paths"]
    for path in (
        "/api/v1/courses",
        "/api/v1/courses/{slug}",
        "/api/v1/enrollments",
        "/api/v1/courses/{slug}/progress",
        "/api/v1/courses/{slug}/activities/{module_key}/{activity_key}/complete",
        "/api/v1/courses/{slug}/quizzes/{module_key}/{activity_key}/attempts",
        "/api/v1/courses/{slug}/quizzes/{module_key}/{activity_key}/attempts/{number}/submit",
        "/api/v1/cohorts/{cohort_id}/members",
        "/api/v1/me/jp",
        "/api/v1/certificates/{code}",
    ):
        assert path in paths, path
    problem = document["components"]["responses"]["NOT_FOUND"]["content"]
    assert "application/problem+json" in problem
    assert (
        document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    )


def test_interactive_docs_are_served_from_here(client):
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "swagger-ui" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()
    assert client.get("/api/v1/docs/assets/../../setup.cfg").status_code == 404


def test_every_problem_kind_has_a_stable_type():
    assert {400, 401, 403, 404, 409, 422, 429} <= set(KIND_BY_STATUS)
    for kind, (status, title) in PROBLEMS.items():
        assert problem_type(kind) == f"https://kelas-asn.example/problems/{kind}"
        assert 400 <= status < 600 and title


def test_unknown_urls_and_methods_are_problems_too(api, client):
    assert_problem(api.get("/nothing-here"), 404, "not-found")
    response = api.call("DELETE", "/courses")
    assert_problem(response, 405, "method-not-allowed")
    assert "GET" in response.headers["Allow"]
    # the web keeps its HTML error pages
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_rate_limit_answers_429(app, api, make_user, make_token):
    app.config["LMS_API_RATE_LIMIT"] = 3
    token = make_token(make_user())
    statuses = [api.get("/me", token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    body = assert_problem(api.get("/me", token), 429, "too-many-requests")
    assert body["detail"] and int(api.get("/me", token).headers["Retry-After"]) > 0


def test_every_operation_has_an_id_and_a_description(api):
    """Generated clients name their functions by operationId (issue 25); Redocly lints the rest."""
    document = api.get("/openapi.json").get_json()
    operations = [
        operation
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    ids = [operation.get("operationId") for operation in operations]
    assert len(operations) >= 26 and None not in ids
    assert len(set(ids)) == len(ids)
    assert all(i.isidentifier() and i[0].islower() for i in ids)
    for operation in operations:
        description = operation.get("description", "").strip()
        assert description and description != operation["summary"], operation[
            "operationId"
        ]
    assert document["info"]["license"]["identifier"] == "MIT"
    assert document["info"]["contact"]["name"]
    assert "PaginationMetadata" not in document["components"]["schemas"]
