"""The web chat in a real browser (Debian's Chromium driven by Playwright): what a newcomer does after `make run`.

Never downloads a browser: without one at CHROMIUM_PATH (default /usr/bin/chromium) these tests are skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import outbox
from bot.messages import Outgoing
from models import Chat
from tests.browser import ARTIFACTS, sync_api

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def settings(settings, request):  # type: ignore[no-untyped-def]
    """`@pytest.mark.parametrize("settings", ["demo"], indirect=True)` serves the page in that WEBCHAT mode."""
    return replace(settings, webchat=getattr(request, "param", settings.webchat))


@pytest.fixture
def demo(runtime, db):  # type: ignore[no-untyped-def]
    demo = pytest.importorskip("ingest.demo", reason="the demo data set (ingest/demo.py) is not there yet")
    demo.seed_demo(db, runtime.clock.now().date())
    db.commit()
    return demo.demo_personas(db)


@pytest.fixture
def page(pages):  # type: ignore[no-untyped-def]
    """A phone-sized page that may only talk to our server: a CDN or any other host would fail the test."""
    return pages.open(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                      locale="id-ID", timezone_id="Asia/Jakarta", timeout=10_000)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.mark.parametrize("settings", ["demo"], indirect=True)  # as `make run` serves the demo branch
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


@pytest.mark.parametrize("settings", ["demo"], indirect=True)
def test_the_demo_accepts_only_the_demo_personas_numbers(page, server, demo, db):
    expect = sync_api.expect
    page.goto(server + "/")
    expect(page.locator(".persona").first).to_be_visible()
    expect(page.locator("#phone-hint")).to_contain_text("hanya nomor peserta atau kader demo")
    page.get_by_label("Nomor HP").fill("0812 9999 0001")
    page.get_by_role("button", name="Mulai chat").click()
    expect(page.get_by_role("alert")).to_contain_text("hanya nomor peserta atau kader demo")
    expect(page.locator("#chat")).to_be_hidden()

    cadre = next(p for p in demo if p.role == "cadre")  # typing a demo cadre's number is the same as picking it
    page.get_by_label("Nomor HP").fill(cadre.phone)
    page.get_by_role("button", name="Mulai chat").click()
    page.get_by_role("textbox", name="Pesan (message)").fill("SIAPA")
    page.get_by_role("button", name="Kirim (send)").click()
    expect(page.get_by_role("log")).to_contain_text("kader")
    assert db.execute(select(Chat).where(Chat.channel == "web")).scalar_one().cadre_id is not None


@pytest.mark.parametrize("settings", ["demo"], indirect=True)
def test_a_refused_number_is_explained_in_the_chat(page, server, demo):
    """A page kept open from before (or a script) sending a number the demo does not take: the server's 403."""
    expect = sync_api.expect
    page.goto(server + "/")
    expect(page.locator(".persona").first).to_be_visible()
    page.evaluate("""() => localStorage.setItem("kaderbot.chat.+6281299990001", JSON.stringify({
        slot: "s-old", after: 0, transcript: [], infoClosed: true,
        persona: {role: "other", name: "Lama", phone: "+6281299990001", card_number: null, birth_date: null,
                  note: ""}}))""")
    page.goto(server + "/#/chat/%2B6281299990001")
    page.get_by_role("textbox", name="Pesan (message)").fill("SIAPA")
    page.get_by_role("button", name="Kirim (send)").click()
    expect(page.locator(".bubble-error")).to_contain_text("hanya nomor HP peserta atau kader demo")
    expect(page.get_by_role("button", name="Gagal, kirim ulang ↻")).to_be_visible()


# --- a small phone (360 px): nothing cut, nothing sideways -----------------------------------------------

SMALL = {"width": 360, "height": 740}

# Every element whose box leaves the viewport or whose text is wider than its box (scrollWidth > clientWidth),
# among those matching `selector`; [] when all fit. Hidden elements (no box) are skipped.
OVERFLOWING = """(selector) => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll(selector)].flatMap((node) => {
    const box = node.getBoundingClientRect();
    if (!box.width && !box.height) return [];
    const problems = [];
    if (box.left < 0 || box.right > width + 0.5) problems.push(`box ${box.left}..${box.right} of ${width}`);
    if (node.scrollWidth > node.clientWidth + 1) problems.push(`text ${node.scrollWidth} > ${node.clientWidth}`);
    return problems.length ? [`${node.className} "${node.textContent.trim().slice(0, 40)}": ${problems}`] : [];
  });
}"""


