"""Members, payments and assignments files with the tricky cases a branch sends, as set-based imports decide them.

Each file is imported in chunks of two lines (loading, writing and payment batches), so a case spread over the
file is decided across chunks; the outcome must be the one the rules give for the whole file, whatever the cut,
and importing the same file again must change nothing. Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

import ingest.source
import ingest.staging
from ingest import import_file
from ingest.fields import FieldError, parse_phone
from models import Assignment, Family, Member
from rules.phones import mobile_e164
from tests.csv_files import MEMBER_HEADER, TODAY, counts, member, members_csv, run, write

F1, F2, F3, F4, F5 = (f"337201010110000{n}" for n in range(1, 6))


@pytest.fixture(autouse=True)
def chunks_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest.staging, "LOAD_CHUNK", 2)
    monkeypatch.setattr(ingest.staging, "WRITE_CHUNK", 2)
    monkeypatch.setattr(ingest.source, "BATCH_SIZE", 2)


def card(n: int) -> str:
    return f"00012345678{n:02d}"


def nik(n: int) -> str:
    return f"3372011405{n:06d}"


def person(n: int, family: str, relationship: str, *, name: str = "", nik_of: int | None = None,
           born: str = "1980-05-14", region: str = "3372") -> str:
    """A members line for card(n): NIK nik(n) unless `nik_of` names another."""
    return (f"{card(n)},{nik(n if nik_of is None else nik_of)},{name or f'Warga {n}'},{born},{family},"
            f"{relationship},PBPU,3,,{region},2024-08")


def heads(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Family number -> the card number of its head."""
    db.expire_all()
    rows = db.execute(select(Family.number, Member.card_number).join(Member.family).where(Member.relation == "head"))
    return {key: value for key, value in rows}


def test_repeats_far_apart_in_the_file_are_decided_for_the_whole_file(runtime, db, tmp_path):
    path = members_csv(
        tmp_path,
        person(1, F1, "head"),  # 2
        person(2, F1, "child"),  # 3
        person(3, F2, "head"),  # 4
        person(4, F2, "spouse"),  # 5
        person(6, F3, "anak"),  # 6: its family's head comes later in the file
        person(7, F3, "kepala keluarga"),  # 7
        person(4, F2, "child", name="Warga 4 lagi"),  # 8: the card of line 5
        person(5, F1, "child", nik_of=2),  # 9: the NIK of line 3, chunks later
        person(8, F3, "head"),  # 10: a second head for the family
    )

    report = run(runtime, "members", path)

    assert report.rejected == [
        (5, f"card_number {card(4)} is also on line 8: a member must appear once"),
        (8, f"card_number {card(4)} is also on line 5: a member must appear once"),
        (9, f"nik {nik(2)} is also on line 3"),
        (10, f"family {F3} already has its head on line 7: a family has one head"),
    ]
    assert counts(report) == (5, 0, 0, 4)
    assert heads(db) == {F1: card(1), F2: card(3), F3: card(7)}
    # A family's members are listed head first, then in the order of the file.
    assert [m.card_number for m in member(db, card(7)).family.members] == [card(7), card(6)]
    assert counts(run(runtime, "members", path)) == (0, 0, 5, 4)


def test_a_head_change_spread_over_the_file(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, person(11, F1, "head"), person(12, F1, "spouse"),
                                        person(13, F2, "head"), person(14, F2, "child"), name="before.csv"))
    path = members_csv(
        tmp_path,
        person(11, F1, "other"),  # 2: the old head steps down, before the line naming the new one
        person(15, F2, "child"),  # 3: new
        person(12, F1, "head"),  # 4: the new head
        person(13, F1, "child"),  # 5: F2's head moves to F1, as F2 gets a new head below
        person(14, F2, "child"),  # 6: as it was
        person(16, F2, "head"),  # 7: new, F2's new head
    )

    report = run(runtime, "members", path)

    assert report.rejected == []
    assert counts(report) == (2, 3, 1, 0)
    assert heads(db) == {F1: card(12), F2: card(16)}
    assert (member(db, card(11)).relation, member(db, card(13)).relation) == ("other", "child")
    assert member(db, card(13)).family.number == F1
    assert counts(run(runtime, "members", path)) == (0, 0, 6, 0)


