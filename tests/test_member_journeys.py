"""Member journeys as transcripts in the web chat: what a member types, what they read back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditEntry, Chat, ChatFamily, Consent, OutboxMessage, Promise, Ticket
from tests.journeys import (
    AGUS_CARD,
    AGUS_NIK,
    BUDI_CARD,
    BUDI_NIK,
    BUDI_PHONE,
    CADRE_PHONE,
    arrange_branch,
    verify,
)
from tests.transcript import Person

# Expected figures from the rates (Kelas III member share Rp35.000 since 2021), not from the code under test.
MONTHLY_FAMILY = 3 * 35_000
ARREARS = 10 * MONTHLY_FAMILY  # August 2024 .. May 2025


@pytest.fixture
def branch(db):
    return arrange_branch(db)


def test_cek_proves_identity_then_shows_the_whole_family(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    assert "nomor kartu JKN (13 angka) atau NIK (16 angka)" in member.says("CEK")
    assert "tanggal lahir" in member.says("0001 9443 5891 1")
    assert "setuju" in member.says("17 Agustus 1985")
    reply = member.says("YA")
    assert "Terima kasih Budi, data Anda cocok." in reply
    assert "- Budi (0001*****8911): 10 bulan, Rp350.000" in reply
    assert "- Siti (0001*****8922): 10 bulan, Rp350.000" in reply
    assert "Total tunggakan: Rp1.050.000 (10 bulan)" in reply
    assert "TIDAK AKTIF sejak 1 September 2024" in reply
    assert f"Rp{ARREARS + MONTHLY_FAMILY:,}".replace(",", ".") in reply  # Rp1.155.000 to reactivate
    assert "45 hari" in reply and "REHAB" in reply
    assert BUDI_CARD not in reply  # identifiers masked
    consent = db.execute(select(Consent)).scalar_one()
    assert consent.channel == "web" and consent.granted_at is not None and consent.withdrawn_at is None
    assert db.execute(select(AuditEntry.action)).scalars().all() == ["view_arrears"]
    # Linked now: no more questions.
    assert "Total tunggakan: Rp1.050.000" in member.says("cek")


@pytest.mark.parametrize("typed", ["17-08-1985", "17/8/1985", "1985-08-17", "17 Agustus 1985", "17 agt 85"])
def test_birth_dates_in_every_common_form(runtime, branch, typed):
    assert "Rp1.050.000" in verify(Person(runtime, phone=BUDI_PHONE), birth=typed)


def test_nik_works_as_well_as_the_card_number(runtime, branch):
    assert "Rp1.050.000" in verify(Person(runtime, phone=BUDI_PHONE), card=BUDI_NIK)


def test_wrong_numbers_get_a_kind_explanation(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    assert "12 angka" in member.says("000194435891")
    # A number nobody has is answered as any number not linked to this phone: the NIK is asked too.
    assert "ketik juga NIK" in member.says("0009999999999")
    assert "bukan nomor kartu" in member.says("hah?")
    assert "hanya bisa membaca pesan teks" in member.says(media="sticker")
    assert "tanggal lahir" in member.says(BUDI_CARD)  # a corrected card number starts over; the phone is on file
    assert "belum terbaca" in member.says("kemarin")
    assert "masa depan" in member.says("01-01-2030")


def test_five_wrong_birth_dates_lock_the_family_for_an_hour(runtime, branch):
    guesser = Person(runtime, address="web-guesser")  # writes from no phone on file: the NIK is asked too
    guesser.send("CEK")
    guesser.send(BUDI_CARD)
    guesser.send(BUDI_NIK)
    for left in (4, 3, 2, 1):
        assert f"Sisa percobaan: {left}" in guesser.says("01-01-1980")
    locked = guesser.says("01-01-1980")
    assert "dikunci" in locked and "60 menit" in locked
    # Even the right date, even from another chat, is refused while locked; nothing leaks.
    other = Person(runtime, address="web-other")
    other.send("CEK")
    other.send(BUDI_CARD)
    other.send(BUDI_NIK)
    reply = other.says("17-08-1985")
    assert "dikunci" in reply and "Budi" not in reply
    other.wait(minutes=61)
    assert "Rp1.050.000" in verify(other, second=BUDI_NIK)


def test_without_consent_nothing_personal_is_shown(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    member.send(BUDI_CARD)
    member.send("17-08-1985")
    reply = member.says("TIDAK")
    assert "tidak kami tampilkan" in reply and "Rp" not in reply
    assert db.execute(select(ChatFamily)).first() is None


def test_hapus_withdraws_consent_and_unlinks(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    assert "ditarik" in member.says("HAPUS")
    assert db.execute(select(Consent.withdrawn_at)).scalar_one() is not None
    assert "nomor kartu JKN" in member.says("CEK")


def test_a_shared_phone_links_two_families_and_asks_which(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send("TAMBAH")
    member.send(AGUS_CARD)
    member.send(AGUS_NIK)  # Agus's family has no phone on file: his NIK is the second factor
    member.send("12-12-1990")
    assert "Tidak ada tunggakan" in member.says("YA")
    assert "Tidak ada tunggakan" in member.says("CEK")  # the family just proved stays chosen
    member.send("MENU")
    ask = member.says("CEK")
    assert "beberapa keluarga" in ask and "Budi" in ask and "Agus" in ask
    assert "Rp1.050.000" in member.says("1")


def test_bayar_shows_the_family_virtual_accounts(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    general = member.says("BAYAR")
    assert "88888 + 11 angka terakhir" in general and "Indomaret" in general
    verify(member)
    reply = member.says("BAYAR")
    assert "8888801944358911" in reply and "8988801944358911" in reply
    assert "autodebet" in reply


def test_janji_pauses_reminders_until_a_date_and_the_cadre_sees_it(runtime, branch, db):
    Person(runtime, address="web-cadre", phone=CADRE_PHONE).send("HALO")
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    assert "20 Juni 2025" in member.says("JANJI 20/6")
    assert db.execute(select(Promise.promised_on)).scalar_one() == date(2025, 6, 20)
    to_cadre = db.execute(select(OutboxMessage.body).where(OutboxMessage.address == "web-cadre",
                                                           OutboxMessage.kind == "notice")).scalar_one()
    assert "berjanji membayar paling lambat 20 Juni 2025" in to_cadre and "Budi Santoso" in to_cadre
    assert "paling lama 60 hari" in member.says("JANJI 15-09-2025")
    assert "3 Juni 2025" in member.says("besok")  # the flow asked again; a word date works


def test_a_cadre_reading_english_reads_the_promised_date_in_english(runtime, branch, db):
    cadre = Person(runtime, address="web-cadre", phone=CADRE_PHONE)
    cadre.send("HALO")
    cadre.send("BAHASA EN")
    member = Person(runtime, phone=BUDI_PHONE)  # the member reads Indonesian, the cadre English
    verify(member)
    assert "20 Juni 2025" in member.says("JANJI 20/6")
    to_cadre = db.execute(select(OutboxMessage.body).where(OutboxMessage.address == "web-cadre",
                                                           OutboxMessage.kind == "notice")).scalar_one()
    assert to_cadre == "Family KK 3372********0001 (Budi Santoso) promised to pay by 20 June 2025."


def test_stop_is_honoured_at_once_even_mid_flow(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    assert "pengingat iuran dihentikan" in member.says("STOP")
    chat = db.execute(select(Chat)).scalar_one()
    assert chat.reminders_stopped_at is not None and chat.state is None
    assert "sudah berhenti" in member.says("berhenti")
    assert "aktif lagi" in member.says("MULAI")
    db.refresh(chat)
    assert chat.reminders_stopped_at is None


def test_cek_kader_tells_real_from_fake(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    assert "TERDAFTAR dan AKTIF" in member.says("cek kader kdr-ska-01")
    assert "Kota Surakarta" in member.says("CEK KADER KDR-SKA-01")
    assert "TIDAK TERDAFTAR" in member.says("CEK KADER KDR-XXX-99")


def test_kader_shows_the_family_cadre(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    assert "Sri Wahyuni (kode KDR-SKA-01)" in member.says("KADER")


def test_a_complaint_reaches_the_cadre_and_the_answer_comes_back(runtime, branch, db):
    cadre = Person(runtime, address="web-cadre", phone=CADRE_PHONE)
    cadre.send("HALO")  # the cadre's chat exists and is recognised by phone
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    reply = member.says("KELUHAN kartu anak saya belum aktif")
    assert "K-000001" in reply and "Sri Wahyuni" in reply
    ticket = db.execute(select(Ticket)).scalar_one()
    assert ticket.text == "kartu anak saya belum aktif"
    to_cadre = db.execute(select(OutboxMessage).where(OutboxMessage.address == "web-cadre",
                                                      OutboxMessage.kind == "notice")).scalar_one()
    assert "K-000001" in to_cadre.body and "kartu anak saya belum aktif" in to_cadre.body
    assert "terkirim" in cadre.says("JAWAB K-000001 besok saya datang jam 9")
    answer = db.execute(select(OutboxMessage).where(OutboxMessage.address == "web-test",
                                                    OutboxMessage.kind == "notice")).scalar_one()
    assert "besok saya datang jam 9" in answer.body
    assert "dijawab" in member.says("TIKET")


def test_only_the_assigned_cadre_can_answer_a_ticket(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send("KELUHAN tolong")
    stranger = Person(runtime, address="web-stranger", phone="+6289999999999")
    assert "khusus kader" in stranger.says("JAWAB K-000001 halo")


def test_someone_not_yet_a_member_can_ask_for_a_cadre_visit(runtime, branch, db):
    person = Person(runtime, address="web-new", phone="+6285700001111")
    info = person.says("DAFTAR")
    assert "Kartu Keluarga wajib didaftarkan" in info and "Minta kunjungan kader" in info
    assert "kota/kabupaten" in person.says("1")
    assert "Kota Surakarta" in person.says("surakarta")
    ticket = db.execute(select(Ticket)).scalar_one()
    assert ticket.kind == "registration" and ticket.region_code == "3372" and ticket.cadre_id is not None


def test_english_on_request(runtime, branch):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("BAHASA EN")
    reply = verify(member)
    assert "Total arrears: Rp1.050.000 (10 months)" in reply
    assert "NOT ACTIVE since 1 September 2024" in reply


def test_menu_always_leaves_a_flow(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    member.send("CEK")
    assert "Pilih salah satu" in member.says("MENU")
    assert db.execute(select(Chat.state)).scalar_one() is None
