"""Every text a member or cadre reads, Indonesian first and English second, in one catalogue.

Keep texts short (a small phone screen) and in the plain Indonesian a cadre would use. Placeholders are
`str.format` fields. Sections follow the menu; add a feature's texts to its own section.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- menu and help ---------------------------------------------------------------------------------
    "menu": (
        "Halo{name}! Saya KaderBot JKN. Pilih salah satu (ketik angka atau katanya):",
        "Hello{name}! I am KaderBot JKN. Choose one (type the number or the word):",
    ),
    "menu.cek": ("Cek tunggakan keluarga", "Check family arrears"),
    "menu.rehab": ("Cicilan REHAB", "REHAB instalments"),
    "menu.bayar": ("Cara bayar", "How to pay"),
    "menu.janji": ("Janji bayar", "Promise to pay"),
    "menu.keluhan": ("Bantuan dari kader", "Help from my cadre"),
    "menu.daftar": ("Cara daftar JKN", "How to register"),
    "menu.stop": ("Berhenti pengingat", "Stop reminders"),
    "menu.bantuan": ("Bantuan", "Help"),
    "help": (
        "KaderBot JKN membantu Anda:\n"
        "- CEK: tunggakan iuran keluarga\n- REHAB: cicilan tunggakan\n- BAYAR: cara bayar\n"
        "- JANJI <tanggal>: janji bayar\n- KELUHAN <pesan>: minta bantuan kader\n"
        "- CEK KADER <kode>: cek kader asli\n- STOP / MULAI: pengingat\n- BAHASA EN: English\n\n"
        "Layanan resmi BPJS Kesehatan: Care Center 165, PANDAWA WA 0811-8165-165 (Sen-Jum 08.00-15.00), "
        "aplikasi Mobile JKN.",
        "KaderBot JKN helps you:\n"
        "- CEK: your family's arrears\n- REHAB: instalments for arrears\n- BAYAR: how to pay\n"
        "- JANJI <date>: promise to pay\n- KELUHAN <message>: ask your cadre for help\n"
        "- CEK KADER <code>: is this cadre real\n- STOP / MULAI: reminders\n- BAHASA ID: Bahasa Indonesia\n\n"
        "Official BPJS Kesehatan channels: Care Center 165, PANDAWA WA 0811-8165-165 (Mon-Fri 08:00-15:00), "
        "the Mobile JKN app.",
    ),
    "language.set": ("Baik, saya akan menjawab dalam Bahasa Indonesia.", "OK, I will answer in English."),
    "language.ask": ("Ketik BAHASA ID atau BAHASA EN.", "Type BAHASA ID or BAHASA EN."),
    # --- things the bot cannot read ------------------------------------------------------------------------
    "unknown": (
        "Maaf, saya belum mengerti \"{text}\". Ketik MENU untuk pilihan, atau BANTUAN.",
        "Sorry, I did not understand \"{text}\". Type MENU for the choices, or BANTUAN for help.",
    ),
    "unreadable": (
        "Maaf, saya hanya bisa membaca pesan teks. Ketik MENU untuk pilihan.",
        "Sorry, I can only read text messages. Type MENU for the choices.",
    ),
    "empty": ("Pesannya kosong. Ketik MENU untuk pilihan.", "The message was empty. Type MENU for the choices."),
    "expired": (
        "Langkah sebelumnya sudah lewat 30 menit, jadi saya mulai dari awal.",
        "The previous step timed out after 30 minutes, so let us start again.",
    ),
    "cancelled": ("Dibatalkan. Ketik MENU untuk pilihan.", "Cancelled. Type MENU for the choices."),
    "whoami": (
        "Anda menulis dari {channel} ({address}).{cadre}",
        "You are writing from {channel} ({address}).{cadre}",
    ),
    "whoami.cadre": (" Anda terdaftar sebagai kader {code} ({name}).", " You are registered as cadre {code} ({name})."),
    "coming_soon": (
        "Fitur {feature} sedang disiapkan. Sementara ini hubungi Care Center 165.",
        "{feature} is being prepared. Meanwhile please call Care Center 165.",
    ),
}

LANGUAGES = ("id", "en")


def text(key: str, language: str = "id", **values: object) -> str:
    """The text for `key` in `language` (Indonesian when unknown), with its placeholders filled."""
    indonesian, english = TEXTS[key]
    template = english if language == "en" else indonesian
    return template.format(**values) if values else template
