"""The one-line report grammar (rules/visit_reports.py) as a table: what cadres really type, and what each
line must record, or which precise problem it must answer with. Today is Monday 2 June 2025, 11:00 local."""

from __future__ import annotations

from datetime import date, time

import pytest

from rules.programme import ProgrammeRules
from rules.visit_reports import (
    ReportProblem,
    VisitReport,
    content_key,
    parse_line,
    parse_message,
    read_amount,
    read_number,
    read_promise_date,
    read_result,
)

TODAY = date(2025, 6, 2)
NOW = time(11, 0)
CARD = "0001944358911"
KK = "3372010101250001"


def ok(number: str, result: str, amount: int | None = None, promised: date | None = None,
       on: date | None = None, at: time | None = None, note: str = "") -> VisitReport:
    return VisitReport(number, result, amount, promised, on, at, note)


def bad(code: str, **values: object) -> tuple[str, dict[str, object]]:
    return code, values


LINES = [
    # the plain forms from the contract
    ("LAPOR 0001944358911 BAYAR 150000", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 3372010101250001 BAYAR 150.000", ok(KK, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 BAYAR Rp150rb", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 BAYAR 1,5jt", ok(CARD, "BAYAR", 1_500_000)),
    ("LAPOR 0001944358911 JANJI 20/6", ok(CARD, "JANJI", promised=date(2025, 6, 20))),
    ("LAPOR 0001944358911 REHAB", ok(CARD, "REHAB")),
    ("LAPOR 0001944358911 TOLAK", ok(CARD, "TOLAK")),
    ("LAPOR 0001944358911 TIDAKADA", ok(CARD, "TIDAKADA")),
    ("LAPOR 0001944358911 PINDAH", ok(CARD, "PINDAH")),
    ("LAPOR 3372010101250001 DAFTAR", ok(KK, "DAFTAR")),
    ("LAPOR 0001944358911 EDUKASI", ok(CARD, "EDUKASI")),
    # lower case, extra spaces, punctuation
    ("lapor 0001944358911 bayar 150000", ok(CARD, "BAYAR", 150_000)),
    ("  LAPOR   0001944358911    bayar    50000  ", ok(CARD, "BAYAR", 50_000)),
    ("Lapor: 0001944358911 bayar 150rb.", ok(CARD, "BAYAR", 150_000)),
    ("laporan 0001944358911 edukasi", ok(CARD, "EDUKASI")),
    ("lapr 0001944358911 tolak", ok(CARD, "TOLAK")),
    # the household's number as people type it
    ("LAPOR 0001 9443 5891 1 bayar 100rb", ok(CARD, "BAYAR", 100_000)),
    ("LAPOR 0001-9443-5891-1 rehab", ok(CARD, "REHAB")),
    ("LAPOR KK 3372010101250001 tdk ada", ok(KK, "TIDAKADA")),
    ("LAPOR no. 0001944358911 tolak", ok(CARD, "TOLAK")),
    ("LAPOR kartu 0001944358911 edukasi", ok(CARD, "EDUKASI")),
    ("LAPOR bayar 0001944358911 150rb", ok(CARD, "BAYAR", 150_000)),
    ("1. 0001944358911 bayar 150rb", ok(CARD, "BAYAR", 150_000)),
    ("- 3372010101250001 tidak ada", ok(KK, "TIDAKADA")),
    # aliases and small typos
    ("LAPOR 0001944358911 bayr 150000", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 byr 75rb", ok(CARD, "BAYAR", 75_000)),
    ("LAPOR 0001944358911 sudah bayar 140rb", ok(CARD, "BAYAR", 140_000)),
    ("LAPOR 0001944358911 sdh bayar 2 bulan", ok(CARD, "BAYAR", note="2 bulan")),
    ("LAPOR 0001944358911 lunas Rp1.050.000", ok(CARD, "BAYAR", 1_050_000)),
    ("LAPOR 0001944358911 BAYAR150000", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 tdk ada", ok(CARD, "TIDAKADA")),
    ("LAPOR 0001944358911 tdkada", ok(CARD, "TIDAKADA")),
    ("LAPOR 0001944358911 gak ada orang", ok(CARD, "TIDAKADA", note="orang")),
    ("LAPOR 0001944358911 tidak di rumah", ok(CARD, "TIDAKADA")),
    ("LAPOR 0001944358911 rumah kosong", ok(CARD, "TIDAKADA")),
    ("LAPOR 0001944358911 tidakda", ok(CARD, "TIDAKADA")),
    ("LAPOR 0001944358911 menolak galak", ok(CARD, "TOLAK", note="galak")),
    ("LAPOR 0001944358911 tdk mau bayar", ok(CARD, "TOLAK", note="bayar")),
    ("LAPOR 0001944358911 tolk", ok(CARD, "TOLAK")),
    ("LAPOR 0001944358911 rehap", ok(CARD, "REHAB")),
    ("LAPOR 0001944358911 mau cicil", ok(CARD, "REHAB")),
    ("LAPOR 0001944358911 daftar rehab", ok(CARD, "REHAB")),
    ("LAPOR 0001944358911 pindah alamat ke Sragen", ok(CARD, "PINDAH", note="ke Sragen")),
    ("LAPOR 0001944358911 pndh", ok(CARD, "PINDAH")),
    ("LAPOR 3372010101250001 daftar baru bayi", ok(KK, "DAFTAR", note="bayi")),
    ("LAPOR 0001944358911 sosialisasi autodebet", ok(CARD, "EDUKASI", note="autodebet")),
    ("LAPOR 0001944358911 edukasi", ok(CARD, "EDUKASI")),
    ("LAPOR 0001944358911 janji bayar 25/6", ok(CARD, "JANJI", promised=date(2025, 6, 25))),
    ("LAPOR 0001944358911 jnji besok", ok(CARD, "JANJI", promised=date(2025, 6, 3))),
    # amounts in every common form
    ("LAPOR 0001944358911 bayar Rp 150.000", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 bayar Rp.150.000,-", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 bayar 150 rb", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 bayar 150 ribu lewat indomaret", ok(CARD, "BAYAR", 150_000, note="lewat indomaret")),
    ("LAPOR 0001944358911 bayar 150k", ok(CARD, "BAYAR", 150_000)),
    ("LAPOR 0001944358911 bayar 1.5 juta", ok(CARD, "BAYAR", 1_500_000)),
    ("LAPOR 0001944358911 bayar Rp 1,2 jt", ok(CARD, "BAYAR", 1_200_000)),
    ("LAPOR 0001944358911 bayar 1.050.000", ok(CARD, "BAYAR", 1_050_000)),
    ("LAPOR 0001944358911 bayar", ok(CARD, "BAYAR")),
    ("LAPOR 0001944358911 janji 20 juni 150rb", ok(CARD, "JANJI", 150_000, promised=date(2025, 6, 20))),
    # promise dates
    ("LAPOR 0001944358911 janji 20-06-2025", ok(CARD, "JANJI", promised=date(2025, 6, 20))),
    ("LAPOR 0001944358911 janji tgl 15", ok(CARD, "JANJI", promised=date(2025, 6, 15))),
    ("LAPOR 0001944358911 janji tanggal 1 juli", ok(CARD, "JANJI", promised=date(2025, 7, 1))),
    ("LAPOR 0001944358911 janji lusa", ok(CARD, "JANJI", promised=date(2025, 6, 4))),
    ("LAPOR 0001944358911 janji minggu depan", ok(CARD, "JANJI", promised=date(2025, 6, 9))),
    ("LAPOR 0001944358911 janji 1 agt", ok(CARD, "JANJI", promised=date(2025, 8, 1))),
    # a visit time for reports typed offline and sent later
    ("LAPOR 0001944358911 bayar 150rb jam 10.30", ok(CARD, "BAYAR", 150_000, at=time(10, 30))),
    ("LAPOR 0001944358911 tdk ada kemarin", ok(CARD, "TIDAKADA", on=date(2025, 6, 1))),
    ("LAPOR 0001944358911 tolak kemarin jam 16.00", ok(CARD, "TOLAK", on=date(2025, 6, 1), at=time(16, 0))),
    ("LAPOR kmrn 0001944358911 edukasi", ok(CARD, "EDUKASI", on=date(2025, 6, 1))),
    ("LAPOR 0001944358911 bayar 150rb pukul 9:15", ok(CARD, "BAYAR", 150_000, at=time(9, 15))),
    ("LAPOR 0001944358911 rehab tadi jam 8", ok(CARD, "REHAB", at=time(8, 0))),
    # what cannot be recorded, and why
    ("LAPOR bayar 150000", bad("no_number")),
    ("LAPOR", None),  # a bare LAPOR is no report line: the guided report starts
    ("LAPOR 000194435891 bayar", bad("number_length", count=12)),
    ("LAPOR 12345 bayar", bad("number_length", count=5)),
    ("LAPOR 33720101012500011 bayar", bad("number_length", count=17)),
    ("LAPOR 0001944358911", bad("no_result")),
    ("LAPOR 0001944358911 kunjungan", bad("unknown_result", word="kunjungan")),
    ("LAPOR 0001944358911 150 bayar", bad("unknown_result", word="150")),
    ("LAPOR 0001944358911 janji", bad("janji_no_date")),
    ("LAPOR 0001944358911 janji nanti", bad("janji_no_date")),
    ("LAPOR 0001944358911 janji 31/2", bad("janji_bad_date", typed="31/2")),
    ("LAPOR 0001944358911 janji 1/6/2025", bad("janji_past")),
    ("LAPOR 0001944358911 janji 1/9", bad("janji_too_far", days=60, latest=date(2025, 8, 1))),
    ("LAPOR 0001944358911 bayar 15o.000", bad("amount_unreadable", typed="15o.000")),
    ("LAPOR 0001944358911 bayar 150", bad("amount_too_small", typed="150")),
    ("LAPOR 0001944358911 bayar 0rb", bad("amount_zero")),
    ("LAPOR 0001944358911 bayar 150jt", bad("amount_too_large", most=50_000_000)),
    ("LAPOR 0001944358911 tolak 150000", bad("amount_not_for_result", result="TOLAK")),
    ("LAPOR 0001944358911 tdk ada 2 kali", ok(CARD, "TIDAKADA", note="2 kali")),
    ("LAPOR 0001944358911 bayar jam 25.00", bad("time_unreadable", typed="25.00")),
    ("LAPOR 0001944358911 bayar jam 15.30", bad("time_future", typed="15.30")),
]


@pytest.mark.parametrize(("message", "expected"), LINES, ids=[message for message, _ in LINES])
def test_a_report_line_records_exactly_this_or_says_what_is_wrong(message, expected):
    parsed = parse_message(message, TODAY, NOW)
    if expected is None:
        assert parsed == []
        return
    [line] = parsed
    if isinstance(expected, VisitReport):
        assert line == expected
    else:
        code, values = expected
        assert isinstance(line, ReportProblem), line
        assert (line.code, line.values) == (code, values)


def test_the_table_holds_at_least_sixty_real_messages():
    assert len(LINES) >= 60


def test_several_reports_in_one_message_one_per_line_in_order():
    message = "LAPOR\n0001944358911 bayar 150rb\n\n3372010101250001 tdk ada\nLAPOR 0002000000011 janji 20/6\nxyz"
    parsed = parse_message(message, TODAY, NOW)
    assert [getattr(line, "result", None) or line.code for line in parsed] == ["BAYAR", "TIDAKADA", "JANJI",
                                                                                "no_number"]


def test_ubah_may_leave_out_the_household():
    assert parse_line("BAYAR 200rb", TODAY, NOW, number=CARD) == ok(CARD, "BAYAR", 200_000)
    assert parse_line(f"{KK} tolak", TODAY, NOW, number=CARD) == ok(KK, "TOLAK")


def test_a_branch_may_allow_larger_amounts_and_longer_promises():
    rules = ProgrammeRules(report_max_amount=200_000_000, promise_max_days=120)
    assert parse_line(f"{CARD} bayar 150jt", TODAY, NOW, rules) == ok(CARD, "BAYAR", 150_000_000)
    assert parse_line(f"{CARD} janji 1/9", TODAY, NOW, rules) == ok(CARD, "JANJI", promised=date(2025, 9, 1))


@pytest.mark.parametrize(("typed", "amount"), [
    ("150000", 150_000), ("150.000", 150_000), ("150,000", 150_000), ("Rp150rb", 150_000),
    ("Rp 150.000,-", 150_000), ("1,5jt", 1_500_000), ("1.5 juta", 1_500_000), ("1.500rb", 1_500_000),
    ("75k", 75_000), ("15o000", None), ("1.50.000", None), ("rb", None), ("", None),
])
def test_amounts_as_cadres_write_them(typed, amount):
    assert read_amount(typed) == amount


def test_the_guided_steps_read_single_answers():
    assert read_number("0001 9443 5891 1") == CARD
    assert read_number("0001944358911 bayar") is None and read_number("12345") is None
    assert read_result("tdk ada") == "TIDAKADA" and read_result("bayr") == "BAYAR"
    assert read_result("bayar 150rb") is None and read_result("halo") is None
    assert read_promise_date("besok", TODAY) == date(2025, 6, 3)
    assert read_promise_date("tgl 20/6", TODAY) == date(2025, 6, 20)


def test_the_same_report_resent_has_the_same_key_and_a_different_one_does_not():
    first = parse_line(f"{CARD} bayar 150rb", TODAY, NOW)
    resent = parse_line(f"lapor  {CARD}  BAYR  Rp150.000", TODAY, NOW)
    other = parse_line(f"{CARD} bayar 200rb", TODAY, NOW)
    assert isinstance(first, VisitReport) and isinstance(resent, VisitReport) and isinstance(other, VisitReport)
    assert content_key(first, "F1", TODAY) == content_key(resent, "F1", TODAY)
    assert content_key(first, "F1", TODAY) != content_key(other, "F1", TODAY)
    assert content_key(first, "F1", TODAY) != content_key(first, "F1", date(2025, 6, 3))
    assert len(content_key(first, "F1", TODAY)) <= 40
