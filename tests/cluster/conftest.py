"""The cluster suite: runs against `scripts/cluster start` (nginx, two app nodes, two workers).

Skipped unless the cluster answers. `.ci/run` starts it, runs `pytest -m cluster tests/cluster`,
and stops it. The test process reaches the cluster's primary database to build its world.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, text

from lms.extensions import db

ROOT = Path(__file__).parent.parent.parent
SCRIPT = ROOT / "scripts" / "cluster"
DEMO = {
    "admin": ("admin@demo.kelasasn.id", "demo-admin-2026"),
    "instructor": ("pengajar@demo.kelasasn.id", "demo-pengajar-2026"),
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/cluster/" in str(item.fspath):
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def cluster() -> dict:
    """Return the cluster's settings (`scripts/cluster env`), or skip when it is not running."""
    out = subprocess.run(
        [str(SCRIPT), "env"], capture_output=True, text=True, check=True
    )
    env = dict(re.findall(r"(\w+)=\"?([^\s\"]*(?: [^\s\"]+)*)\"?", out.stdout))
    try:
        requests.get(env["CLUSTER_NGINX_URL"] + "/healthz", timeout=2)
    except requests.ConnectionError:
        pytest.skip("the cluster is not running (scripts/cluster start)")
    env["nodes"] = [f"http://127.0.0.1:{p}" for p in env["CLUSTER_NODE_PORTS"].split()]
    return env


def cluster_command(*args: str) -> None:
    """Run `scripts/cluster ARGS`."""
    subprocess.run([str(SCRIPT), *args], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def world(cluster):
    """An app context on the cluster's primary database, for building and checking the world."""
    from lms import create_app

    os.environ.setdefault("LMS_INSTANCE_PATH", "/tmp/kelas-asn-cluster-tests")
    app = create_app({"SQLALCHEMY_DATABASE_URI": cluster["DATABASE_URL"],
                      "LMS_CACHE_URL": cluster["LMS_CACHE_URL"], "SECRET_KEY": cluster["SECRET_KEY"],
                      "LMS_UPLOADS_DIR": cluster["LMS_UPLOADS_DIR"]})  # fmt: skip
    with app.app_context():
        yield app


@pytest.fixture
def make_person(world):
    """Return a factory of accounts with a fresh email (the cluster's database is kept between runs)."""
    from lms.auth.accounts import create_user

    def make(role: str = "learner", password: str = "kata-sandi-yang-panjang"):
        email = f"{role}-{uuid.uuid4().hex[:10]}@cluster.example.org"
        user = create_user(email, f"Orang {email[:16]}", password, roles=(role,))
        return user, password

    return make


def pretest_taken(user, slug: str) -> None:
    """Record the course's pre-test as done by the learner, so its lessons open to them."""
    from lms.gain.course_tests import course_tests
    from lms.models import ActivityProgress, Course
    from lms.models.types import utcnow

    course = db.session.scalar(select(Course).where(Course.slug == slug))
    pretest = course_tests(course).pretest
    if pretest is not None:
        db.session.add(ActivityProgress(user_id=user.id, activity_id=pretest[0],
                                        completed_at=utcnow()))  # fmt: skip
        db.session.commit()


def wait_for_replica(cluster) -> None:
    """Wait until the reporting replica has replayed every write the primary has acknowledged."""
    from sqlalchemy import create_engine

    primary = create_engine(cluster["DATABASE_URL"])
    replica = create_engine(cluster["LMS_REPORTS_DATABASE_URL"])
    with primary.connect() as p, replica.connect() as r:
        lsn = p.execute(text("SELECT pg_current_wal_lsn()")).scalar()
        for _ in range(200):
            if r.execute(
                text("SELECT pg_last_wal_replay_lsn() >= :lsn"), {"lsn": lsn}
            ).scalar():
                break
            import time

            time.sleep(0.05)
    primary.dispose()
    replica.dispose()


class Browser:
    """One browser: a cookie jar; each request goes to the node (or nginx) named."""

    def __init__(self):
        self.http = requests.Session()
        # A browser of its own machine: straight to a node (which trusts one proxy) it comes from
        # its own address, so the suite's many sign-ins do not add up to one address's limit.
        self.http.headers["X-Forwarded-For"] = "10." + ".".join(
            str(secrets.randbelow(256)) for _ in range(3)
        )
        self.served_by: list[str] = []

    def get(self, base: str, path: str, **kw) -> requests.Response:
        response = self.http.get(base + path, timeout=30, **kw)
        self.served_by.append(response.headers.get("X-Upstream", base))
        return response

    def post(
        self, base: str, path: str, data: dict | None = None, **kw
    ) -> requests.Response:
        """POST a form with the session's CSRF token, as the page's form would."""
        data = {"csrf_token": self.csrf(base), **(data or {})}
        response = self.http.post(
            base + path, data=data, timeout=30, allow_redirects=False, **kw
        )
        self.served_by.append(response.headers.get("X-Upstream", base))
        return response

    def csrf(self, base: str) -> str:
        page = self.http.get(
            base + "/login" if not self.signed_in else base + "/account/", timeout=30
        )
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)

    signed_in = False

    def login(self, base: str, email: str, password: str) -> requests.Response:
        response = self.post(base, "/login", {"login": email, "password": password})
        self.signed_in = response.status_code == 302
        return response
