"""Dues, REHAB and promise reminders, end to end through `flask --app app remind --at ...` into the web chat:
what the member reads, once, inside their own send window, and nothing once they paid, enrolled, promised
or said STOP."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update

from models import Family, Member, OutboxMessage, Payment, Reminder
from rules.programme import ProgrammeRules
from tests.journeys import BUDI_PHONE, CADRE_PHONE, arrange_branch, verify
from tests.transcript import Person


def remind(app, at: str) -> str:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["remind", "--at", at])
    assert result.exit_code == 0, result.output
    return result.output


def reminders_to(db, person: Person) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    return list(db.execute(select(OutboxMessage).where(
        OutboxMessage.address == person.address, OutboxMessage.kind.in_(("reminder", "broadcast")))
        .order_by(OutboxMessage.id)).scalars())


def member_of_budis_family(runtime, db, paid_through: date = date(2024, 7, 1)) -> Person:  # type: ignore[no-untyped-def]
    arrange_branch(db, paid_through=paid_through)
    person = Person(runtime, address="web-budi", phone=BUDI_PHONE)  # the phone on file: the second factor
    verify(person)
    return person


def test_a_family_in_arrears_is_reminded_once_with_the_amount_the_va_and_the_rehab_offer(app, runtime, db):
    budi = member_of_budis_family(runtime, db)
    output = remind(app, "2025-06-20T02:00:00+00:00")  # 09:00 WIB on the 20th: the arrears day
    assert "queued to send: dues_arrears 1 (web 1)" in output
    [reminder] = reminders_to(db, budi)
    assert reminder.status == "sent"
    # 11 months (August 2024 to June 2025) x 3 people x Rp35.000, June being past its due day
    assert "KK 3372********0001" in reminder.body and "11 bulan" in reminder.body
    assert "Rp1.155.000" in reminder.body
    assert "8888801944358911" in reminder.body and "8988801944358911" in reminder.body
    assert "REHAB" in reminder.body and "2 sampai 5 kali" in reminder.body
    assert "STOP" in reminder.body

    again = remind(app, "2025-06-22T02:00:00+00:00")  # the same slot: planned once, sent once
    assert "queued to send: nothing" in again
    assert len(reminders_to(db, budi)) == 1


def test_an_up_to_date_family_hears_before_the_10th_and_in_english_if_they_chose_it(app, runtime, db):
    budi = member_of_budis_family(runtime, db, paid_through=date(2025, 5, 1))
    budi.send("BAHASA EN")
    remind(app, "2025-06-07T03:00:00+00:00")
    [reminder] = reminders_to(db, budi)
    assert "the dues for June 2025 are Rp105.000, to pay by 10 June 2025" in reminder.body
    assert "Type STOP" in reminder.body


def test_a_payment_after_planning_means_nothing_is_sent(app, runtime, db):
    budi = member_of_budis_family(runtime, db, paid_through=date(2025, 5, 1))
    late = remind(app, "2025-06-27T13:30:00+00:00")  # 20:30 WIB: planned, and deferred to 08:00 tomorrow
    assert "deferred to the next send window: 1" in late
    assert "waiting for their send time: 1" in late
    assert reminders_to(db, budi) == []
    db.execute(update(Member).values(paid_through=date(2025, 6, 1)))  # the payments import ran meanwhile
    db.commit()
    later = remind(app, "2025-06-28T02:00:00+00:00")
    assert "skipped: paid 1" in later
    assert reminders_to(db, budi) == []


def test_the_last_reminder_before_the_month_ends_says_when_coverage_stops(app, runtime, db):
    budi = member_of_budis_family(runtime, db, paid_through=date(2025, 5, 1))
    remind(app, "2025-06-28T02:00:00+00:00")
    [reminder] = reminders_to(db, budi)
    assert "Rp105.000" in reminder.body and "30 Juni 2025" in reminder.body and "1 Juli 2025" in reminder.body


def test_a_reminder_due_on_a_holiday_waits_for_the_next_day_that_is_not_one(app, runtime, db):
    budi = member_of_budis_family(runtime, db, paid_through=date(2025, 2, 1))  # March unpaid near its end
    late = remind(app, "2025-03-28T13:30:00+00:00")  # Friday 20:30 WIB: the window has closed
    assert "planned: dues 1" in late and "deferred to the next send window: 1" in late
    nyepi = remind(app, "2025-03-29T03:00:00+00:00")  # Saturday 10:00 WIB, Nyepi: a national holiday
    assert "queued to send: nothing" in nyepi and "waiting for their send time: 1" in nyepi
    assert reminders_to(db, budi) == []
    remind(app, "2025-03-30T01:00:00+00:00")  # Sunday 08:00 WIB
    [reminder] = reminders_to(db, budi)
    assert "31 Maret 2025" in reminder.body and "tidak aktif mulai 1 April 2025" in reminder.body


def test_a_branch_holiday_holds_its_region_back_and_not_the_others(app, runtime, db):
    runtime.services["rules"] = ProgrammeRules(extra_holidays=("2025-06-20:3372",))  # a local day off in Solo
    solo = member_of_budis_family(runtime, db)
    add_family(db, "6472010101250001", "6472", "0003000000011", "6472010101800001")
    samarinda = Person(runtime, address="web-smd")
    verify(samarinda, card="0003000000011", birth="01-01-1980", second="6472010101800001")
    output = remind(app, "2025-06-20T02:00:00+00:00")  # 09:00 WIB, 10:00 WITA
    assert "queued to send: dues_arrears 1 (web 1)" in output and "deferred to the next send window: 1" in output
    assert len(reminders_to(db, samarinda)) == 1 and reminders_to(db, solo) == []
    remind(app, "2025-06-21T01:00:00+00:00")  # Saturday 08:00 WIB
    assert len(reminders_to(db, solo)) == 1


def test_stop_and_a_promise_hold_reminders_back_and_enrolment_replaces_them(app, runtime, db):
    budi = member_of_budis_family(runtime, db)
    budi.send("JANJI 25-06-2025")
    remind(app, "2025-06-20T02:00:00+00:00")
    assert reminders_to(db, budi) == []  # promised until the 25th: not even planned
    budi.send("STOP")
    remind(app, "2025-06-30T02:00:00+00:00")
    assert reminders_to(db, budi) == []


def test_a_promise_that_passed_unpaid_is_followed_up_with_the_member_and_the_cadre(app, runtime, db):
    budi = member_of_budis_family(runtime, db)
    cadre = Person(runtime, address="whatsapp-like-cadre", phone=CADRE_PHONE)
    cadre.send("SIAPA")
    budi.send("JANJI 12-06-2025")
    remind(app, "2025-06-12T05:00:00+00:00")  # the promise day itself: nothing yet
    assert reminders_to(db, budi) == []
    output = remind(app, "2025-06-13T02:00:00+00:00")
    assert "promise_cadre 1" in output and "promise_passed 1" in output
    [to_member] = reminders_to(db, budi)
    assert "12 Juni 2025" in to_member.body and "JANJI" in to_member.body
    [to_cadre] = db.execute(select(OutboxMessage).where(OutboxMessage.address == cadre.address,
                                                        OutboxMessage.kind == "reminder")).scalars().all()
    assert "Budi Santoso" in to_cadre.body and "3372********0001" in to_cadre.body
    remind(app, "2025-06-14T02:00:00+00:00")
    assert len(reminders_to(db, budi)) == 1


def test_a_payment_after_the_promise_means_no_follow_up(app, runtime, db):
    budi = member_of_budis_family(runtime, db)
    budi.send("JANJI 12-06-2025")
    family = db.execute(select(Family).where(Family.number == "3372010101250001")).scalar_one()
    db.add(Payment(reference="BRI-1", family_id=family.id, amount=105_000,
                   paid_at=datetime(2025, 6, 11, 3, 0, tzinfo=UTC), channel="BRI VA"))
    db.commit()
    remind(app, "2025-06-13T02:00:00+00:00")
    assert reminders_to(db, budi) == []


def test_rehab_instalments_are_reminded_before_their_due_date_and_on_it(app, runtime, db):
    budi = member_of_budis_family(runtime, db)
    budi.send("REHAB")
    budi.send("5")
    budi.send("YA")  # enrolled on 2 June: the first instalment is due on 10 June
    remind(app, "2025-06-07T02:00:00+00:00")
    remind(app, "2025-06-08T02:00:00+00:00")
    remind(app, "2025-06-10T02:00:00+00:00")
    bodies = [row.body for row in reminders_to(db, budi)]
    assert len(bodies) == 2
    assert "cicilan REHAB ke-1" in bodies[0] and "jatuh tempo 10 Juni 2025" in bodies[0]
    assert bodies[1].startswith("Hari ini (10 Juni 2025) jatuh tempo cicilan REHAB ke-1")
    remind(app, "2025-06-20T02:00:00+00:00")  # enrolled: no dues reminder on the arrears day
    assert not any("tidak aktif" in row.body for row in reminders_to(db, budi))


def add_family(db, number: str, region: str, card: str, nik: str) -> None:  # type: ignore[no-untyped-def]
    """A one-person PBPU family 10 months behind, born 1 January 1980."""
    family = Family(number=number, region_code=region)
    db.add(family)
    db.flush()
    db.add(Member(card_number=card, nik=nik, name="Orang " + region, birth_date=date(1980, 1, 1),
                  family_id=family.id, relation="head", segment="PBPU", class_=3, phone=None, region_code=region,
                  paid_through=date(2024, 7, 1)))
    db.commit()


def test_each_zone_gets_its_reminder_inside_its_own_window(app, runtime, db):
    solo = member_of_budis_family(runtime, db)
    add_family(db, "6472010101250001", "6472", "0003000000011", "6472010101800001")
    add_family(db, "9171010101250001", "9171", "0004000000011", "9171010101800001")
    samarinda, jayapura = Person(runtime, address="web-smd"), Person(runtime, address="web-jpr")
    verify(samarinda, card="0003000000011", birth="01-01-1980", second="6472010101800001")
    verify(jayapura, card="0004000000011", birth="01-01-1980", second="9171010101800001")

    output = remind(app, "2025-06-20T00:30:00+00:00")  # 07:30 WIB, 08:30 WITA, 09:30 WIT
    assert "queued to send: dues_arrears 2 (web 2)" in output
    assert "waiting for their send time: 1" in output
    assert len(reminders_to(db, samarinda)) == len(reminders_to(db, jayapura)) == 1
    assert reminders_to(db, solo) == []
    waiting = db.execute(select(Reminder).where(Reminder.status == "planned")).scalar_one()
    assert waiting.not_before == datetime(2025, 6, 20, 1, 0, tzinfo=UTC)  # 08:00 WIB
    remind(app, "2025-06-20T01:00:00+00:00")
    assert len(reminders_to(db, solo)) == 1


def test_a_chat_unlinked_after_planning_is_not_sent_the_family_reminder(app, runtime, db):
    budi = member_of_budis_family(runtime, db)
    remind(app, "2025-06-20T00:30:00+00:00")  # planned, deferred (07:30 WIB)
    budi.send("HAPUS")  # consent withdrawn: the chat is unlinked from the family
    output = remind(app, "2025-06-20T02:00:00+00:00")
    assert "skipped: unlinked 1" in output
    assert reminders_to(db, budi) == []
