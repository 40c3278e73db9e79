"""`/healthz` tells a load balancer whether the app can reach its database."""

from lms import create_app


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {
        "status": "ok",
        "database": "ok",
    }


def test_healthz_503_when_database_is_unreachable(tmp_path):
    url = "sqlite:///" + str(tmp_path / "no-such-dir" / "x.sqlite3")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_pages_say_clearly_when_the_database_is_down(tmp_path):
    url = "sqlite:///" + str(tmp_path / "no-such-dir" / "x.sqlite3")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/courses/")
    assert response.status_code == 503
    assert (
        "basis data sedang tidak merespons" in response.get_data(as_text=True).lower()
    )


def test_friendly_404(client):
    response = client.get("/tidak/ada/halaman/ini")
    assert response.status_code == 404 and "<h1>" in response.get_data(as_text=True)
