"""The dashboard in a real browser (Debian's Chromium through Playwright), on a phone (360 px) and a desktop:
sign in, read the overview with its charts, open a cadre. Screenshots are kept in tests/artifacts.

Never downloads a browser: without one at CHROMIUM_PATH (default /usr/bin/chromium) these tests are skipped.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.admin_data import NOW, build_branch
from tests.admin_pages import PASSWORD, make_account
from tests.browser import ARTIFACTS, sync_api

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(params=list(SIZES))
def page(request, pages):  # type: ignore[no-untyped-def]
    """A page of the given size that may only talk to our server, and fails on script or CSP errors."""
    phone = request.param == "phone"
    page = pages.open(viewport=SIZES[request.param], is_mobile=phone, has_touch=phone,
                      locale="id-ID", timezone_id="Asia/Jakarta", timeout=15_000)
    page.size_name = request.param
    return page


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
