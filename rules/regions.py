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


ZONES = (WIB, WITA, WIT)


def provinces_in(zone: ZoneInfo) -> tuple[str, ...]:
    """The province codes (a region code's first two digits) in `zone`; unknown codes count as WIB."""
    return tuple(sorted(code for code, found in _PROVINCE_ZONES.items() if found == zone))


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


# What people call a place when it is not its official name: Solo is Kota Surakarta, Jogja Kota Yogyakarta.
# Longer names first, so "solo baru" (in Kabupaten Sukoharjo) is not read as Solo.
PLACE_ALIASES: dict[str, str] = {
    "SOLO BARU": "3311",
    "SOLO": "3372",
    "SURAKARTA": "3372",
    "JOGJA": "3471",
    "JOGJAKARTA": "3471",
    "YOGYA": "3471",
    "JOGJA KOTA": "3471",
    "SMD": "6472",
    "BPN": "6471",
    "JKT PUSAT": "3171",
    "JAKPUS": "3171",
}
_ADMINISTRATIVE = ("KABUPATEN", "KAB", "KOTA", "KOTAMADYA")


def region_for_place(typed: str) -> str | None:
    """The region code of a place as someone types it: its 4-digit code, its name with or without
    "Kota"/"Kabupaten" ("surakarta", "Kota Surakarta"), a common name ("solo"), or a sentence naming one
    ("saya di solo"); None when no region we carry is named."""
    words = "".join(ch if ch.isalnum() else " " for ch in typed.upper()).split()
    if not words:
        return None
    if len(words) == 1 and words[0] in REGION_NAMES:
        return words[0]
    names = dict(PLACE_ALIASES)
    for code, name in REGION_NAMES.items():
        parts = name.upper().split()
        names.setdefault(" ".join(parts), code)
        names.setdefault(" ".join(part for part in parts if part not in _ADMINISTRATIVE), code)
    # The longest place name found as whole words wins: "kabupaten sukoharjo" before any shorter name.
    for name in sorted(names, key=lambda n: -len(n.split())):
        size = len(name.split())
        if any(" ".join(words[i:i + size]) == name for i in range(len(words) - size + 1)):
            return names[name]
    # The start of one name only ("jakarta", "samar"): that region, as long as no other name starts so.
    joined = " ".join(words)
    found = {code for name, code in names.items()
             if len(joined) >= 4 and any(" ".join(name.split()[i:]).startswith(joined)
                                         for i in range(len(name.split())))}
    return found.pop() if len(found) == 1 else None
