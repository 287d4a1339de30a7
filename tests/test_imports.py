"""CSV imports as a branch supervisor runs them: the members file's counts, rejected lines with reasons, and rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import Family, Member
from tests.csv_files import (
    MEMBER_HEADER,
    SAMARINDA_FAMILY,
    SURAKARTA_FAMILY,
    counts,
    member,
    members_csv,
    run,
    write,
)

# ------------------------------------------------------------------------------------------------ members


def test_a_comma_separated_members_file_is_imported(runtime, db, tmp_path):
    report = run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY, *SAMARINDA_FAMILY))

    assert report.summary() == "members: 4 inserted, 0 updated, 0 unchanged, 0 rejected"
    budi = member(db, "0001234567801")
    assert (budi.name, budi.relation, budi.segment, budi.class_) == ("Budi Santoso", "head", "PBPU", 3)
    assert budi.birth_date == date(1980, 5, 14) and budi.paid_through == date(2024, 8, 1)
    assert budi.phone == "+6281234567801"
    assert member(db, "0001234567802").phone is None
    assert [m.card_number for m in budi.family.members] == ["0001234567801", "0001234567802", "0001234567803"]
    andi = member(db, "0001234567811")
    assert andi.phone == "+6281350001111" and andi.family.region_code == "6472" and andi.class_ == 2


def test_a_semicolon_file_with_bom_indonesian_words_and_every_phone_form(runtime, db, tmp_path):
    text = "\n".join([
        " Card_Number ; NIK ;Name;Birth_Date;Family_Number;Relationship;Segment;Class;Phone;Region_Code;Paid_Through",
        "0001234567801;3372011405800001;Budi Santoso;14-05-1980;3372010101100001;Kepala Keluarga;PBPU;III;"
        "0812-3456-7801;3372;2024-08",
        "0001234567802;3372014209830002;Siti Aminah;02/09/1983;3372010101100001;ISTRI;pbpu;kelas 3;"
        "62 812 3456 7802;3372;2024-08",
        "0001234567803;3372016001100003;Dewi Lestari;2010-01-20;3372010101100001;anak;PBPU;3;"
        "+62 812 3456 7803;3372;2024-08",
        "0001234567804;3372011203700004;Slamet Riyadi;12-03-1970;3372010101100001;Lainnya;PBPU;Kelas III;"
        "812 3456 7804;3372;2024-08",
        "0001234567811;6472033011750001;Andi Wijaya;30-11-1975;6472030202150002;kepala;BP;II;"
        "+6281350001111;6472;2025-05",
        "0001234567812;6472037112780002;Rina Wijaya;31/12/1978;6472030202150002;suami;BP;2;;6472;2025-05",
        "0001234567821;9171054506850001;Maria Kogoya;05-06-1985;9171050303200003;kepala keluarga;PBI;I;"
        "0821 9999 0001;9171;2025-05",
    ]) + "\r\n"
    path = write(tmp_path, "\ufeff" + text)

    report = run(runtime, "members", path)

    assert report.rejected == []
    assert report.inserted == 7
    rows = {m.card_number: m for m in db.scalars(select(Member))}
    assert [rows[f"000123456780{i}"].phone for i in (1, 2, 3, 4)] == [
        "+6281234567801", "+6281234567802", "+6281234567803", "+6281234567804"]
    assert [rows[f"000123456780{i}"].relation for i in (1, 2, 3, 4)] == ["head", "spouse", "child", "other"]
    assert rows["0001234567801"].birth_date == date(1980, 5, 14)
    assert rows["0001234567802"].birth_date == date(1983, 9, 2)
    assert rows["0001234567812"].relation == "spouse" and rows["0001234567812"].phone is None
    assert rows["0001234567821"].class_ == 1 and rows["0001234567821"].segment == "PBI"
    assert {m.class_ for m in rows.values() if m.region_code == "6472"} == {2}


def test_broken_lines_are_reported_by_line_number_and_the_good_lines_are_imported(runtime, db, tmp_path):
    path = members_csv(
        tmp_path,
        SURAKARTA_FAMILY[0],  # line 2
        "000123456780,3372014209830002,Siti Aminah,1983-09-02,3372010101100001,spouse,PBPU,3,,3372,2024-08",
        "0001234567803,337201600110003,Dewi Lestari,2010-01-20,3372010101100001,child,PBPU,3,,3372,2024-08",
        "0001234567804,3372011203700004,Slamet Riyadi,1970-03-12,3372010101100001,other,PBPU,4,,3372,2024-08",
        "0001234567805,3372010101300005,Bayu Santoso,2030-01-01,3372010101100001,child,PBPU,3,,3372,2024-08",
        "0001234567821,9171054506850001,Maria Kogoya,1985-06-05,9171050303200003,child,PBI,1,,9171,2025-05",
        "0001234567806,3372010101000006,Joko Santoso,1990-01-01,3372010101100001,child",
        "0001234567807,3372011111700007,Agus Salim,1970-11-11,3372010101100001,head,PBPU,3,,3372,2024-08",
        "0001234567808,3372012505050008,Rudi Santoso,2005-05-25,3372010101100001,anak,PBPU,3,,3372,2024-08",
        "0001234567809,3372012505050009,Eko Prasetyo,2005-05-25,3372010101100001,cucu,PBPU,3,0271 123456,3372,2024-08",
    )

    report = run(runtime, "members", path)

    assert report.rejected == [
        (3, "card_number must be 13 digits, got 12"),
        (4, "nik must be 16 digits, got 15"),
        (5, "class must be 1, 2 or 3 (or I, II, III), got '4'"),
        (6, "birth_date 2030-01-01 is in the future"),
        (7, "family 9171050303200003 has no head: add its head (relationship head or kepala keluarga) to this file"),
        (8, "the line has 6 values but the header has 11 columns (is a separator missing?)"),
        (9, "family 3372010101100001 already has its head on line 2: a family has one head"),
        (11, "phone must be an Indonesian mobile number (08..., 628... or +628...), got '0271 123456'"),
    ]
    assert counts(report) == (2, 0, 0, 8)
    assert sorted(db.scalars(select(Member.card_number))) == ["0001234567801", "0001234567808"]
    assert db.scalars(select(Family.number)).all() == ["3372010101100001"]


def test_a_line_with_several_mistakes_lists_them_all(runtime, tmp_path):
    path = members_csv(tmp_path, "12345,33720114058,Budi,1980-13-40,33720101,kakek,UMUM,5,0812,33,2024-13")

    report = run(runtime, "members", path)

    line, reason = report.rejected[0]
    assert line == 2
    for expected in ("card_number must be 13 digits, got 5 (card numbers start with 000",
                     "nik must be 16 digits, got 11", "birth_date '1980-13-40' is not a real date",
                     "family_number must be 16 digits, got 8", "relationship must be head, spouse, child or other",
                     "segment must be PBPU, BP, PPU or PBI, got 'UMUM'", "class must be 1, 2 or 3",
                     "phone must be an Indonesian mobile number", "region_code must be the 4-digit",
                     "paid_through '2024-13' has no month 13"):
        assert expected in reason


def test_quotes_protect_a_separator_and_a_missing_quote_is_explained(runtime, db, tmp_path):
    quoted = SURAKARTA_FAMILY[0].replace("Budi Santoso", '"Budi Santoso, S.Pd."')
    unquoted = SURAKARTA_FAMILY[1].replace("Siti Aminah", "Siti Aminah, S.E.")
    unclosed = SURAKARTA_FAMILY[2].replace("Dewi Lestari", '"Dewi Lestari')
    path = members_csv(tmp_path, quoted, unquoted, unclosed, SAMARINDA_FAMILY[0])

    report = run(runtime, "members", path)

    assert report.rejected == [
        (3, "the line has 12 values but the header has 11 columns (does a value contain ','? put it in double "
            "quotes)"),
        (4, 'the line has a quote (") that is not closed, so it runs into the lines below'),
    ]
    assert member(db, "0001234567801").name == "Budi Santoso, S.Pd."


def test_a_spreadsheet_number_in_an_identifier_column_is_explained(runtime, tmp_path):
    row = SURAKARTA_FAMILY[0].replace("3372011405800001", "3.37201E+15")
    report = run(runtime, "members", members_csv(tmp_path, row))
    assert report.rejected == [(2, "nik must be 16 digits, got '3.37201E+15' (a spreadsheet turned it into a "
                                   "number: format the column as text)")]


def test_importing_the_same_members_file_twice_changes_nothing(runtime, db, tmp_path):
    path = members_csv(tmp_path, *SURAKARTA_FAMILY, *SAMARINDA_FAMILY)
    run(runtime, "members", path)

    again = run(runtime, "members", path)

    assert again.summary() == "members: 0 inserted, 0 updated, 4 unchanged, 0 rejected"
    assert len(db.scalars(select(Family)).all()) == 2


def test_a_changed_line_is_an_update_and_the_family_follows_its_heads_region(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))
    moved = [SURAKARTA_FAMILY[0].replace(",3372,2024-08", ",3311,2024-10"), *SURAKARTA_FAMILY[1:]]

    report = run(runtime, "members", members_csv(tmp_path, *moved, name="again.csv"))

    assert counts(report) == (0, 1, 2, 0)
    budi = member(db, "0001234567801")
    assert budi.region_code == "3311" and budi.family.region_code == "3311"
    assert budi.paid_through == date(2024, 10, 1)


def test_a_family_can_change_its_head_when_the_file_says_what_the_old_head_became(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))
    swapped = [SURAKARTA_FAMILY[0].replace(",head,", ",other,"), SURAKARTA_FAMILY[1].replace(",spouse,", ",head,")]

    report = run(runtime, "members", members_csv(tmp_path, *swapped, name="swap.csv"))

    assert counts(report) == (0, 2, 0, 0)
    heads = db.scalars(select(Member.card_number).where(Member.relation == "head")).all()
    assert heads == ["0001234567802"]


def test_a_second_head_for_a_family_in_the_database_is_rejected(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))
    newcomer = "0001234567809,3372010101950009,Agus Salim,1995-01-01,3372010101100001,head,PBPU,3,,3372,2024-08"

    report = run(runtime, "members", members_csv(tmp_path, newcomer, name="more.csv"))

    assert report.rejected == [(2, "family 3372010101100001 already has a head (card_number 0001234567801); to "
                                   "change the head, list that member in this file with their new relationship")]
    assert db.scalars(select(Member.card_number).where(Member.relation == "head")).all() == ["0001234567801"]


def test_members_of_a_family_already_in_the_database_need_no_head_in_the_file(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, SURAKARTA_FAMILY[0]))

    report = run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY[1:], name="rest.csv"))

    assert counts(report) == (2, 0, 0, 0)


def test_the_head_cannot_be_demoted_without_a_new_head(runtime, db, tmp_path):
    run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY))

    report = run(runtime, "members", members_csv(tmp_path, SURAKARTA_FAMILY[0].replace(",head,", ",spouse,")))

    assert report.rejected == [(2, "card_number 0001234567801 is the head of family 3372010101100001: a family "
                                   "keeps one head, so list its new head (relationship head) in this file too")]


def test_members_of_a_family_whose_head_was_rejected_are_rejected_with_the_reason(runtime, tmp_path):
    bad_head = SURAKARTA_FAMILY[0].replace("1980-05-14", "14.05.80")
    report = run(runtime, "members", members_csv(tmp_path, bad_head, *SURAKARTA_FAMILY[1:]))

    assert report.rejected == [
        (2, "birth_date must be YYYY-MM-DD or DD-MM-YYYY, got '14.05.80'"),
        (3, "family 3372010101100001 has no head, because its head on line 2 was rejected"),
        (4, "family 3372010101100001 has no head, because its head on line 2 was rejected"),
    ]


def test_a_card_number_on_two_lines_is_rejected_on_both(runtime, db, tmp_path):
    twin = SURAKARTA_FAMILY[2].replace("Dewi Lestari", "Dewi L.").replace(",PBPU,3,", ",PBPU,4,")
    report = run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY, twin))

    assert report.rejected == [
        (4, "card_number 0001234567803 is also on line 5: a member must appear once"),
        (5, "card_number 0001234567803 is also on line 4: a member must appear once; class must be 1, 2 or 3 "
            "(or I, II, III), got '4'"),
    ]
    assert counts(report)[0] == 2


def test_a_nik_belonging_to_another_card_is_rejected(runtime, tmp_path):
    stolen = SURAKARTA_FAMILY[2].replace("3372016001100003", "3372014209830002")
    report = run(runtime, "members", members_csv(tmp_path, *SURAKARTA_FAMILY[:2], stolen))
    assert report.rejected == [(4, "nik 3372014209830002 is also on line 3")]


def test_a_header_without_a_needed_column_imports_nothing(runtime, db, tmp_path):
    path = write(tmp_path, "card_number,name,birth_date\n0001234567801,Budi,1980-05-14\n")
    report = run(runtime, "members", path)
    assert report.rejected == [(1, "the header lacks column(s) nik, family_number, relationship, segment, class, "
                                   "region_code, paid_through (expected card_number, nik, name, birth_date, "
                                   "family_number, relationship, segment, class, region_code, paid_through, "
                                   "phone); nothing was imported")]
    assert db.scalars(select(Member)).all() == []


def test_a_file_that_is_not_utf8_is_explained(runtime, tmp_path):
    row = SURAKARTA_FAMILY[0].replace("Budi Santoso", "Budi Santoso Ä")
    path = write(tmp_path, "\n".join([MEMBER_HEADER, row]) + "\n", encoding="cp1252")
    report = run(runtime, "members", path)
    assert report.rejected == [(2, "the line is not UTF-8 text (save the file as 'CSV UTF-8')")]
