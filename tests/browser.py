"""What the browser tests (test_browser.py, test_admin_browser.py, test_browser_admin_operations.py) share, kept
in one place so they cannot drift apart: Debian's Chromium driven by Playwright, and pages that may only talk to
our server and fail the test on a script error or anything the Content-Security-Policy blocks.

Never downloads a browser: importing this module skips the importing test module when playwright is not
installed or there is no Chromium at CHROMIUM_PATH (default /usr/bin/chromium). The fixtures (`server`,
`browser`, `pages`) are in conftest.py and import this module only when a browser test asks for them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"  # screenshots, kept out of git (artifacts/.gitignore)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt)")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)",
                allow_module_level=True)


class Pages:
    """The pages one test opens, each in a browser context of its own (cookies apart). Every request to a host
    other than our server (a CDN, a font service) is aborted; `close()` then fails the test for any of those,
    for a JavaScript error, or for something the Content-Security-Policy blocked, in any of the pages."""

    def __init__(self, browser, server: str) -> None:  # type: ignore[no-untyped-def]
        self.browser = browser
        self.ours = urlparse(server).netloc
        self.contexts: list = []  # Playwright's BrowserContext, one a page
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.blocked: list[str] = []

    def open(self, timeout: int, **options):  # type: ignore[no-untyped-def]
        """A new page in a new context (`options` go to `browser.new_context`), waiting `timeout` ms at most."""
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(timeout)
        page.route("**/*", self.only_ours)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: self.blocked.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text else None)
        return page

    def only_ours(self, route) -> None:  # type: ignore[no-untyped-def]
        """Data and blob URLs (no host) stay inside the page; any host but ours, whatever the scheme, is refused."""
        if urlparse(route.request.url).netloc not in (self.ours, ""):
            self.outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def close(self) -> None:
        """Close every context, then fail the test for what went wrong in any of them."""
        for context in self.contexts:
            context.close()
        assert not self.outside, f"the page reached outside the server: {self.outside}"
        assert not self.errors, f"JavaScript errors: {self.errors}"
        assert not self.blocked, f"the Content-Security-Policy blocked: {self.blocked}"
