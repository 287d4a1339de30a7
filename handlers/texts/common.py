"""The menu, help and language; the answers for what the bot cannot read; the web chat page's own."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- menu and help ---------------------------------------------------------------------------------
    "menu": (
        "Halo{name}! Saya KaderBot JKN. Pilih salah satu di bawah:",
        "Hello{name}! I am KaderBot JKN. Choose one below:",
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
    "choice.yes": ("Ya, setuju", "Yes, I agree"),
    "choice.no": ("Tidak", "No"),
    "step.leave": ("Ketik BATAL untuk keluar.", "Type BATAL to leave."),
    # --- the web chat simulator (answers to the page, not chat messages) ---------------------------------------
    "webchat.demo_only": (
        "Ini simulator demo: hanya nomor HP peserta atau kader demo yang bisa dipakai. Pilih dari daftar, "
        "atau chat tanpa nomor HP.",
        "This is a demo simulator: only the demo members' and cadres' phone numbers can be used. Pick one "
        "from the list, or chat without a phone number.",
    ),
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
    "whoami.share_contact": (
        "Kader JKN? Bagikan nomor HP Anda dengan tombol di bawah agar saya mengenali Anda.",
        "A JKN cadre? Share your phone number with the button below so that I recognise you.",
    ),
    "coming_soon": (
        "Fitur {feature} sedang disiapkan. Sementara ini hubungi Care Center 165.",
        "{feature} is being prepared. Meanwhile please call Care Center 165.",
    ),
}
