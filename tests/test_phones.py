"""The one phone normaliser (rules/phones.py): every way Indonesians write a mobile number meets in E.164."""

from __future__ import annotations

import pytest

from rules.phones import local_number, mobile_e164


@pytest.mark.parametrize("typed", [
    "081234567890", "0812-3456-7890", "0812 3456 7890", "(0812) 3456.7890", "6281234567890", "+6281234567890",
    "+62 812-3456-7890", "81234567890",  # a spreadsheet ate the leading 0
])
def test_every_way_of_writing_a_mobile_number_meets_in_e164(typed):
    assert mobile_e164(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["", "12", "0271 123456", "+14155238886", "nomor saya", "0812"])
def test_what_is_not_an_indonesian_mobile_number_is_none(typed):
    assert mobile_e164(typed) is None


def test_numbers_are_shown_as_indonesians_dial_them():
    assert local_number("+6281234567890") == "081234567890"
    assert local_number("+14155238886") == "+14155238886"
    assert local_number(None) == "-"
