"""CSV imports of payments, cadres and assignments, and the import command: counts, reasons and the rows they leave."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from models import Assignment, Cadre, Member, Payment
from tests.csv_files import (
    SAMARINDA_FAMILY,
    SURAKARTA_FAMILY,
    counts,
    member,
    members_csv,
    run,
    write,
)

# ----------------------------------------------------------------------------------------------- payments


def test_payments_advance_paid_through_for_the_whole_family_and_keep_the_rest_as_credit(runtime, db, tmp_path):
    # A Kelas III family of three owes 3 x 35.000 = 105.000 a month; paid through August 2024.
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))
    path = write(tmp_path, "\n".join([
        "reference,family_number,amount,paid_at,channel",
        "VA-0001,3372010101100001,315.000,2025-05-20 19:30,BRI VA",
        "VA-0002,3372010101100001,Rp150000,2025-05-28T09:00:00+07:00,Indomaret",
    ]) + "\n", "payments.csv")

    report = run(runtime, "payments", path)

    assert report.summary() == "payments: 2 inserted, 0 updated, 0 unchanged, 0 rejected"
    # 315.000 pays Sep-Nov 2024; 150.000 pays Dec 2024 and leaves 45.000.
    assert {member(db, f"000123456780{i}").paid_through for i in (1, 2, 3)} == {date(2024, 12, 1)}
    family = member(db, "0001234567801").family
    assert family.credit == 45_000
    first = db.scalars(select(Payment).where(Payment.reference == "VA-0001")).one()
    assert first.amount == 315_000 and first.channel == "BRI VA"
    assert first.paid_at == datetime(2025, 5, 20, 12, 30, tzinfo=UTC)


def test_importing_a_payments_file_twice_applies_it_once(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))
    path = write(tmp_path, "reference;family_number;amount;paid_at;channel\nVA-9;3372010101100001;105000;"
                           "2025-05-02;Mobile JKN\n", "payments.csv")
    run(runtime, "payments", path)

    again = run(runtime, "payments", path)

    assert again.summary() == "payments: 0 inserted, 0 updated, 1 unchanged, 0 rejected"
    assert member(db, "0001234567801").paid_through == date(2024, 9, 1)
    # and re-importing the older members file does not undo the payment
    assert counts(run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))) == (0, 0, 3, 0)
    assert member(db, "0001234567801").paid_through == date(2024, 9, 1)


def test_broken_payment_lines_are_reported(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))
    path = write(tmp_path, "\n".join([
        "reference,family_number,amount,paid_at,channel",
        "VA-1,3372010101100001,105000,2025-05-02,BRI",
        "VA-2,9999999999999999,105000,2025-05-02,BRI",
        "VA-1,3372010101100001,105000,2025-05-03,BRI",
        "VA-3,3372010101100001,0,2025-05-02,BRI",
        "VA-4,3372010101100001,105000,kemarin,BRI",
        "VA-5,3372010101100001,105000,2025-07-01,BRI",
    ]) + "\n", "payments.csv")

    report = run(runtime, "payments", path)

    assert report.rejected == [
        (3, "family_number 9999999999999999 is not in the database (import the members first)"),
        (4, "reference VA-1 is also on line 2: each payment must have its own reference"),
        (5, "amount must be more than 0, got '0'"),
        (6, "paid_at must be a date (2025-06-01) or date-time (2025-06-01 10:30), got 'kemarin'"),
        (7, "paid_at 2025-07-01 is in the future"),
    ]
    assert report.inserted == 1
    assert member(db, "0001234567801").paid_through == date(2024, 9, 1)


# ------------------------------------------------------------------------------------- cadres, assignments

CADRES = "\n".join([
    "cadre_code,name,phone,telegram_username,branch,region_code,supervisor_code",
    "KDR-SKA-01,Sri Wahyuni,0812-2900-0101,@sri_kader,Surakarta,3372,KDR-SKA-00",
    "kdr-ska-02,Bambang Sutrisno,+6281229000102,,Surakarta,3372,KDR-SKA-00",
    "KDR-SKA-00,Endang Lestari,6281229000100,endang_spv,Surakarta,3372,",
    "KDR-SKA-03,Tono,0812-2900-0103,,Surakarta,3372,KDR-XXX-99",
    "KDR-SKA-04,Tini,0812-2900-0101,,Surakarta,3372,",
]) + "\n"


def test_cadres_are_imported_with_supervisors_listed_later_in_the_file(runtime, db, tmp_path):
    path = write(tmp_path, CADRES, "cadres.csv")

    report = run(runtime, "cadres", path)

    assert report.rejected == [
        (5, "supervisor_code KDR-XXX-99 is not a cadre in this file or the database"),
        (6, "phone +6281229000101 is also on line 2: cadres are recognised by their phone"),
    ]
    assert counts(report) == (3, 0, 0, 2)
    cadres = {c.code: c for c in db.scalars(select(Cadre))}
    assert cadres["KDR-SKA-01"].supervisor.code == "KDR-SKA-00"
    assert cadres["KDR-SKA-02"].supervisor.code == "KDR-SKA-00"
    assert cadres["KDR-SKA-00"].supervisor is None
    assert cadres["KDR-SKA-01"].telegram_username == "sri_kader"
    assert cadres["KDR-SKA-01"].phone == "+6281229000101" and cadres["KDR-SKA-00"].phone == "+6281229000100"

    assert counts(run(runtime, "cadres", path)) == (0, 0, 3, 2)


def test_assignments_give_each_family_one_cadre(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY, *SAMARINDA_FAMILY))
    run(runtime, "cadres", write(tmp_path, CADRES, "cadres.csv"))
    path = write(tmp_path, "\n".join([
        "cadre_code,family_number",
        "KDR-SKA-01,3372010101100001",
        "KDR-SKA-02,6472030202150002",
        "KDR-SKA-09,1111111111111112",
        "KDR-SKA-01,1111111111111111",
        "KDR-SKA-01,6472030202150002",
    ]) + "\n", "assignments.csv")

    report = run(runtime, "assignments", path)

    assert report.rejected == [
        (4, "cadre_code KDR-SKA-09 is not in the database (import the cadres first); "
            "family_number 1111111111111112 is not in the database (import the members first)"),
        (5, "family_number 1111111111111111 is not in the database (import the members first)"),
        (6, "family 6472030202150002 is given to KDR-SKA-02 on line 3: a family has one cadre"),
    ]
    assert counts(report) == (2, 0, 0, 3)
    assert counts(run(runtime, "assignments", path)) == (0, 0, 2, 3)

    moved = run(runtime, "assignments", write(tmp_path, "cadre_code,family_number\nKDR-SKA-00,3372010101100001\n"))
    assert counts(moved) == (0, 1, 0, 0)
    db.expire_all()
    owners = {a.family.number: a.cadre.code for a in db.scalars(select(Assignment))}
    assert owners == {"3372010101100001": "KDR-SKA-00", "6472030202150002": "KDR-SKA-02"}


# -------------------------------------------------------------------------------------------- command line


def test_the_import_command_prints_the_counts_and_every_rejected_line(app, db, tmp_path):
    bad = SURAKARTA_FAMILY[1].replace("0001234567802", "000123456780")
    path = members_csv(tmp_path, SURAKARTA_FAMILY[0], bad, SURAKARTA_FAMILY[2])

    result = app.test_cli_runner().invoke(args=["import", "members", str(path)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "members: 2 inserted, 0 updated, 0 unchanged, 1 rejected",
        "  line 3: card_number must be 13 digits, got 12",
    ]
    assert len(db.scalars(select(Member)).all()) == 2

    again = app.test_cli_runner().invoke(args=["import", "members", str(path)])
    assert again.output.splitlines()[0] == "members: 0 inserted, 0 updated, 2 unchanged, 1 rejected"


@pytest.mark.parametrize("kind", ["payments", "cadres", "assignments"])
def test_the_import_command_takes_every_kind(app, tmp_path, kind):
    header = {"payments": "reference,family_number,amount,paid_at,channel", "cadres": CADRES.splitlines()[0],
              "assignments": "cadre_code,family_number"}[kind]
    result = app.test_cli_runner().invoke(args=["import", kind, str(write(tmp_path, header + "\n"))])
    assert result.output.strip() == f"{kind}: 0 inserted, 0 updated, 0 unchanged, 0 rejected"