def test_a_head_moves_to_a_new_family_only_when_the_old_one_gets_a_head(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, person(11, F1, "head"), person(12, F1, "child"), name="a.csv"))
    moving = person(11, F2, "head", region="6472")

    alone = run(runtime, "members", members_csv(tmp_path, moving, name="b.csv"))

    assert alone.rejected == [(2, f"card_number {card(11)} is the head of family {F1}: a family keeps one head, so "
                                  "list its new head (relationship head) in this file too")]
    assert heads(db) == {F1: card(11)}

    report = run(runtime, "members", members_csv(tmp_path, moving, person(12, F1, "head"), name="c.csv"))

    assert counts(report) == (0, 2, 0, 0)
    assert heads(db) == {F1: card(12), F2: card(11)}
    assert member(db, card(11)).family.region_code == "6472"


def test_rejected_heads_and_the_families_that_keep_or_lack_one(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, person(21, F1, "head"), person(22, F1, "child"),
                                        person(23, F2, "head"), name="before.csv"))
    path = members_csv(
        tmp_path,
        person(24, F1, "head", nik_of=22),  # 2: a new head with a NIK that is card 22's
        person(25, F1, "child"),  # 3: F1 keeps its head from the database, so it may join
        person(21, F1, "spouse"),  # 4: the head cannot step down: its successor was rejected
        person(26, F2, "head"),  # 5: F2 has a head, who is not in this file
        person(27, F4, "head", born="14.05.80"),  # 6
        person(28, F4, "child"),  # 7
        person(29, F5, "child"),  # 8
    )

    report = run(runtime, "members", path)

    rejected = [
        (2, f"nik {nik(22)} already belongs to card_number {card(22)}"),
        (4, f"card_number {card(21)} is the head of family {F1}: a family keeps one head, so list its new head "
            "(relationship head) in this file too"),
        (5, f"family {F2} already has a head (card_number {card(23)}); to change the head, list that member in "
            "this file with their new relationship"),
        (6, "birth_date must be YYYY-MM-DD or DD-MM-YYYY, got '14.05.80'"),
        (7, f"family {F4} has no head, because its head on line 6 was rejected"),
        (8, f"family {F5} has no head: add its head (relationship head or kepala keluarga) to this file"),
    ]
    assert report.rejected == rejected
    assert counts(report) == (1, 0, 0, 6)
    assert heads(db) == {F1: card(21), F2: card(23)}
    assert member(db, card(25)).family.number == F1

    again = run(runtime, "members", path)
    assert (counts(again), again.rejected) == ((0, 0, 1, 6), rejected)


def test_a_semicolon_file_with_bom_crlf_blank_lines_and_no_phone_column(runtime, db, tmp_path):
    run(runtime, "members", members_csv(
        tmp_path, f"{card(31)},{nik(31)},Budi Santoso,1980-05-14,{F1},head,PBPU,3,081234567831,3372,2024-08"))
    text = "\r\n".join([
        "\ufeffFamily-Number; Card Number ;NIK;Name;Birth_Date;Relationship;Segment;Class;Region_Code;Paid_Through",
        f'{F1};{card(31)};{nik(31)};"Santoso; Budi";14-05-1980;Kepala Keluarga;PBPU;III;3372;2024-08',
        "",
        f"{F1};{card(32)};{nik(32)};Siti Aminah;02/09/1983;ISTRI;Mandiri;kelas 3;3372;2024-09;",
        f"{F1};{card(33)};{nik(33)};Dewi;2010-13-01;anak;PBPU;3;3372;2024-08",
        ";;;;;;;;;",
    ]) + "\r\n"
    path = write(tmp_path, text, "excel.csv")

    report = run(runtime, "members", path)

    assert report.rejected == [(5, "birth_date '2010-13-01' is not a real date")]
    assert counts(report) == (1, 1, 0, 1)
    budi, siti = member(db, card(31)), member(db, card(32))
    assert (budi.name, budi.phone) == ("Santoso; Budi", "+6281234567831")  # no phone column: the phone stays
    assert (siti.relation, siti.segment, siti.paid_through.isoformat()) == ("spouse", "PBPU", "2024-09-01")
    assert counts(run(runtime, "members", path)) == (0, 0, 2, 1)