def open_persona(page, server, persona):  # type: ignore[no-untyped-def]
    page.set_viewport_size(SMALL)
    page.goto(server + "/")
    page.locator(f'.persona[data-phone="{persona.phone}"]').click()
    sync_api.expect(page.get_by_role("textbox", name="Pesan (message)")).to_be_focused()


def say(page, typed: str) -> None:  # type: ignore[no-untyped-def]
    count = page.locator(".bubble.bot").count()
    box = page.get_by_role("textbox", name="Pesan (message)")
    box.fill(typed)
    box.press("Enter")
    sync_api.expect(page.locator(".bubble.bot")).not_to_have_count(count)


def test_rehab_choices_fit_a_360_px_phone(page, server, demo):
    budi = next(p for p in demo if p.name == "Budi Santoso")
    open_persona(page, server, budi)
    for typed in ("REHAB", budi.card_number, budi.birth_date.strftime("%d-%m-%Y"), "YA"):
        say(page, typed)
    choices = page.get_by_role("group", name="Pilihan (choices)").last
    sync_api.expect(choices.get_by_role("button").filter(has_text="Rp630.000/bulan")).to_be_visible()
    screenshot(page, "webchat-360-rehab")
    assert page.evaluate(OVERFLOWING, ".choice, .choice *, .bubble, #chat-title, #chat-sub, #chat-sub *") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]


def test_the_menu_buttons_show_the_numbers_people_may_type(page, server, demo):
    budi = next(p for p in demo if p.name == "Budi Santoso")
    open_persona(page, server, budi)
    say(page, "MENU")
    buttons = page.get_by_role("group", name="Pilihan (choices)").last.get_by_role("button")
    sync_api.expect(buttons).to_have_count(8)
    labels = [" ".join(text.split()) for text in buttons.all_inner_texts()]
    assert [label.split(" ", 1)[0] for label in labels] == [str(n) for n in range(1, 9)], labels
    assert labels[0] == "1 Cek tunggakan keluarga"
    buttons.nth(7).click()  # "8 Bantuan": the number is not part of what is sent
    sync_api.expect(page.locator(".bubble.me").last).to_contain_text("Bantuan")
    sync_api.expect(page.get_by_role("log")).to_contain_text("Care Center 165")
    assert page.evaluate(OVERFLOWING, ".choice, .choice *") == []
    screenshot(page, "webchat-360-menu")


def test_the_info_panel_folds_away_and_never_takes_much_of_the_screen(page, server, demo):
    budi = next(p for p in demo if p.name == "Budi Santoso")
    open_persona(page, server, budi)
    info = page.locator("#info")
    sync_api.expect(info).to_contain_text(budi.card_number)
    screenshot(page, "webchat-360-info-open")
    assert info.bounding_box()["height"] <= 0.3 * SMALL["height"]
    toggle = page.get_by_role("button", name="Info persona")
    sync_api.expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    sync_api.expect(toggle).to_have_attribute("aria-expanded", "false")
    sync_api.expect(page.locator("#info-note")).to_be_hidden()
    assert info.bounding_box()["height"] <= 48
    assert page.locator("#log").bounding_box()["height"] >= 0.6 * SMALL["height"]
    screenshot(page, "webchat-360-info-closed")
    page.reload()  # the choice is remembered for this chat
    sync_api.expect(page.get_by_role("button", name="Info persona")).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Info persona").click()
    sync_api.expect(page.locator("#info-note")).to_be_visible()


def test_the_header_shows_the_whole_phone_number_of_every_persona(page, server, demo):
    page.set_viewport_size(SMALL)
    for persona in demo:
        page.goto(server + f"/#/chat/{persona.phone}")
        sub = page.locator("#chat-sub")
        phone = "+62 " + persona.phone[3:6] + "-" + persona.phone[6:10] + "-" + persona.phone[10:]
        sync_api.expect(sub).to_contain_text(phone)
        assert page.evaluate(OVERFLOWING, "#chat-title, .sub-phone") == [], persona.name
        shown = page.locator(".sub-phone").bounding_box()
        assert shown["x"] + shown["width"] <= SMALL["width"], persona.name
    screenshot(page, "webchat-360-header")


