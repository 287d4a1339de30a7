"""Cadre journeys in the web chat, as transcripts: report a day's visits in one line and guided, correct one,
see the list and the progress; authorisation, resends, receipts, JANJI and REHAB results."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from models import Cadre, Chat, OutboxMessage, Promise, Visit
from models.promises import promised_until
from tests.cadres import (
    BAMBANG_PHONE,
    BUDI_KK,
    BUDI_PHONE,
    ENDANG_PHONE,
    FAR_KK,
    FREE_KK,
    JOKO_KK,
    PAINEM_CARD,
    SRI_PHONE,
    SUPARMI_KK,
    arrange_cadres,
)
from tests.journeys import BUDI_CARD, verify
from tests.transcript import Person


@pytest.fixture
def branch(db):  # type: ignore[no-untyped-def]
    return arrange_cadres(db)


@pytest.fixture
def sri(runtime, branch):  # type: ignore[no-untyped-def]
    return Person(runtime, address="web-sri", phone=SRI_PHONE)


def notices_to(db, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(db.scalars(select(OutboxMessage.body).where(OutboxMessage.address == address,
                                                            OutboxMessage.kind == "notice")
                           .order_by(OutboxMessage.id)))


def standing(db) -> list[Visit]:  # type: ignore[no-untyped-def]
    return list(db.scalars(select(Visit).where(Visit.cancelled_at.is_(None)).order_by(Visit.id)))


def test_a_cadre_sees_the_cadre_menu_and_how_to_report(sri):
    menu = sri.says("halo")
    assert "Menu kader JKN" in menu and "1. Lapor kunjungan" in menu and "2. Tugas hari ini" in menu
    assert "LAPOR <no. kartu/KK> <HASIL>" in sri.says("BANTUAN")


def test_a_payment_reported_in_one_line_is_echoed_and_the_member_gets_a_receipt(runtime, sri, db):
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    member.send("HALO")
    echo = sri.says("lapor 0001944358911 bayr Rp150rb lewat tetangga")
    assert "✅ L-000001: KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp150.000, 2 Juni 2025 09.00 WIB" in echo
    assert "catatan: lewat tetangga" in echo and "Tanda terima dikirim ke keluarga" in echo
    assert "Budi Santoso" not in echo and BUDI_CARD not in echo
    [visit] = standing(db)
    assert (visit.result, visit.amount, visit.status, visit.note) == ("BAYAR", 150_000, "reported", "lewat tetangga")
    [receipt] = notices_to(db, "web-budi")
    for part in ("Sri Wahyuni (KDR-SKA-01)", "Rp150.000", "L-000001", "CEK KADER KDR-SKA-01"):
        assert part in receipt


def test_a_days_visits_in_one_message_each_echoed_with_its_number(sri, db):
    answer = sri.says(f"LAPOR\n{BUDI_CARD} bayar 150.000\n{SUPARMI_KK} tdk ada kemarin jam 16.00\n"
                      f"{PAINEM_CARD} janji 20/6\n{PAINEM_CARD} bayr\n0001 2345 bayar")
    assert "Baris 1: ✅ L-000001: KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp150.000" in answer
    assert "Baris 2: ✅ L-000002: KK 3372********0003 (Su••••• Wi••••), TIDAKADA, 1 Juni 2025 16.00 WIB" in answer
    assert "Baris 3: ✅ L-000003: KK 3372********0004 (Pa••••), JANJI tgl 20 Juni 2025" in answer
    assert "Baris 4: ✅ L-000004" in answer
    assert "Baris 5: ❌ Nomornya 8 angka. Nomor kartu 13 angka, nomor KK 16 angka." in answer
    assert [v.result for v in standing(db)] == ["BAYAR", "TIDAKADA", "JANJI", "BAYAR"]


def test_the_same_report_sent_twice_is_recorded_once(sri, db):
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150000")
    again = sri.says(f"lapor  {BUDI_CARD}  bayar  Rp150.000")  # a resend after bad signal: a new message id
    assert "L-000001 sudah tercatat sebelumnya" in again
    assert len(standing(db)) == 1
    assert "L-000002" in sri.says(f"LAPOR {BUDI_CARD} BAYAR 200000")  # a different report is a new one


def test_a_provider_retry_of_the_same_message_is_processed_once(sri, db):
    sri.send(f"LAPOR {BUDI_CARD} TOLAK", provider_id="wamid-1")
    assert sri.send(f"LAPOR {BUDI_CARD} TOLAK", provider_id="wamid-1") == []
    assert len(standing(db)) == 1


@pytest.mark.parametrize("number", [JOKO_KK, FAR_KK, "3372999999999999", "0009999999999"],
                         ids=["another cadre's", "outside the area", "no such KK", "no such card"])
def test_cadre_cannot_report_for_household_outside_their_list(sri, db, number):
    answer = sri.says(f"LAPOR {number} BAYAR 150rb")
    masked = number[:4] + "*" * (len(number) - 8) + number[-4:]
    assert answer.startswith(f"❌ Nomor {masked} tidak ada di daftar Anda atau di wilayah Anda.")
    assert standing(db) == []


def test_a_household_in_the_cadres_area_on_nobodys_list_may_be_reported(sri, db):
    assert "✅ L-000001: KK 3372********0002 (Ag•• Sa•••), EDUKASI" in sri.says(f"LAPOR {FREE_KK} edukasi autodebet")


def test_a_registration_of_an_unknown_household_is_recorded_without_revealing_anything(sri, db):
    unknown = sri.says("LAPOR 3372999999999999 DAFTAR bayi baru")
    elsewhere = sri.says(f"LAPOR {JOKO_KK} DAFTAR")
    assert "✅ L-000001: no. 3372********9999, DAFTAR" in unknown
    assert "✅ L-000002: no. 3372********0005, DAFTAR" in elsewhere
    assert [(v.family_id, v.household) for v in standing(db)] == [(None, "3372999999999999"), (None, JOKO_KK)]


def test_someone_who_is_not_a_cadre_cannot_report(runtime, branch, db):
    stranger = Person(runtime, address="web-stranger", phone="+6289999999999")
    assert "khusus kader JKN" in stranger.says(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    assert standing(db) == []


def test_batal_cancels_the_last_report_and_the_history_keeps_it(runtime, sri, db):
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    member.send("HALO")
    sri.send(f"LAPOR {SUPARMI_KK} TOLAK")
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    assert "L-000002 dibatalkan (KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp150.000" in sri.says("BATAL")
    assert "L-000001 dibatalkan" in sri.says("batal")
    assert "Tidak ada laporan Anda hari ini" in sri.says("BATAL")
    visits = db.scalars(select(Visit).order_by(Visit.id)).all()
    assert len(visits) == 2 and all(v.cancelled_at is not None for v in visits)
    receipt, cancelled = notices_to(db, "web-budi")
    assert "L-000002" in receipt and "L-000002 (Rp150.000)" in cancelled and "dibatalkan oleh kader" in cancelled
    # cancelled, the same report may be sent again and is recorded anew
    assert "✅ L-000003" in sri.says(f"LAPOR {BUDI_CARD} BAYAR 150rb")


def test_batal_reaches_only_reports_of_the_same_day(runtime, sri, db):
    sri.send(f"LAPOR {BUDI_CARD} TOLAK")
    sri.wait(days=1)
    assert "Tidak ada laporan Anda hari ini" in sri.says("BATAL")
    assert "Tidak ada laporan Anda hari ini" in sri.says("UBAH TIDAKADA")
    assert len(standing(db)) == 1


def test_ubah_corrects_the_last_report_and_the_member_hears_of_it(runtime, sri, db):
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    member.send("HALO")
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    answer = sri.says("UBAH bayar 200rb")
    assert "✅ L-000002: KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp200.000" in answer
    assert "L-000002 menggantikan L-000001." in answer
    old, new = db.scalars(select(Visit).order_by(Visit.id)).all()
    assert old.cancelled_at is not None and new.replaces_id == old.id and new.cancelled_at is None
    first, corrected = notices_to(db, "web-budi")
    assert "Rp150.000" in first
    assert corrected.startswith("Koreksi: laporan L-000001 diganti L-000002.") and "Rp200.000" in corrected


def test_ubah_alone_asks_for_the_correction_and_may_change_the_household(sri, db):
    sri.send(f"LAPOR {BUDI_CARD} TIDAKADA")
    ask = sri.says("UBAH")
    assert "Laporan terakhir: L-000001 (KK 3372********0001" in ask
    answer = sri.says(f"{SUPARMI_KK} tidak ada")
    assert "L-000002: KK 3372********0003" in answer and "menggantikan L-000001" in answer
    refused = sri.says(f"UBAH {JOKO_KK} tolak")
    assert "tidak ada di daftar Anda" in refused
    assert [v.family_id is not None for v in standing(db)] == [True]  # the refused correction changed nothing


def test_a_janji_report_is_a_promise_that_pauses_reminders(sri, branch, db):
    answer = sri.says(f"LAPOR {BUDI_CARD} janji 20/6 150rb")
    assert "JANJI tgl 20 Juni 2025 Rp150.000" in answer
    promise = db.scalars(select(Promise)).one()
    assert promise.promised_on == date(2025, 6, 20) and promise.cadre_id == branch.sri.id
    assert promised_until(db, branch.budi.id, date(2025, 6, 10)) == date(2025, 6, 20)
    assert "Janji bayar paling lama 60 hari" in sri.says(f"LAPOR {BUDI_CARD} janji 20/9")
    sri.send("BATAL")
    assert db.scalars(select(Promise)).all() == []  # a cancelled promise no longer pauses anything


def test_a_rehab_report_starts_the_rehab_journey_next_time_the_family_writes(runtime, sri, db):
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    verify(member)
    sri.send(f"LAPOR {BUDI_CARD} REHAB tertarik 5x")
    answer = member.says("halo")
    assert "Kader Sri Wahyuni mencatat keluarga Anda ingin ikut REHAB" in answer
    assert "Mau dicicil berapa kali?" in answer
    assert "Pilih salah satu" in member.says("MENU")  # once only: afterwards the menu is the menu


def test_a_rehab_report_for_a_family_not_yet_linked_asks_who_they_are_first(runtime, sri, db):
    sri.send(f"LAPOR {BUDI_CARD} REHAB")
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    first = member.says("selamat pagi")
    assert "ingin ikut REHAB" in first and "nomor kartu JKN" in first
    member.send(BUDI_CARD)
    member.send("17-08-1985")
    assert "Mau dicicil berapa kali?" in member.says("YA")


def test_the_guided_report_with_choices(runtime, sri, db):
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    member.send("HALO")
    households = sri.says("LAPOR")
    assert "Keluarga mana?" in households
    assert "1. Pa•••• (KK 3372********0004)" in households and "Bu•• Sa•••••" in households
    choice = next(number for number, (_key, label) in enumerate(sri.choices(), 1) if "Bu••" in label)
    results = sri.says(str(choice))
    assert "Hasil kunjungan ke Bu•• Sa••••• (KK 3372********0001)?" in results and "1. Bayar / setor" in results
    assert "Berapa yang dibayar" in sri.says("1")
    assert "Jumlah \"15o\" tidak terbaca" in sri.says("15o")
    assert "Catatan singkat?" in sri.says("150rb")
    echo = sri.says("titip ke RT")
    assert "✅ L-000001: KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp150.000" in echo and "titip ke RT" in echo
    visit = db.scalars(select(Visit)).one()
    assert visit.via == "guided" and visit.status == "reported"
    assert "L-000001" in notices_to(db, "web-budi")[0]


def test_the_guided_report_takes_a_typed_number_a_promise_date_and_a_location(runtime, sri, db):
    sri.send("LAPOR")
    assert "tidak ada di daftar Anda" in sri.says(JOKO_KK)
    assert "Hasil kunjungan" in sri.says(BUDI_KK)
    assert "Janji bayar tanggal berapa?" in sri.says("janji")
    assert "Catatan singkat?" in sri.says("25/6")
    received = sri.send_location(-7.5666, 110.8166)
    assert "Lokasi diterima" in received
    echo = sri.says(choice="SIMPAN")
    assert "JANJI tgl 25 Juni 2025" in echo and "📍" in echo
    visit = db.scalars(select(Visit)).one()
    assert (visit.latitude, visit.longitude, visit.promised_on) == (-7.5666, 110.8166, date(2025, 6, 25))


def test_a_location_sent_after_a_one_line_report_is_attached_to_it(sri, db):
    assert "Lokasi diterima, tapi tidak ada laporan" in sri.send_location(-7.5, 110.8)
    sri.send(f"LAPOR {BUDI_CARD} TIDAKADA")
    assert "Lokasi disimpan untuk L-000001" in sri.send_location(-7.56, 110.81)
    assert db.scalars(select(Visit.latitude)).one() == -7.56


def test_another_command_during_the_guided_report_is_answered(sri, db):
    sri.send("LAPOR")
    assert "Tugas Senin, 2 Juni 2025" in sri.says("TUGAS")
    assert db.scalars(select(Chat.state).where(Chat.address == "web-sri")).one() is None
    sri.send("LAPOR")
    assert "Menu kader JKN" in sri.says("BATAL")  # in a flow BATAL leaves it, cancelling nothing


def test_tugas_lists_the_days_households_best_first_and_can_be_turned_off(sri, branch, db):
    sri.send(f"LAPOR {PAINEM_CARD} TIDAKADA")
    tasks = sri.says("TUGAS")
    lines = [line for line in tasks.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert lines[0].startswith("1. Budi Santoso, KK 3372********0001: 10 bln, Rp1.050.000; belum pernah dikunjungi")
    assert lines[1].startswith("2. Suparmi Wibowo, KK 3372********0003: 7 bln")
    assert lines[2].startswith("3. Painem, KK 3372********0004: 14 bln") and "sudah dikunjungi hari ini" in lines[2]
    assert "dimatikan" in sri.says("TUGAS OFF")
    assert db.get(Cadre, branch.sri.id).daily_tasks is False
    assert "dinyalakan" in sri.says("tugas on")
    assert db.get(Cadre, branch.sri.id).daily_tasks is True


def test_rekap_shows_progress_against_targets_and_both_collection_states(sri, db):
    sri.send(f"LAPOR\n{BUDI_CARD} bayar 150rb\n{SUPARMI_KK} tolak\n{SUPARMI_KK} edukasi\n{PAINEM_CARD} bayar 50rb kemarin")
    first = db.scalars(select(Visit).where(Visit.amount == 150_000)).one()
    first.status = "confirmed"
    db.commit()
    progress = sri.says("REKAP")
    assert "Rekap Sri Wahyuni (KDR-SKA-01), Senin, 2 Juni 2025:" in progress
    assert "Hari ini: 2 dari 5 rumah\n████░░░░░░ 40%" in progress
    assert "Minggu ini: 2 dari 20 rumah" in progress  # Idul Adha on Friday: 4 working days
    assert "Bulan ini: 3 dari" in progress and "Periode 1 Januari 2025 - 30 Juni 2025: 3 dari 500 rumah" in progress
    assert "Setoran bulan ini: Rp200.000 dari Rp12.000.000" in progress
    assert "- terkonfirmasi: Rp150.000 (1 laporan)" in progress
    assert "- menunggu pembayaran tercatat: Rp50.000 (1 laporan)" in progress


def test_rekap_tim_is_for_supervisors_and_names_who_has_not_reported(runtime, sri, db):
    endang = Person(runtime, address="web-endang", phone=ENDANG_PHONE)
    bambang = Person(runtime, address="web-bambang", phone=BAMBANG_PHONE)
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    team = endang.says("REKAP TIM")
    assert "Rekap tim Endang Lestari, minggu 2 Juni 2025 - 8 Juni 2025:" in team
    assert "- KDR-SKA-01 Sri Wahyuni: minggu 1/20 rumah" in team and "setoran Rp150.000 (1%)" in team
    assert "Belum lapor minggu ini: KDR-SKA-02 Bambang Sutrisno" in team
    assert "khusus supervisor" in bambang.says("REKAP TIM")
    assert "4. Rekap tim" in endang.says("MENU")


def test_a_cadre_who_is_also_a_member_switches_between_the_menus(runtime, branch, db):
    # Sri's own family is Budi's: her phone is on the members file too
    db.execute(update(Cadre).where(Cadre.id == branch.sri.id).values(phone=BUDI_PHONE))
    db.commit()
    sri = Person(runtime, address="web-sri", phone=BUDI_PHONE)
    menu = sri.says("MENU")
    assert "Menu kader JKN" in menu and "Menu peserta" in menu
    member_menu = sri.says("MENU PESERTA")
    assert "Anda di menu peserta" in member_menu and "Cek tunggakan keluarga" in member_menu
    assert "Menu kader" in member_menu
    assert "Pilih salah satu" in sri.says("BATAL")  # a member's BATAL: nothing is cancelled
    assert "Menu kader JKN" in sri.says("MENU KADER")


def test_members_still_leave_a_flow_with_batal(runtime, branch, db):
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    member.send("CEK")
    assert "Pilih salah satu" in member.says("BATAL")
    assert db.scalars(select(Chat.state).where(Chat.address == "web-budi")).one() is None


def test_the_rest_of_the_line_at_the_result_step_is_recorded_at_once(sri, db):
    sri.send("LAPOR")
    sri.send(BUDI_CARD)
    echo = sri.says("bayar 150rb di rumah")
    assert "✅ L-000001: KK 3372********0001 (Bu•• Sa•••••), BAYAR Rp150.000" in echo and "di rumah" in echo
    assert db.scalars(select(Chat.state).where(Chat.address == "web-sri")).one() is None


def test_receipts_follow_the_members_language(runtime, sri, db):
    member = Person(runtime, address="web-budi", phone=BUDI_PHONE)
    member.send("BAHASA EN")
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    [receipt] = notices_to(db, "web-budi")
    assert receipt.startswith("KaderBot JKN receipt: cadre Sri Wahyuni (KDR-SKA-01) recorded Rp150.000")
    assert "2 June 2025 09.00 WIB" in receipt
