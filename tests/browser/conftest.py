"""Browser fixtures: the app served on 127.0.0.1, Debian's Chromium through Playwright, axe-core.

Every page a journey looks at goes through `Pages.check`: axe-core (from node_modules, injected
into every page) must find no serious or critical WCAG 2.1 AA violation, the phone layout must not
scroll sideways, and a screenshot is saved at phone and desktop widths under screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
PASSWORD = "kata-sandi-yang-panjang"
#: Requests the live server answers at once (a page, its CSS and a few scripts).
MAX_REQUESTS = 8

#: The elements that stick out past the right edge of the window (the innermost ones).
WIDER_THAN_PHONE = """() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return null;
    const wide = [...document.querySelectorAll('body *')].filter(
        e => e.getBoundingClientRect().right > window.innerWidth + 1);
    return wide.filter(e => !wide.some(o => o !== e && e.contains(o)))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' "'
            + (e.textContent || '').trim().slice(0, 40) + '"');
}"""

#: Every page checked in this run: name -> violations by impact (written to screenshots/axe.json).
AXE_RESULTS: dict[str, dict] = {}


def chromium_path() -> str | None:
    """Return Debian's Chromium (or LMS_CHROMIUM), if it is installed."""
    if os.environ.get("LMS_CHROMIUM"):
        path = os.environ["LMS_CHROMIUM"]
        return path if Path(path).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium", path="/usr/bin")


def _unavailable(reason: str) -> None:
    """Fail loudly in CI, skip with the reason on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI must run the browser tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Launch headless Chromium once for the whole run."""
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found: `apt-get install chromium` (.ci/run does it)")
    if not AXE.exists():
        _unavailable("axe-core not found: run `npm ci` at the repository root")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        _unavailable("Playwright for Python is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if AXE_RESULTS:
        SCREENSHOTS.mkdir(exist_ok=True)
        (SCREENSHOTS / "axe.json").write_text(json.dumps(AXE_RESULTS, indent=2))


@pytest.fixture
def live_server(app):
    """Serve the test app, with CSRF on, on a free port of 127.0.0.1; return its base URL."""
    app.config["WTF_CSRF_ENABLED"] = True
    busy = threading.Semaphore(MAX_REQUESTS)

    def counted(environ, start_response):
        with busy:
            body = app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()

    server = make_server("127.0.0.1", 0, counted, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    # Requests still being answered must finish before the tables are emptied.
    for _ in range(MAX_REQUESTS):
        busy.acquire(timeout=10)


class Pages:
    """Open browser sessions (one per person) and check each page a journey reaches."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser = browser
        self.base_url = base_url
        self.prefix = test_name
        self.contexts = []

    def person(self, locale: str = "id-ID"):
        """Return a new page in its own browser context (its own cookies), desktop-sized."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=DESKTOP,
            locale=locale,
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(path=str(AXE))
        self.contexts.append(context)
        return context.new_page()

    def check(self, page, name: str) -> None:
        """Run axe-core on the page, check the phone layout and save both screenshots."""
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary).slice(0, 5),
                }));
            }""",
            AXE_TAGS,
        )
        key = f"{self.prefix}/{name}"
        AXE_RESULTS[key] = {
            "url": page.url,
            "violations": [
                {"id": v["id"], "impact": v["impact"], "help": v["help"]}
                for v in violations
            ],
        }
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, f"axe on {name} ({page.url}):\n" + json.dumps(
            blocking, indent=2, ensure_ascii=False
        )
        SCREENSHOTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-")
        page.screenshot(path=str(SCREENSHOTS / f"{stem}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        try:
            overflow = page.evaluate(WIDER_THAN_PHONE)
            page.screenshot(path=str(SCREENSHOTS / f"{stem}-phone.png"), full_page=True)
        finally:
            page.set_viewport_size(DESKTOP)
        assert not overflow, f"{name} scrolls sideways on a phone: {overflow}"

    @staticmethod
    def follow(page, selector: str) -> None:
        """Click a link or a submit button and wait for the page it leads to."""
        with page.expect_navigation():
            page.click(selector)

    @staticmethod
    def sign_in(page, login: str, password: str = PASSWORD) -> None:
        """Sign in through the login form."""
        page.goto("/login")
        page.fill("#login", login)
        page.fill("#password", password)
        Pages.follow(page, "main form button[type=submit]")

    @staticmethod
    def sign_out(page) -> None:
        """Sign out with the header's button."""
        Pages.follow(page, "form[action$='/logout'] button")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser, live_server, request):
    """Return the journey's `Pages`: people to drive and the checks for each page."""
    pages = Pages(browser, live_server, request.node.name.removeprefix("test_"))
    yield pages
    pages.close()