def test_persona_notes_are_indonesian_first_then_english(page, server, demo):
    page.set_viewport_size(SMALL)
    page.goto(server + "/")
    budi = next(p for p in demo if p.name == "Budi Santoso")
    note = page.locator(f'.persona[data-phone="{budi.phone}"] .persona-note')
    sync_api.expect(note).to_contain_text("menunggak 10 bulan")
    english = note.locator('[lang="en"]')
    sync_api.expect(english).to_contain_text("10 months behind")
    assert note.inner_text().index("menunggak") < note.inner_text().index("months behind")
    assert page.evaluate(OVERFLOWING, ".persona, .persona *") == []
    screenshot(page, "webchat-360-personas")


def test_a_demo_cadre_reports_a_days_visits_and_the_member_sees_the_receipt(page, server, demo, runtime):
    expect = sync_api.expect
    budi = next(p for p in demo if p.role == "member" and p.name == "Budi Santoso")
    sri = next(p for p in demo if p.role == "cadre" and "KDR-SKA-01" in p.name)
    assert budi.card_number and budi.card_number in sri.note
    page.goto(server + "/")
    box = page.get_by_role("textbox", name="Pesan (message)")
    log = page.get_by_role("log")
    back = page.get_by_role("button", name="Kembali ke daftar (back)")

    page.locator(f'.persona[data-phone="{budi.phone}"]').click()  # Budi's chat is open on the family's phone
    box.fill("HALO")
    box.press("Enter")
    expect(log).to_contain_text("Saya KaderBot JKN")
    back.click()

    page.locator(f'.persona[data-phone="{sri.phone}"]').click()
    box.fill("TUGAS")
    box.press("Enter")
    expect(log).to_contain_text("Tugas Senin, 2 Juni 2025 (5 rumah)")
    box.fill(f"LAPOR {budi.card_number} BAYAR 150rb")
    box.press("Enter")
    expect(log).to_contain_text("BAYAR Rp150.000")
    expect(log).to_contain_text("Tanda terima dikirim ke keluarga")
    # Reports are numbered by the database: the demo's visit history (ingest/demo_history.py) came first.
    first = int(re.findall(r"L-(\d{6})", log.inner_text())[-1])
    box.fill("UBAH BAYAR 200rb")
    box.press("Enter")
    expect(log).to_contain_text(f"L-{first + 1:06d} menggantikan L-{first:06d}")

    box.fill("LAPOR")  # guided: today's households as buttons, then the results
    box.press("Enter")
    expect(log).to_contain_text("Keluarga mana?")
    page.get_by_role("group", name="Pilihan (choices)").last.get_by_role("button").first.click()
    expect(log).to_contain_text("Hasil kunjungan ke")
    page.get_by_role("group", name="Pilihan (choices)").last.get_by_role("button", name="Tidak ada di rumah").click()
    expect(log).to_contain_text("Catatan singkat?")
    page.get_by_role("group", name="Pilihan (choices)").last.get_by_role("button", name="Simpan").click()
    expect(log).to_contain_text(f"L-{first + 2:06d}")
    box.fill("REKAP")
    box.press("Enter")
    expect(log).to_contain_text("Hari ini: 2 dari 5 rumah")
    expect(log).to_contain_text("████░░░░░░ 40%")
    screenshot(page, "webchat-cadre")
    back.click()
    runtime.sender.run_once()  # the sender's tick (every 5 s under make run) delivers the receipts

    page.locator(f'.persona[data-phone="{budi.phone}"]').click()
    expect(log).to_contain_text("Tanda terima KaderBot JKN: kader Sri Wahyuni (KDR-SKA-01) mencatat Rp200.000",
                                timeout=8_000)
    expect(log).to_contain_text(f"Koreksi: laporan L-{first:06d} diganti L-{first + 1:06d}")
