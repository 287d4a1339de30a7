"""`flask --app app remind`: one idempotent pass that reminds overdue REHAB instalments and sends them."""

from __future__ import annotations

from sqlalchemy import select

from models import OutboxMessage, Ticket
from tests.journeys import BUDI_PHONE, arrange_branch, verify
from tests.transcript import Person


def enrolled_in_five_instalments(runtime, db) -> Person:  # type: ignore[no-untyped-def]
    arrange_branch(db)
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send("REHAB")
    member.send("5")
    member.send("YA")
    return member


def test_remind_tells_member_and_cadre_of_an_overdue_instalment_once(app, runtime, db):
    enrolled_in_five_instalments(runtime, db)
    cli = app.test_cli_runner()
    dry = cli.invoke(args=["remind", "--at", "2025-06-15T02:00:00+00:00", "--dry-run"])
    assert "overdue REHAB instalments: 1 (dry run" in dry.output
    assert db.execute(select(Ticket)).first() is None

    first = cli.invoke(args=["remind", "--at", "2025-06-15T02:00:00+00:00"])
    assert first.exit_code == 0, first.output
    reminders = db.execute(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("rehab-overdue:%"))
                           ).scalars().all()
    assert len(reminders) == 1 and reminders[0].status == "sent" and "Rp315.000" in reminders[0].body
    assert "165" in reminders[0].body
    assert db.execute(select(Ticket.number)).scalar_one().startswith("R-")

    again = cli.invoke(args=["remind", "--at", "2025-06-15T05:00:00+00:00"])
    assert again.exit_code == 0
    assert len(db.execute(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("rehab-overdue:%"))
                          ).scalars().all()) == 1


def test_nothing_is_overdue_before_the_due_date(app, runtime, db):
    enrolled_in_five_instalments(runtime, db)
    result = app.test_cli_runner().invoke(args=["remind", "--at", "2025-06-09T02:00:00+00:00"])
    assert "reminded: 0" in result.output


def test_a_promise_to_pay_pauses_the_reminder_until_its_date(app, runtime, db):
    member = enrolled_in_five_instalments(runtime, db)
    assert "20 Juni 2025" in member.says("JANJI 20-06-2025")
    cli = app.test_cli_runner()
    cli.invoke(args=["remind", "--at", "2025-06-15T02:00:00+00:00"])
    to_member = select(OutboxMessage).where(OutboxMessage.dedupe_key.like("rehab-overdue:%"),
                                            OutboxMessage.address == member.address)
    assert db.execute(to_member).first() is None
    assert db.execute(select(Ticket.number)).scalar_one().startswith("R-")  # the cadre is told all the same
    cli.invoke(args=["remind", "--at", "2025-06-21T02:00:00+00:00"])  # the promise passed, still unpaid
    assert len(db.execute(to_member).scalars().all()) == 1
