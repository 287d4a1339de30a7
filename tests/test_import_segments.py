"""Members who moved to a segment others pay (rules/segments.py): the members import and the migration record
the last month of their own dues, so their old arrears stop growing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import text

from ingest import import_file
from models.db import make_engine
from models.schema import alembic_config, migrate
from tests.csv_files import SURAKARTA_FAMILY, counts, member, members_csv, run


def test_a_member_who_moved_to_a_segment_others_pay_keeps_the_month_their_own_dues_ended(runtime, db, tmp_path):
    # Budi's family, now wage earners (PPU), paid through August 2024 as self-paying members.
    moved = [row.replace(",PBPU,", ",PPU,") for row in SURAKARTA_FAMILY]
    run(runtime, "members", members_csv(tmp_path, *moved))
    assert member(db, "0001234567801").own_dues_until == date(2025, 5, 1)  # the month before the import's
    again = import_file(runtime.sessions, "members", members_csv(tmp_path, *moved, name="later.csv"),
                        today=date(2025, 9, 15))
    assert counts(again) == (0, 0, 3, 0)  # a later import keeps the month: the old arrears do not grow
    assert member(db, "0001234567801").own_dues_until == date(2025, 5, 1)
    back = run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY, name="back.csv"))
    assert counts(back) == (0, 3, 0, 0)
    assert member(db, "0001234567801").own_dues_until is None  # self-paying again: billed every month
    assert member(db, "0001234567802").own_dues_until is None


def test_the_migration_dates_the_own_dues_of_members_already_loaded(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(text("INSERT INTO families (id, number, region_code, credit) "
                                "VALUES (1, '3372010101100001', '3372', 0)"))
        for card, segment in (("0001234567801", "PPU"), ("0001234567802", "PBPU")):
            connection.execute(text(
                "INSERT INTO members (card_number, nik, name, birth_date, family_id, relationship, segment, class_, "
                "region_code, paid_through) VALUES (:card, :nik, 'x', '1980-01-01', 1, 'head', :segment, 3, "
                "'3372', '2024-08-01')"), {"card": card, "nik": "33720101018000" + card[-2:], "segment": segment})
    migrate(engine)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT segment, own_dues_until FROM members")).all())
    engine.dispose()
    today = datetime.now(UTC).date()
    assert rows["PBPU"] is None
    assert str(rows["PPU"]) == f"{date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)}"