def test_payments_repeated_across_batches_are_rejected_and_applied_once(runtime, db, tmp_path):
    # A Kelas III family of three owes 105.000 a month; paid through August 2024.
    run(runtime, "members", members_csv(tmp_path, person(41, F1, "head"), person(42, F1, "spouse"),
                                        person(43, F1, "child")))
    path = write(tmp_path, "\n".join([
        "reference;family_number;amount;paid_at",
        f"VA-1;{F1};105000;2025-05-02",
        f"VA-2;{F1};105.000;2025-05-03 10:00",
        f"VA-3;{F1};Rp105.000;2025-05-04",
        f"VA-1;{F1};105000;2025-05-05",
        f"VA-4;{F5};105000;2025-05-05",
    ]) + "\n", "payments.csv")

    report = run(runtime, "payments", path)

    rejected = [(5, "reference VA-1 is also on line 2: each payment must have its own reference"),
                (6, f"family_number {F5} is not in the database (import the members first)")]
    assert (counts(report), report.rejected) == ((3, 0, 0, 2), rejected)
    assert member(db, card(41)).paid_through.isoformat() == "2024-11-01"
    again = run(runtime, "payments", path)
    assert (counts(again), again.rejected) == ((0, 0, 3, 2), rejected)
    assert member(db, card(43)).paid_through.isoformat() == "2024-11-01"


def test_a_family_listed_twice_for_its_new_cadre_is_moved_once(runtime, db, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.staging, "WRITE_CHUNK", 100)  # one batch, as a branch's file usually is
    monkeypatch.setattr(ingest.source, "BATCH_SIZE", 100)
    run(runtime, "members", members_csv(tmp_path, person(51, F1, "head"), person(52, F2, "head")))
    run(runtime, "cadres", write(tmp_path, "cadre_code,name,region_code\nKDR-A,Sri,3372\nKDR-B,Tono,3372\n"))
    run(runtime, "assignments", write(tmp_path, f"cadre_code,family_number\nKDR-A,{F1}\n", "first.csv"))
    path = write(tmp_path, f"cadre_code,family_number\nKDR-B,{F1}\nKDR-A,{F2}\nKDR-B,{F1}\n", "again.csv")

    report = run(runtime, "assignments", path)

    assert counts(report) == (1, 1, 1, 0)
    db.expire_all()
    assert {a.family.number: a.cadre.code for a in db.scalars(select(Assignment))} == {F1: "KDR-B", F2: "KDR-A"}
    assert counts(run(runtime, "assignments", path)) == (0, 0, 3, 0)


def test_the_progress_bar_is_drawn_when_asked(runtime, tmp_path, capsys):
    path = members_csv(tmp_path, person(61, F1, "head"), person(62, F1, "child"))

    report = import_file(runtime.sessions, "members", path, today=TODAY, progress=True)

    assert counts(report) == (2, 0, 0, 0)
    assert "members reading" in capsys.readouterr().err


def test_the_fast_phone_path_agrees_with_phonenumbers_for_every_prefix_and_length():
    """ingest/fields.py answers the common forms without phonenumbers; rules/phones.py asks it every time."""
    rng = random.Random(9)
    for prefix in range(800, 900):
        for length in range(7, 15):
            for _ in range(4):
                national = f"{prefix}{rng.randrange(10 ** (length - 3)):0{length - 3}d}"
                for value in (f"0{national}", f"62{national}", f"+62 {national[:3]}-{national[3:]}", national):
                    try:
                        ours = parse_phone(value)
                    except FieldError:
                        ours = None
                    assert ours == mobile_e164(value), value


def test_a_members_file_of_only_a_header_imports_nothing(runtime, tmp_path):
    assert counts(run(runtime, "members", write(tmp_path, MEMBER_HEADER + "\n"))) == (0, 0, 0, 0)
