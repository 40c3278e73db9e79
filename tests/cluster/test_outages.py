"""What users see through nginx while a shared part is down, and after it is back."""

from __future__ import annotations

import time

import requests

from tests.cluster.conftest import cluster_command


def _catalogue(nginx: str) -> requests.Response:
    return requests.get(nginx + "/courses/", timeout=30)


def test_with_the_primary_down_every_page_is_the_apps_503_then_it_recovers(cluster):
    """Not nginx's bare 502: the app's own page, from either node, and no node left out after."""
    nginx = cluster["CLUSTER_NGINX_URL"]
    assert _catalogue(nginx).status_code == 200
    cluster_command("stop-primary")
    try:
        down = [_catalogue(nginx) for _ in range(6)]
    finally:
        cluster_command("start-primary")
    assert [r.status_code for r in down] == [503] * 6
    assert all("Sementara tidak tersedia" in r.text for r in down)
    assert {r.headers["X-Upstream"] for r in down} == {
        n.removeprefix("http://") for n in cluster["nodes"]
    }
    deadline = time.monotonic() + 20
    while _catalogue(nginx).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    back = [_catalogue(nginx) for _ in range(4)]
    assert [r.status_code for r in back] == [200] * 4
    assert len({r.headers["X-Upstream"] for r in back}) == 2  # both nodes serve again
