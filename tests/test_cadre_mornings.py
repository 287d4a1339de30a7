"""Reconciliation (a BAYAR report is confirmed by a payments import, or told to the supervisor after the
delay) and the cadres' mornings: TUGAS at 07:00 in each cadre's own time zone on working days, the weekly
team digest, all planned once however often the planner runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from ingest import import_file
from models import Assignment, Cadre, Family, Member, OutboxMessage, Visit
from reminders.scheduler import cadre_mornings_once, start_scheduler
from rules.programme import ProgrammeRules
from tests.cadres import BUDI_KK, ENDANG_PHONE, SRI_PHONE, arrange_cadres
from tests.journeys import BUDI_CARD
from tests.transcript import Person


@pytest.fixture
def now() -> datetime:
    return datetime(2025, 6, 10, 0, 5, tzinfo=UTC)  # Tuesday 10 June, 07:05 WIB


@pytest.fixture
def branch(db):  # type: ignore[no-untyped-def]
    return arrange_cadres(db)


def chat_of(runtime, address: str, phone: str) -> Person:  # type: ignore[no-untyped-def]
    person = Person(runtime, address=address, phone=phone)
    person.send("HALO")  # the web chat exists and is recognised as the cadre's
    return person


def notices(db, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(db.scalars(select(OutboxMessage.body).where(OutboxMessage.address == address,
                                                            OutboxMessage.kind == "notice")
                           .order_by(OutboxMessage.id)))


def import_payments(runtime, tmp_path, *lines: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "payments.csv"
    path.write_text("reference,family_number,amount,paid_at,channel\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return import_file(runtime.sessions, "payments", path, today=date(2025, 6, 30), rules=runtime.services["rules"])


# --- reconciliation ------------------------------------------------------------------------------------------


def test_a_payments_import_confirms_a_reported_collection(runtime, branch, db, tmp_path):
    sri = chat_of(runtime, "web-sri", SRI_PHONE)
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    assert db.scalars(select(Visit.status)).one() == "reported"
    report = import_payments(runtime, tmp_path, f"PPOB-0001,{BUDI_KK},150000,2025-06-10 15:00,PPOB kader")
    assert report.inserted == 1
    visit = db.scalars(select(Visit)).one()
    assert visit.status == "confirmed" and visit.payment_id is not None
    assert "- terkonfirmasi: Rp150.000 (1 laporan)" in sri.says("REKAP")


def test_a_smaller_or_much_earlier_payment_does_not_confirm(runtime, branch, db, tmp_path):
    sri = chat_of(runtime, "web-sri", SRI_PHONE)
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    import_payments(runtime, tmp_path, f"BRI-1,{BUDI_KK},100000,2025-06-10 15:00,BRI VA",
                    f"BRI-2,{BUDI_KK},150000,2025-05-01 10:00,BRI VA")
    assert db.scalars(select(Visit.status)).one() == "reported"
    assert "- menunggu pembayaran tercatat: Rp150.000 (1 laporan)" in sri.says("REKAP")


def test_a_payment_imported_before_the_report_confirms_it_at_once(runtime, branch, db, tmp_path):
    import_payments(runtime, tmp_path, f"IDM-7,{BUDI_KK},150000,2025-06-09 19:00,Indomaret")
    sri = chat_of(runtime, "web-sri", SRI_PHONE)
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb sudah bayar di Indomaret")
    assert db.scalars(select(Visit.status)).one() == "confirmed"


def test_a_collection_unconfirmed_after_seven_days_is_flagged_to_the_supervisor_once(runtime, branch, db):
    sri = chat_of(runtime, "web-sri", SRI_PHONE)
    endang = chat_of(runtime, "web-endang", ENDANG_PHONE)
    sri.wait(days=-8)  # reported on Monday 2 June
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    sri.wait(days=6)  # Sunday 8 June: not yet 7 days
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 50rb")
    cadre_mornings_once(runtime)
    [flag] = [body for body in notices(db, "web-endang") if "Perlu dicek" in body]
    assert "L-000001 KDR-SKA-01, KK 3372********0001, Rp150.000, 2 Juni 2025" in flag
    assert "L-000002" not in flag
    cadre_mornings_once(runtime)
    assert len([body for body in notices(db, "web-endang") if "Perlu dicek" in body]) == 1
    assert db.get(Visit, 1).flagged_at is not None and db.get(Visit, 2).flagged_at is None
    assert "Setoran belum terkonfirmasi lebih dari 7 hari:\n- L-000001" in endang.says("REKAP TIM")


def test_the_reconciliation_delay_is_the_branchs(runtime, branch, db):
    runtime.services["rules"] = ProgrammeRules(report_confirm_days=3)
    sri = chat_of(runtime, "web-sri", SRI_PHONE)
    chat_of(runtime, "web-endang", ENDANG_PHONE)
    sri.wait(days=-4)
    sri.send(f"LAPOR {BUDI_CARD} BAYAR 150rb")
    cadre_mornings_once(runtime)
    assert any("sesudah 3 hari" in body and "L-000001" in body for body in notices(db, "web-endang"))


# --- the morning list ----------------------------------------------------------------------------------------


def arrange_jayapura_cadre(db) -> None:  # type: ignore[no-untyped-def]
    family = Family(number="9171010101250009", region_code="9171")
    db.add(family)
    db.flush()
    db.add(Member(card_number="0009000000091", nik="9171011204700001", name="Yohanes Kogoya",
                  birth_date=date(1970, 4, 12), family_id=family.id, relation="head", segment="PBPU", class_=3,
                  region_code="9171", paid_through=date(2023, 1, 1)))
    cadre = Cadre(code="KDR-JPR-01", name="Markus Rumbiak", phone="+6282199000301", region_code="9171")
    db.add(cadre)
    db.flush()
    db.add(Assignment(family_id=family.id, cadre_id=cadre.id))
    db.commit()


def lists(db) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(address, body) for address, body in db.execute(
        select(OutboxMessage.address, OutboxMessage.body).where(OutboxMessage.body.like("Tugas %"))
        .order_by(OutboxMessage.id))]


def test_tugas_arrives_at_seven_in_each_cadres_own_time_zone_once(runtime, branch, db):
    arrange_jayapura_cadre(db)
    chat_of(runtime, "web-sri", SRI_PHONE)
    chat_of(runtime, "web-markus", "+6282199000301")
    cadre_mornings_once(runtime, at=datetime(2025, 6, 8, 22, 5, tzinfo=UTC))  # Monday 07:05 WIT, 05:05 WIB
    assert [address for address, _ in lists(db)] == ["web-markus"]
    cadre_mornings_once(runtime, at=datetime(2025, 6, 9, 0, 5, tzinfo=UTC))  # 07:05 WIB, 09:05 WIT
    cadre_mornings_once(runtime, at=datetime(2025, 6, 9, 0, 20, tzinfo=UTC))
    sent = lists(db)
    assert [address for address, _ in sent] == ["web-markus", "web-sri"]
    assert sent[1][1].startswith("Tugas Senin, 9 Juni 2025 (3 rumah):\n1. Painem, KK 3372********0004: 14 bln")
    assert "TUGAS OFF" in sent[1][1]
    cadre_mornings_once(runtime, at=datetime(2025, 6, 9, 4, 0, tzinfo=UTC))  # 11:00 WIB: too late for a list
    assert len(lists(db)) == 2


@pytest.mark.parametrize("at", [datetime(2025, 6, 6, 0, 5, tzinfo=UTC), datetime(2025, 6, 7, 0, 5, tzinfo=UTC)],
                         ids=["Idul Adha", "Saturday"])
def test_no_list_on_national_holidays_or_weekends(runtime, branch, db, at):
    chat_of(runtime, "web-sri", SRI_PHONE)
    cadre_mornings_once(runtime, at=at)
    assert lists(db) == []


def test_a_cadre_who_turned_the_list_off_gets_none(runtime, branch, db):
    sri = chat_of(runtime, "web-sri", SRI_PHONE)
    sri.send("TUGAS OFF")
    cadre_mornings_once(runtime, at=datetime(2025, 6, 9, 0, 5, tzinfo=UTC))
    assert lists(db) == []


def test_supervisors_get_last_weeks_digest_on_the_first_working_day(runtime, branch, db):
    sri = chat_of(runtime, "web-sri", SRI_PHONE)
    chat_of(runtime, "web-endang", ENDANG_PHONE)
    sri.wait(days=-4)  # Friday 6 June... a holiday, but visits happen
    sri.send(f"LAPOR {BUDI_CARD} TIDAKADA")
    cadre_mornings_once(runtime, at=datetime(2025, 6, 9, 0, 5, tzinfo=UTC))
    cadre_mornings_once(runtime, at=datetime(2025, 6, 10, 0, 5, tzinfo=UTC))  # Tuesday: no second digest
    [digest] = [body for body in notices(db, "web-endang") if body.startswith("Ringkasan mingguan")]
    assert digest.startswith("Ringkasan mingguan tim Endang Lestari, minggu 2 Juni 2025 - 8 Juni 2025:")
    assert "- KDR-SKA-01 Sri Wahyuni: minggu 1/20 rumah" in digest
    assert "Belum lapor minggu ini: KDR-SKA-02 Bambang Sutrisno" in digest


def test_the_scheduler_runs_the_morning_planner_every_quarter_hour(runtime):
    scheduler = start_scheduler(runtime)
    try:
        job = scheduler.get_job("cadre-mornings")
        assert job is not None and str(job.trigger).startswith("cron[minute='0,15,30,45'")
    finally:
        scheduler.shutdown(wait=False)


def test_an_inactive_cadre_gets_nothing(runtime, branch, db):
    chat_of(runtime, "web-sri", SRI_PHONE)
    db.execute(update(Cadre).values(active=False))
    db.commit()
    cadre_mornings_once(runtime, at=datetime(2025, 6, 9, 0, 5, tzinfo=UTC))
    assert lists(db) == []



# --- by hand: flask --app app cadre-morning --at ISO [--dry-run] ---------------------------------------------


def test_the_morning_pass_by_hand_says_what_it_would_send_then_sends_it_once(app, runtime, branch, db):
    chat_of(runtime, "web-sri", SRI_PHONE)
    cli = app.test_cli_runner()
    monday_morning = ["cadre-morning", "--at", "2025-06-09T07:05:00+07:00"]
    dry = cli.invoke(args=[*monday_morning, "--dry-run"])
    assert dry.output == ("cadres whose working morning it is: 3\n"
                          "cadre task lists: 1; team digests: 0; unconfirmed collections flagged: 0 "
                          "(dry run: nothing queued or sent)\n")
    assert lists(db) == []
    done = cli.invoke(args=monday_morning)
    assert done.exit_code == 0, done.output
    assert "cadre task lists: 1; team digests: 0; unconfirmed collections flagged: 0; messages sent: 1" in done.output
    [(address, body)] = lists(db)
    assert address == "web-sri" and body.startswith("Tugas Senin, 9 Juni 2025 (3 rumah):")
    again = cli.invoke(args=monday_morning)  # the scheduler's own pass, or a second by hand: nothing more
    assert "cadre task lists: 0" in again.output and "messages sent: 0" in again.output
    assert len(lists(db)) == 1


def test_the_morning_pass_by_hand_outside_any_morning_says_when_mornings_are(app, runtime, branch, db):
    chat_of(runtime, "web-sri", SRI_PHONE)
    late = app.test_cli_runner().invoke(args=["cadre-morning", "--at", "2025-06-09T11:00:00+07:00"])
    assert late.output.startswith("cadres whose working morning it is: none (a cadre's morning is 07:00 for 3 "
                                  "hours in their own time zone, on working days)")
    assert lists(db) == []
    bad = app.test_cli_runner().invoke(args=["cadre-morning", "--at", "monday"])
    assert bad.exit_code != 0 and "'monday' is not an ISO 8601 moment, e.g. 2025-06-20T09:00+07:00" in bad.output
