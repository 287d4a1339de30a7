"""The operations pages in a real browser (Debian's Chromium through Playwright), at 360 px and on a desktop:
upload a CSV with a bad line and see it reported by its line number; create a broadcast and see it arrive in
a member's web chat. Screenshots are kept in tests/artifacts. Skipped without Chromium, like test_browser.py.
"""

from __future__ import annotations

import pytest

from reminders.scheduler import remind_once
from tests.admin_pages import PASSWORD, make_account
from tests.browser import ARTIFACTS, sync_api

SIZES = {"360": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
expect = sync_api.expect


@pytest.fixture
def open_page(pages):  # type: ignore[no-untyped-def]
    """open_page(size) -> a page of its own context (cookies apart) that may only talk to our server, and
    fails the test on a JavaScript error or anything the Content-Security-Policy blocks."""

    def make(size: str):  # type: ignore[no-untyped-def]
        phone = size == "360"
        return pages.open(viewport=SIZES[size], device_scale_factor=2 if phone else 1, is_mobile=phone,
                          has_touch=phone, locale="id-ID", timezone_id="Asia/Jakarta", accept_downloads=True,
                          timeout=10_000)

    return make


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, server: str, username: str = "siti") -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/admin/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Ringkasan")).to_be_visible()


def fits(page, size: str) -> None:  # type: ignore[no-untyped-def]
    """Nothing runs sideways off the screen (wide tables scroll inside their own box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.parametrize("size", ["360", "desktop"])
def test_an_uploaded_csv_with_a_bad_line_is_reported_by_line_number(open_page, server, db, size, tmp_path):  # type: ignore[no-untyped-def]
    make_account(db, "siti", "admin")
    page = open_page(size)
    sign_in(page, server)
    page.get_by_role("link", name="Impor/Ekspor").click()
    csv = tmp_path / "kader.csv"
    csv.write_text("cadre_code;name;phone;telegram_username;branch;region_code;supervisor_code\n"
                   "KDR-X-01;Ani Lestari;081234567890;;Surakarta;3372;\n"
                   "KDR-X-02;;081234567891;;Surakarta;33;\n", encoding="utf-8")
    page.get_by_label("Jenis berkas").select_option("cadres")
    page.get_by_label("Berkas CSV").set_input_files(str(csv))
    page.get_by_role("button", name="Unggah dan impor").click()
    expect(page.locator("#job-status")).to_have_text("selesai")
    expect(page.locator("#job-summary")).to_have_text("cadres: 1 inserted, 0 updated, 0 unchanged, 1 rejected")
    row = page.locator("#rejected tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("3")
    expect(row.locator("td").nth(1)).to_contain_text("region_code")
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "100")
    fits(page, size)
    screenshot(page, f"admin-import-report-{size}")


def test_a_broadcast_created_on_the_dashboard_arrives_in_the_web_chat(open_page, server, db, runtime):  # type: ignore[no-untyped-def]
    demo = pytest.importorskip("ingest.demo", reason="the demo data set (ingest/demo.py) is not there yet")
    demo.seed_demo(db, runtime.clock.now().date())
    db.commit()
    budi = next(p for p in demo.demo_personas(db) if p.name == "Budi Santoso")
    make_account(db, "siti", "admin")

    member = open_page("360")  # Budi proves who he is in the web chat, as a member does
    member.goto(server + "/")
    member.locator(f'.persona[data-phone="{budi.phone}"]').click()
    box = member.get_by_role("textbox", name="Pesan (message)")
    for typed in ("CEK", budi.card_number, budi.birth_date.strftime("%d-%m-%Y"), "YA"):
        count = member.locator(".bubble.bot").count()
        box.fill(typed)
        box.press("Enter")
        expect(member.locator(".bubble.bot")).not_to_have_count(count)

    staff = open_page("desktop")
    sign_in(staff, server)
    staff.get_by_role("link", name="Siaran").click()
    staff.get_by_label("Kode wilayah").fill("3372")
    staff.get_by_label("Bulan tunggakan").fill("4-24")
    staff.get_by_label("Pesan (Indonesia)").fill("Posyandu JKN di balai desa besok jam 9.")
    count = staff.locator("#recipients")
    expect(count).to_contain_text("region=3372 months=4-24")
    expect(count).to_have_attribute("data-reachable", "1")
    expect(staff.locator('.preview[data-channel="web"][data-language="id"]')).to_contain_text(
        "Posyandu JKN di balai desa besok jam 9.")
    screenshot(staff, "admin-broadcast-form-desktop")
    staff.get_by_role("button", name="Jadwalkan siaran").click()
    expect(staff.get_by_role("status").first).to_contain_text("dijadwalkan untuk 1 keluarga")

    print(remind_once(runtime))  # the scheduler's next pass (the service's clock is frozen at the form's time)
    expect(member.locator(".bubble.kind-broadcast")).to_contain_text("Posyandu JKN di balai desa", timeout=8_000)
    screenshot(member, "admin-broadcast-arrived-webchat-360")
    staff.reload()
    expect(staff.locator(".broadcast").first).to_contain_text("1 terkirim")
    screenshot(staff, "admin-broadcast-delivered-desktop")


@pytest.mark.parametrize("size", ["360", "desktop"])
def test_the_operations_pages_fit_a_phone_and_a_desktop(open_page, server, db, runtime, size):  # type: ignore[no-untyped-def]
    demo = pytest.importorskip("ingest.demo", reason="the demo data set (ingest/demo.py) is not there yet")
    demo.seed_demo(db, runtime.clock.now().date())
    db.commit()
    make_account(db, "siti", "admin")
    page = open_page(size)
    sign_in(page, server)
    for path, heading in (("/admin/rehab", "Rencana REHAB"), ("/admin/tiket", "Tiket keluhan"),
                          ("/admin/siaran", "Siaran"), ("/admin/impor", "Impor data")):
        page.goto(server + path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        fits(page, size)
        screenshot(page, f"admin{path.replace('/admin', '').replace('/', '-')}-{size}")
