"""Time zone and name of a region (BPS/Kemendagri code): the phone prefix +62 cannot tell a member's zone.

The first two digits of a region code are the province, and a province lies in one of Indonesia's three
zones. Pure lookups, so reminders and replies can show local time without any I/O.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7
WITA = ZoneInfo("Asia/Makassar")  # UTC+8
WIT = ZoneInfo("Asia/Jayapura")  # UTC+9

_PROVINCE_ZONES: dict[str, ZoneInfo] = {
    # Sumatra (11-19) and the Riau Islands (21); Java (31-36); West and Central Kalimantan (61, 62)
    **{str(code): WIB for code in (*range(11, 20), 21, *range(31, 37), 61, 62)},
    # Bali, NTB, NTT; South, East and North Kalimantan; Sulawesi
    **{str(code): WITA for code in (51, 52, 53, 63, 64, 65, *range(71, 77))},
    # Maluku, North Maluku and the Papua provinces
    **{str(code): WIT for code in (81, 82, *range(91, 97))},
}

_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

REGION_NAMES: dict[str, str] = {
    "1271": "Kota Medan",
    "3171": "Kota Jakarta Pusat",
    "3273": "Kota Bandung",
    "3311": "Kabupaten Sukoharjo",
    "3313": "Kabupaten Karanganyar",
    "3372": "Kota Surakarta",
    "3374": "Kota Semarang",
    "3471": "Kota Yogyakarta",
    "3578": "Kota Surabaya",
    "5171": "Kota Denpasar",
    "5271": "Kota Mataram",
    "5371": "Kota Kupang",
    "6171": "Kota Pontianak",
    "6471": "Kota Balikpapan",
    "6472": "Kota Samarinda",
    "7171": "Kota Manado",
    "7371": "Kota Makassar",
    "8171": "Kota Ambon",
    "9171": "Kota Jayapura",
}


def zone_for_region(region_code: str) -> ZoneInfo:
    """The zone of the region's province; WIB when the code is unknown, as most members live in WIB."""
    return _PROVINCE_ZONES.get(region_code.strip()[:2], WIB)


def zone_label(zone: ZoneInfo | str) -> str:
    """How Indonesians name the zone after a time: WIB, WITA or WIT."""
    key = zone if isinstance(zone, str) else zone.key
    try:
        return _LABELS[key]
    except KeyError:
        raise ValueError(f"{key} is not an Indonesian time zone") from None


def region_name(region_code: str) -> str | None:
    """The kabupaten/kota name for a 4-digit code, or None when it is not in the short list we carry."""
    return REGION_NAMES.get(region_code.strip())
