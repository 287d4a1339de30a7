"""Broadcasts: `flask --app app broadcast create|list|cancel`, segments, repeats, both languages, and STOP in the
middle of one; and replies to people go ahead of bulk messages in the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot import outbox
from bot.messages import Outgoing
from models import Broadcast, Family, Member, OutboxMessage, Reminder
from models.chats import BROADCAST_PRIORITY, REMINDER_PRIORITY
from models.ledger import rate_table
from reminders.broadcasts import latest_occurrence, next_occurrence, plan_broadcasts
from reminders.dispatch import dispatch_due
from reminders.segments import Segment, SegmentError
from reminders.templates import WhatsAppTemplates
from tests.journeys import BUDI_PHONE, arrange_branch, verify
from tests.transcript import Person


def cli(app, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def people_in_three_families(runtime, db, count: int = 3) -> list[Person]:  # type: ignore[no-untyped-def]
    """Budi's family (10 months behind) and more one-person families, each with a verified web chat."""
    arrange_branch(db)
    people = [Person(runtime, address="web-0", phone=BUDI_PHONE)]  # Budi writes from his phone on file
    verify(people[0])
    for number in range(1, count):
        family = Family(number=f"33720101012599{number:02d}", region_code="3372")
        db.add(family)
        db.flush()
        db.add(Member(card_number=f"00050000000{number:02d}", nik=f"33720101018000{number:02d}", name="Warga",
                      birth_date=date(1980, 1, 1), family_id=family.id, relation="head", segment="PBPU",
                      class_=2, phone=None, region_code="3372", paid_through=date(2025, 5, 1)))
        db.commit()
        person = Person(runtime, address=f"web-{number}")
        verify(person, card=f"00050000000{number:02d}", birth="01-01-1980",
               second=f"33720101018000{number:02d}")  # no phone on file: the NIK is the second factor
        people.append(person)
    return people


def broadcasts_to(db, person: Person) -> list[str]:  # type: ignore[no-untyped-def]
    return list(db.execute(select(OutboxMessage.body).where(
        OutboxMessage.address == person.address, OutboxMessage.kind == "broadcast",
        OutboxMessage.status == "sent")).scalars())


def test_a_broadcast_reaches_its_segment_in_each_language_at_its_time(app, runtime, db):
    budi, other, third = people_in_three_families(runtime, db)
    other.send("BAHASA EN")
    created = cli(app, "broadcast", "create", "--segment", "class=2", "--at", "2025-06-03T09:00+07:00",
                  "--text", "Posyandu JKN besok jam 9.", "--text-en", "JKN health post tomorrow at 9.")
    assert "broadcast 1: class=2, once from 2025-06-03 02:00 UTC; 2 families reachable now" in created
    listed = cli(app, "broadcast", "list")
    assert "2 families" in listed and "Posyandu JKN besok" in listed and "next 2025-06-03 02:00 UTC" in listed

    before = cli(app, "remind", "--at", "2025-06-03T01:59:00+00:00")
    assert "broadcast" not in before.split("\n")[0]
    cli(app, "remind", "--at", "2025-06-03T02:00:30+00:00")
    assert broadcasts_to(db, budi) == []  # Kelas III: not in the segment
    assert broadcasts_to(db, other)[0].startswith("JKN health post tomorrow at 9.")
    assert broadcasts_to(db, third)[0].startswith("Posyandu JKN besok jam 9.")
    assert db.execute(select(Broadcast.status)).scalar_one() == "finished"
    cli(app, "remind", "--at", "2025-06-03T05:00:00+00:00")
    assert len(broadcasts_to(db, third)) == 1


def test_a_months_in_arrears_band_and_a_cadres_list(app, runtime, db):
    budi, other, _third = people_in_three_families(runtime, db)
    created = cli(app, "broadcast", "create", "--segment", "months=4-24", "--segment", "cadre=KDR-SKA-01",
                  "--at", "2025-06-02T03:00:00Z", "--text", "Ada program REHAB.")
    assert "1 family reachable now" in created
    cli(app, "remind", "--at", "2025-06-02T03:00:00+00:00")
    assert len(broadcasts_to(db, budi)) == 1 and broadcasts_to(db, other) == []


