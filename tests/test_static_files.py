"""Static files: fingerprinted names cached for a year, and a lesson page light enough for a weak line."""

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from lms.auth.accounts import create_user
from lms.extensions import db
from lms.learn import progress
from lms.models import Course

STATIC = Path(__file__).resolve().parents[1] / "lms" / "static"
DIGESTED = re.compile(r"-[0-9a-f]{32}\.")
LESSON = "/courses/contoh-kursus/pengantar/selamat-datang/"
#: A lesson page with its CSS and JavaScript, before images (uncompressed bytes).
LESSON_BUDGET = 60 * 1024


class Assets(HTMLParser):
    """Collect the stylesheets and scripts a page references."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def assets_of(html: str) -> list[str]:
    parser = Assets()
    parser.feed(html)
    return parser.urls


def fetch(client, url):
    """GET a URL and close the response (static files are sent as open files)."""
    with client.get(url) as response:
        response.data  # noqa: B018 - read the body before closing
        return response


def stylesheet_url(client) -> str:
    return assets_of(client.get("/courses/").get_data(as_text=True))[0]


def test_static_urls_carry_the_content_hash(client):
    digest = hashlib.md5((STATIC / "style.css").read_bytes()).hexdigest()
    assert stylesheet_url(client) == f"/static/style-{digest}.css"


def test_every_static_file_has_a_fingerprinted_copy_in_the_release_manifest():
    manifest = json.loads((STATIC / "cache_manifest.json").read_text())
    sources = [
        path.relative_to(STATIC).as_posix()
        for path in STATIC.rglob("*")
        if path.is_file()
        and path.name != "cache_manifest.json"
        and not DIGESTED.search(path.name)
    ]
    assert sorted(manifest) == sorted(sources), "run make static"
    for name, copy in manifest.items():
        assert (STATIC / copy).read_bytes() == (STATIC / name).read_bytes(), (
            "run make static"
        )


def test_fingerprinted_files_are_cached_for_a_year(client):
    response = fetch(client, stylesheet_url(client))
    assert response.status_code == 200
    assert response.data == (STATIC / "style.css").read_bytes()
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache


def test_plain_and_stale_names_are_served_without_the_long_cache(client):
    for url in ("/static/style.css", f"/static/style-{'0' * 32}.css"):
        response = fetch(client, url)
        assert response.status_code == 200
        assert response.data == (STATIC / "style.css").read_bytes()
        assert "immutable" not in response.headers.get("Cache-Control", "")
    assert fetch(client, f"/static/nothing-{'0' * 32}.css").status_code == 404


def test_a_lesson_page_with_its_css_and_js_is_under_60_kb(client, auth, import_courses):
    import_courses()
    user = create_user("ani@example.org", "Ani", "kata-sandi-yang-panjang")
    progress.enroll(user, db.session.query(Course).one())
    auth.login("ani@example.org")
    page = client.get(LESSON)
    assert page.status_code == 200
    sizes = {LESSON: len(page.data)}
    for url in assets_of(page.get_data(as_text=True)):
        assert re.match(r"^/static/", url), f"{url} is not served by this server"
        asset = fetch(client, url)
        assert asset.status_code == 200
        sizes[url] = len(asset.data)
    assert any(url.endswith(".css") for url in sizes)
    total = sum(sizes.values())
    print(f"lesson page weight: {total} bytes {sizes}")
    assert total < LESSON_BUDGET, sizes


def test_the_debug_server_links_the_plain_names_so_edits_show_at_once(app, client):
    app.debug = True
    try:
        assert stylesheet_url(client) == "/static/style.css"
    finally:
        app.debug = False
