"""The database going away: pages answer a clear 503, nothing is half-written, and the app recovers.

Runs against a throwaway PostgreSQL cluster that the test creates, stops, starts and drops
(Debian's pg_createcluster, as root, as on the CI machine); skipped where that is not possible.
"""

import os
import shutil
import socket
import subprocess

import pytest
from sqlalchemy import create_engine, func, select, text

from lms import create_app
from lms.extensions import db
from lms.models import ActivityProgress

CLUSTER = "kelas_outage"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*command):
    subprocess.run(command, check=True, capture_output=True, text=True)


@pytest.fixture
def throwaway_cluster():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs with the PostgreSQL suite (set DATABASE_URL)")
    if (
        shutil.which("pg_createcluster") is None
        or os.geteuid() != 0
        or not os.path.isdir("/etc/postgresql")
    ):
        pytest.skip(
            "needs Debian's PostgreSQL tools and root to make a throwaway cluster"
        )
    version = max(os.listdir("/etc/postgresql"))
    port = free_port()
    subprocess.run(
        ["pg_dropcluster", "--stop", version, CLUSTER], check=False, capture_output=True
    )
    run(
        "pg_createcluster",
        version,
        CLUSTER,
        "--port",
        str(port),
        "--",
        "--auth-host=trust",
        "--auth-local=trust",
    )
    run("pg_ctlcluster", version, CLUSTER, "start")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    yield url, (lambda action: run("pg_ctlcluster", version, CLUSTER, action))
    subprocess.run(
        ["pg_dropcluster", "--stop", version, CLUSTER], check=False, capture_output=True
    )


def test_outage_gives_503_writes_nothing_and_recovers(throwaway_cluster, tmp_path):
    from flask_migrate import upgrade

    from lms.activities.registry import activity_types
    from lms.auth.accounts import create_user
    from lms.content.reader import read_courses
    from lms.content.sync import apply_import
    from tests.conftest import EXAMPLE_COURSES

    url, cluster = throwaway_cluster
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "TESTING": True,
                      "LMS_MAIL_BACKGROUND": False, "LMS_UPLOADS_DIR": str(tmp_path)})  # fmt: skip
    with app.app_context():
        upgrade()
        apply_import(read_courses(EXAMPLE_COURSES, activity_types()))
        create_user("ani@example.org", "Ani", "kata-sandi-yang-panjang")
    client = app.test_client()
    client.post(
        "/login",
        data={"login": "ani@example.org", "password": "kata-sandi-yang-panjang"},
    )
    client.post("/courses/contoh-kursus/enroll")
    assert client.get("/healthz").status_code == 200

    cluster("stop")
    assert client.get("/healthz").status_code == 503
    page = client.get("/courses/contoh-kursus/")
    assert (
        page.status_code == 503 and "basis data" in page.get_data(as_text=True).lower()
    )
    write = client.post("/courses/contoh-kursus/pengantar/selamat-datang/complete")
    assert write.status_code == 503

    cluster("start")
    assert client.get("/healthz").status_code == 200  # the pool reconnects by itself
    assert client.get("/courses/contoh-kursus/").status_code == 200

    # A restart between two requests: the pooled connection is dead, and noticed before use.
    cluster("restart")
    assert client.get("/courses/contoh-kursus/").status_code == 200
    engine = create_engine(url)
    with engine.connect() as connection:
        assert (
            connection.execute(
                select(func.count()).select_from(ActivityProgress.__table__)
            ).scalar()
            == 0
        )
        assert (
            connection.execute(text("SELECT count(*) FROM enrollments")).scalar() == 1
        )
    engine.dispose()
    with app.app_context():
        db.engine.dispose()
