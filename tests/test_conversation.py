"""The conversation core through the web chat: dedupe, saved steps, typos, numbered choices, odd input."""

from __future__ import annotations

from sqlalchemy import func, select

from models import Chat, InboundMessage, OutboxMessage
from tests.transcript import Person


def test_menu_answers_in_indonesian_with_numbered_choices(runtime):
    reply = Person(runtime).says("menu")
    assert "Pilih salah satu" in reply
    assert "1. Cek tunggakan keluarga" in reply
    assert "8. Bantuan" in reply


def test_small_typos_are_forgiven(runtime):
    person = Person(runtime)
    assert "Pilih salah satu" in person.says("Menuu")
    assert "Care Center 165" in person.says("bantuan!")
    assert "Care Center 165" in person.says("BANTUN")


def test_a_number_picks_the_choice_offered_last(runtime):
    person = Person(runtime)
    person.send("MENU")
    assert "Care Center 165" in person.says("8")


def test_the_same_provider_message_is_processed_once(runtime, db):
    person = Person(runtime)
    first = person.send("MENU", provider_id="same-id")
    again = person.send("MENU", provider_id="same-id")
    assert first and again == []
    assert db.execute(select(func.count(InboundMessage.id))).scalar_one() == 1
    assert db.execute(select(func.count(OutboxMessage.id))).scalar_one() == 1


def test_language_switch_is_remembered(runtime):
    person = Person(runtime)
    assert "answer in English" in person.says("BAHASA EN")
    assert "Choose one" in person.says("MENU")
    assert "Bahasa Indonesia" in person.says("bahasa id")


def test_unreadable_and_empty_messages_get_a_kind_answer(runtime):
    person = Person(runtime)
    assert "hanya bisa membaca pesan teks" in person.says(media="sticker")
    assert "kosong" in person.says("   ")
    noise = "x" * 5000
    reply = person.says(noise)
    assert "belum mengerti" in reply and len(reply) < 600


def test_replies_are_sent_and_recorded_in_the_outbox(runtime, db):
    Person(runtime).send("HALO")
    row = db.execute(select(OutboxMessage)).scalar_one()
    assert row.status == "sent" and row.provider_id == f"web-{row.id}" and row.kind == "reply"


def test_a_half_finished_flow_times_out_politely(runtime, db):
    person = Person(runtime)
    assert "nomor kartu JKN" in person.says("CEK")
    person.wait(minutes=31)
    reply = person.says("0001944358911")
    assert "lewat 30 menit" in reply
    chat = db.execute(select(Chat)).scalar_one()
    assert chat.state is None


def test_nul_characters_and_broken_unicode_are_cleaned_not_crashed_on(runtime, db):
    reply = Person(runtime).says("MENU\x00\ud800")
    assert "Pilih salah satu" in reply
    assert db.execute(select(InboundMessage.text)).scalar_one() == "MENU?"


def test_reads_do_not_take_sqlites_write_lock(runtime):
    with runtime.reading() as reader:
        reader.execute(select(func.count(Chat.id))).scalar_one()
        # A writer gets through while the read transaction is open.
        assert "Pilih salah satu" in Person(runtime).says("MENU")
