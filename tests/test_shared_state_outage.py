"""Redis away (the cluster's shared limits and cache): sign-in and pages still work."""

from lms import create_app
from lms.extensions import db


def test_sign_in_works_while_the_rate_limit_storage_is_unreachable(app):
    down = create_app({**app.config, "LMS_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:1/0",
                       "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
                       "LMS_CACHE_URL": "redis://127.0.0.1:1/1", "CACHE_TYPE": "RedisCache",
                       "CACHE_REDIS_URL": "redis://127.0.0.1:1/1"})  # fmt: skip
    client = down.test_client()
    response = client.post(
        "/login", data={"login": "ani@example.org", "password": "salah"}
    )
    assert response.status_code == 200  # the form again, not a server error
    assert client.get("/courses/").status_code == 200
    with down.app_context():
        db.engine.dispose()  # this second app's own connections
