"""The web chat in a real browser (Debian's Chromium driven by Playwright): what a newcomer does after `make run`.

Never downloads a browser: without one at CHROMIUM_PATH (default /usr/bin/chromium) these tests are skipped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from bot import outbox
from bot.messages import Outgoing
from models import Chat

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).parent / "artifacts"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt)")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")


@pytest.fixture
def server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real app on a free loopback port, threaded like `make run`."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def demo(runtime, db):  # type: ignore[no-untyped-def]
    demo = pytest.importorskip("models.demo", reason="the demo data set (models/demo.py) is not there yet")
    demo.seed_demo(db, runtime.clock.now().date())
    db.commit()
    return demo.demo_personas(db)


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    """A phone-sized page that may only talk to our server: a CDN or any other host would fail the test."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="id-ID", timezone_id="Asia/Jakarta")
    page = context.new_page()
    page.set_default_timeout(10_000)
    outside: list[str] = []
    ours = urlparse(server).netloc

    def only_ours(route):  # type: ignore[no-untyped-def]
        url = urlparse(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != ours:
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_ours)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not outside, f"the page reached outside the server: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_a_demo_member_chats_taps_a_button_and_sees_a_reminder_arrive(page, server, demo, runtime, db):
    expect = sync_api.expect
    member = next(p for p in demo if p.role == "member" and p.card_number and p.birth_date)
    page.goto(server + "/")
    card = page.locator(f'.persona[data-phone="{member.phone}"]')
    expect(card).to_contain_text(member.card_number)
    expect(page.locator(".persona-cadre").first).to_be_visible()
    screenshot(page, "webchat-personas")

    card.click()
    expect(page.get_by_role("heading", name=member.name)).to_be_visible()
    expect(page.locator("#info")).to_contain_text(member.card_number)
    expect(page.locator("#info")).to_contain_text(member.birth_date.strftime("%d-%m-%Y"))

    box = page.get_by_role("textbox", name="Pesan (message)")
    expect(box).to_be_focused()
    box.fill("MENU")
    box.press("Enter")
    log = page.get_by_role("log")
    expect(log).to_contain_text("Saya KaderBot JKN")
    menu = page.get_by_role("group", name="Pilihan (choices)").last
    buttons = menu.get_by_role("button")
    expect(buttons).to_have_count(8)
    expect(buttons.filter(has_text="Cek tunggakan keluarga")).to_be_visible()
    expect(box).to_have_value("")
    shot = screenshot(page, "webchat-menu")

    menu.get_by_role("button", name="Bantuan", exact=True).click()
    expect(log).to_contain_text("Care Center 165")
    expect(page.locator(".bubble.me").last).to_contain_text("Bantuan")

    # A reminder the scheduler sends to this chat shows up by itself (the page polls every 2 s).
    chat = db.execute(select(Chat).where(Chat.channel == "web", Chat.phone == member.phone)).scalar_one()
    reminder = outbox.queue(db, channel="web", address=chat.address, chat_id=chat.id, kind="reminder",
                            message=Outgoing("Iuran JKN bulan ini belum dibayar. Ketik BAYAR."),
                            now=runtime.clock.now())
    db.commit()
    runtime.sender.send_now([reminder.id])
    expect(page.locator(".bubble.kind-reminder")).to_contain_text("Ketik BAYAR", timeout=8_000)
    screenshot(page, "webchat-reminder")

    # A reload continues the same chat, and the back button returns to the list.
    page.reload()
    expect(log).to_contain_text("Care Center 165")
    expect(page.locator(".bubble")).to_have_count(5)
    page.get_by_role("button", name="Kembali ke daftar (back)").click()
    expect(page.get_by_role("heading", name="KaderBot JKN")).to_be_visible()
    assert shot.exists()


def test_any_phone_number_can_chat_and_the_page_fits_a_small_phone(page, server):
    expect = sync_api.expect
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + "/")
    page.get_by_label("Nomor HP").fill("12")
    page.get_by_role("button", name="Mulai chat").click()
    expect(page.get_by_role("alert")).to_contain_text("Nomor HP belum benar")

    page.get_by_label("Nomor HP").fill("0812 9999 0001")
    page.get_by_label("Nama").fill("Budi Santoso")
    page.get_by_role("button", name="Mulai chat").click()
    expect(page.get_by_role("heading", name="Budi Santoso")).to_be_visible()
    expect(page.locator("#chat-sub")).to_contain_text("+62 812-9999-0001")

    page.get_by_role("button", name="BANTUAN").click()  # a starter chip of the empty chat
    expect(page.get_by_role("log")).to_contain_text("Care Center 165")
    page.get_by_role("textbox", name="Pesan (message)").fill("menu")
    page.get_by_role("button", name="Kirim (send)").click()
    expect(page.get_by_role("log")).to_contain_text("Halo Budi!")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
    screenshot(page, "webchat-360")
