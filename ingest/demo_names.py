"""Where the demo branch's people come from: three regions' districts, given names and family names, and the
mobile prefixes and payment channels drawn from (ingest/demo.py builds the families)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoRegion:
    """A demo region: its code, districts (for NIK and KK numbers) and names."""

    code: str
    districts: tuple[str, ...]  # kecamatan codes (the NIK's and KK's first 6 digits)
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # family names; Javanese have none: a second given name instead
    second_female: tuple[str, ...] = ()  # Javanese second names for women (the surnames serve men)


SURAKARTA = DemoRegion(
    "3372", ("337201", "337202", "337203", "337204", "337205"),  # Laweyan .. Banjarsari
    male=("Budi", "Slamet", "Joko", "Agus", "Bambang", "Wahyu", "Eko", "Teguh", "Hartono", "Sutrisno", "Suparman",
          "Dwi", "Heru", "Bayu", "Rudi", "Yanto", "Sugeng", "Widodo", "Purnomo", "Ari", "Gatot", "Sigit"),
    female=("Sri", "Endang", "Siti", "Suparmi", "Tri", "Rini", "Ani", "Dewi", "Ratna", "Sumarni", "Wulan",
            "Lestari", "Yuni", "Sulastri", "Murni", "Tutik", "Wahyuni", "Indah", "Puji", "Rahayu", "Kartini"),
    surnames=("Santoso", "Prasetyo", "Wibowo", "Susanto", "Setiawan", "Nugroho", "Hidayat", "Purwanto",
              "Kurniawan", "Saputro", "Utomo", "Wijaya", "Sutrisno", "Haryanto", "Riyadi"),
    second_female=("Rahayu", "Lestari", "Wahyuni", "Handayani", "Susanti", "Wulandari", "Astuti", "Rahmawati",
                   "Purwaningsih", "Sulistyowati", "Ningsih", "Pratiwi"),
)
SAMARINDA = DemoRegion(
    "6472", tuple(f"6472{n:02d}" for n in range(1, 11)),
    male=("Muhammad", "Ahmad", "Rizky", "Andi", "Fajar", "Hendra", "Ilham", "Syahrul", "Arif", "Yusuf", "Rahmat",
          "Irwan", "Daeng", "Baso", "Hasan", "Taufik"),
    female=("Nurhayati", "Siti", "Rahmah", "Fitri", "Nur", "Aisyah", "Rina", "Dewi", "Halimah", "Nurul",
            "Wahidah", "Hasnah", "Mariani", "Norma", "Sari"),
    surnames=("Rahman", "Hidayat", "Saputra", "Anwar", "Gunawan", "Hamzah", "Syamsuddin", "Fadillah", "Aziz",
              "Ramadhan", "Nurdin", "Effendi", "Kurniawan", "Maulana"),
)
JAYAPURA = DemoRegion(
    "9171", ("917101", "917102", "917103", "917104", "917105"),
    male=("Yohanes", "Markus", "Yakob", "Petrus", "Paulus", "Daniel", "Yosias", "Frans", "Otto", "Simon",
          "Benyamin", "Lukas", "Nikolaus", "Herman"),
    female=("Maria", "Yosina", "Agustina", "Elisabeth", "Martha", "Yuliana", "Regina", "Ester", "Susana",
            "Debora", "Selfina", "Ruth", "Oktavina"),
    surnames=("Kogoya", "Wenda", "Tabuni", "Wonda", "Rumbiak", "Mandowen", "Yoku", "Ohee", "Sanggenafa",
              "Kambu", "Wanggai", "Rumaropen", "Itlay", "Mebri"),
)
REGIONS = (SURAKARTA, SAMARINDA, JAYAPURA)
MOBILE_PREFIXES = ("812", "813", "821", "822", "852", "853", "856", "857", "858", "877", "878", "881", "895",
                   "896")
CHANNELS = ("BRI VA", "BNI VA", "Mandiri VA", "BCA VA", "Indomaret", "Alfamart", "Mobile JKN", "GoPay",
            "Kantor Pos", "PPOB kader")