def test_stop_during_a_broadcast_holds_back_what_was_not_sent_yet(app, runtime, db):
    people = people_in_three_families(runtime, db, count=4)
    cli(app, "broadcast", "create", "--segment", "all", "--at", "2025-06-02T03:00:00Z", "--text", "Info JKN.")

    now = datetime(2025, 6, 2, 3, 0, tzinfo=UTC)
    with runtime.sessions.begin() as session:
        plan_broadcasts(session, now, runtime.services["rules"])
        dispatch_due(session, now, queued_at=runtime.clock.now(), rules=runtime.services["rules"], rates=rate_table(session),
                     templates=WhatsAppTemplates({}), limit=2)  # two are queued in the outbox, two still planned
    runtime.sender.run_once(limit=1)  # one goes out
    for person in people:  # everyone says STOP before the rest goes
        person.send("STOP")
    output = cli(app, "remind", "--at", "2025-06-02T03:01:00+00:00")
    assert "skipped: stopped 2" in output
    delivered = [body for person in people for body in broadcasts_to(db, person)]
    assert len(delivered) == 1
    statuses = sorted(db.execute(select(OutboxMessage.status).where(OutboxMessage.kind == "broadcast")).scalars())
    assert statuses == ["cancelled", "sent"]


def test_a_cancelled_broadcast_sends_nothing_more(app, runtime, db):
    people = people_in_three_families(runtime, db, count=2)
    cli(app, "broadcast", "create", "--segment", "all", "--at", "2025-06-02T20:00:00Z", "--repeat", "daily",
        "--text", "Pengingat harian.")
    cli(app, "remind", "--at", "2025-06-02T20:00:00+00:00")  # 03:00 WIB: planned, waiting for 08:00
    assert cli(app, "broadcast", "cancel", "1").strip() == "broadcast 1: cancelled"
    output = cli(app, "remind", "--at", "2025-06-03T02:00:00+00:00")
    assert "skipped: cancelled 2" in output
    assert all(broadcasts_to(db, person) == [] for person in people)
    assert "no broadcasts scheduled" in cli(app, "broadcast", "list")


def test_a_bad_segment_is_explained(app, runtime, db):
    result = app.test_cli_runner().invoke(args=["broadcast", "create", "--segment", "kelas=3", "--at",
                                                "2025-06-02T03:00:00Z", "--text", "x"])
    assert result.exit_code != 0 and "unknown segment key 'kelas'" in result.output
    assert db.execute(select(Broadcast)).first() is None


@pytest.mark.parametrize(("written", "described"), [
    ("region=3372,51 class=3", "region=3372,51 class=3"), ("months=4-", "months=4-"), ("months=0", "months=0"),
    ("plan=no;cadre=kdr-ska-01", "plan=no cadre=KDR-SKA-01"), ("", "all"), ("all", "all"),
])
def test_segments_read_as_written(written: str, described: str) -> None:
    assert Segment.parse(written).describe() == described


@pytest.mark.parametrize("written", ["months=5-2", "class=4", "plan=maybe", "region=Solo", "months"])
def test_segments_that_cannot_be_read(written: str) -> None:
    with pytest.raises(SegmentError):
        Segment.parse(written)


def test_repeats_take_only_the_latest_occurrence_and_stop_at_until() -> None:
    start = datetime(2025, 1, 31, 2, 0, tzinfo=UTC)
    monthly = Broadcast(starts_at=start, repeat="monthly", until=None, status="scheduled")
    assert latest_occurrence(monthly, datetime(2025, 3, 5, tzinfo=UTC)) == datetime(2025, 2, 28, 2, 0, tzinfo=UTC)
    assert next_occurrence(monthly, datetime(2025, 3, 5, tzinfo=UTC)) == datetime(2025, 3, 31, 2, 0, tzinfo=UTC)
    weekly = Broadcast(starts_at=start, repeat="weekly", until=datetime(2025, 2, 10, tzinfo=UTC), status="scheduled")
    assert latest_occurrence(weekly, datetime(2025, 2, 8, tzinfo=UTC)) == datetime(2025, 2, 7, 2, 0, tzinfo=UTC)
    assert next_occurrence(weekly, datetime(2025, 2, 8, tzinfo=UTC)) is None
    assert latest_occurrence(weekly, datetime(2025, 1, 30, tzinfo=UTC)) is None


def test_replies_to_people_go_ahead_of_bulk_messages(runtime, db, now):
    with runtime.sessions.begin() as session:
        for number in range(3):
            outbox.queue(session, channel="web", address="web-x", message=Outgoing(f"bulk {number}"), now=now,
                         kind="broadcast", priority=BROADCAST_PRIORITY)
        outbox.queue(session, channel="web", address="web-x", message=Outgoing("reminder"), now=now,
                     kind="reminder", priority=REMINDER_PRIORITY)
        outbox.queue(session, channel="web", address="web-x", message=Outgoing("a reply"), now=now)
    with runtime.sessions.begin() as session:
        claimed = [row.body for row in outbox.claim_due(session, now, limit=2)]
    assert claimed == ["a reply", "reminder"]
    assert db.execute(select(Reminder)).first() is None
