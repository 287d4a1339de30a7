"""A member's time zone comes from their region code, never from the +62 phone prefix."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from rules.regions import region_name, zone_for_region, zone_label


@pytest.mark.parametrize(("region_code", "zone", "label", "utc_offset_hours"), [
    pytest.param("3372", "Asia/Jakarta", "WIB", 7, id="surakarta-java"),
    pytest.param("1271", "Asia/Jakarta", "WIB", 7, id="medan-sumatra"),
    pytest.param("2171", "Asia/Jakarta", "WIB", 7, id="batam-riau-islands"),
    pytest.param("6171", "Asia/Jakarta", "WIB", 7, id="pontianak-west-kalimantan"),
    pytest.param("6271", "Asia/Jakarta", "WIB", 7, id="palangka-raya-central-kalimantan"),
    pytest.param("6371", "Asia/Makassar", "WITA", 8, id="banjarmasin-south-kalimantan"),
    pytest.param("6472", "Asia/Makassar", "WITA", 8, id="samarinda-east-kalimantan"),
    pytest.param("6501", "Asia/Makassar", "WITA", 8, id="north-kalimantan"),
    pytest.param("5171", "Asia/Makassar", "WITA", 8, id="denpasar-bali"),
    pytest.param("5271", "Asia/Makassar", "WITA", 8, id="mataram-ntb"),
    pytest.param("5371", "Asia/Makassar", "WITA", 8, id="kupang-ntt"),
    pytest.param("7371", "Asia/Makassar", "WITA", 8, id="makassar-sulawesi"),
    pytest.param("7601", "Asia/Makassar", "WITA", 8, id="west-sulawesi"),
    pytest.param("8171", "Asia/Jayapura", "WIT", 9, id="ambon-maluku"),
    pytest.param("8271", "Asia/Jayapura", "WIT", 9, id="ternate-north-maluku"),
    pytest.param("9171", "Asia/Jayapura", "WIT", 9, id="jayapura-papua"),
    pytest.param("9601", "Asia/Jayapura", "WIT", 9, id="southwest-papua"),
    pytest.param("9999", "Asia/Jakarta", "WIB", 7, id="unknown-province-wib"),
    pytest.param("", "Asia/Jakarta", "WIB", 7, id="no-code-wib"),
])
def test_zone_for_region(region_code: str, zone: str, label: str, utc_offset_hours: int) -> None:
    found = zone_for_region(region_code)
    assert found.key == zone
    assert zone_label(found) == label
    offset = datetime(2025, 11, 15, 3, 0, tzinfo=UTC).astimezone(found).utcoffset()
    assert offset is not None and offset.total_seconds() == utc_offset_hours * 3600


def test_nine_in_the_morning_in_surakarta_samarinda_and_jayapura() -> None:
    local = {code: datetime(2025, 11, 15, 2, 0, tzinfo=UTC).astimezone(zone_for_region(code)).hour
             for code in ("3372", "6472", "9171")}
    assert local == {"3372": 9, "6472": 10, "9171": 11}


@pytest.mark.parametrize(("zone", "label"), [
    pytest.param("Asia/Pontianak", "WIB", id="pontianak-key"),
    pytest.param(ZoneInfo("Asia/Jayapura"), "WIT", id="zoneinfo"),
])
def test_zone_label(zone: ZoneInfo | str, label: str) -> None:
    assert zone_label(zone) == label


def test_a_foreign_zone_has_no_indonesian_label() -> None:
    with pytest.raises(ValueError, match="Europe/Amsterdam"):
        zone_label(ZoneInfo("Europe/Amsterdam"))


@pytest.mark.parametrize(("region_code", "name"), [
    pytest.param("3372", "Kota Surakarta", id="surakarta"),
    pytest.param("6472", "Kota Samarinda", id="samarinda"),
    pytest.param("9171", "Kota Jayapura", id="jayapura"),
    pytest.param("3311", "Kabupaten Sukoharjo", id="sukoharjo"),
    pytest.param("0000", None, id="unknown"),
])
def test_region_name(region_code: str, name: str | None) -> None:
    assert region_name(region_code) == name
