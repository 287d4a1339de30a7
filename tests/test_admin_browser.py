"""The dashboard in a real browser (Debian's Chromium through Playwright), on a phone (360 px) and a desktop:
sign in, read the overview with its charts, open a cadre. Screenshots are kept in tests/artifacts.

Never downloads a browser: without one at CHROMIUM_PATH (default /usr/bin/chromium) these tests are skipped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from tests.admin_data import NOW, build_branch
from tests.admin_pages import PASSWORD, make_account

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt)")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture(params=list(SIZES))
def page(request, server):  # type: ignore[no-untyped-def]
    """A page of the given size that may only talk to our server, and fails on script or CSP errors."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        phone = request.param == "phone"
        context = browser.new_context(viewport=SIZES[request.param], is_mobile=phone, has_touch=phone,
                                      locale="id-ID", timezone_id="Asia/Jakarta")
        page = context.new_page()
        page.set_default_timeout(15_000)
        ours = urlparse(server).netloc
        outside: list[str] = []
        problems: list[str] = []

        def only_ours(route):  # type: ignore[no-untyped-def]
            url = urlparse(route.request.url)
            if url.scheme in ("http", "https") and url.netloc != ours:
                outside.append(route.request.url)
                return route.abort()
            return route.continue_()

        page.route("**/*", only_ours)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda message: problems.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text else None)
        page.size_name = request.param
        yield page
        context.close()
        browser.close()
        assert not outside, f"the page reached outside the server: {outside}"
        assert not problems, f"errors in the page: {problems}"


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"admin-{name}-{page.size_name}.png"), full_page=True)


def fits(page) -> bool:  # type: ignore[no-untyped-def]
    """Nothing wider than the screen: wide tables scroll inside their own box."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_sign_in_read_the_overview_and_open_a_cadre(page, server, db):  # type: ignore[no-untyped-def]
    expect = sync_api.expect
    build_branch(db)
    make_account(db)
    page.goto(server + "/admin")
    page.get_by_label("Nama pengguna").fill("siti")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    screenshot(page, "sign-in")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ringkasan")
    page.locator("input[name=bulan]").fill("2025-06")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator('[data-figure="active"]')).to_contain_text("2 / 4 (50%)")
    expect(page.locator('[data-figure="collected"]')).to_contain_text("Rp250.000")
    expect(page.locator("canvas[data-drawn]")).to_have_count(7)  # every figure's 12-month chart drawn
    assert fits(page)
    screenshot(page, "overview")

    page.get_by_role("link", name="Kader", exact=True).click()
    expect(page.locator("#cadre-table")).to_contain_text("Sri Kader")
    page.get_by_role("button", name="Terkumpul").click()  # sort by money collected, most last
    expect(page.locator("#cadre-table tbody tr").last).to_contain_text("KDR-A")
    assert fits(page)
    screenshot(page, "cadres")

    page.get_by_role("link", name="KDR-A").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sri Kader · KDR-A")
    expect(page.locator('[data-figure="progress-month"]')).to_contain_text("2 / 95")
    expect(page.locator("canvas[data-drawn]")).to_have_count(2)
    assert fits(page)
    screenshot(page, "cadre")

    page.get_by_role("link", name="EN").click()
    expect(page.get_by_role("heading", name="Progress (as REKAP shows it)")).to_be_visible()
