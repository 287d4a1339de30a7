"""Proving who one is (card number or NIK, birth date, a phone on file or the other identifier), consent,
choosing a family on a shared phone, and HAPUS."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- identity and consent --------------------------------------------------------------------------
    "identity.ask_number": (
        "Untuk melindungi data Anda, ketik nomor kartu JKN (13 angka) atau NIK (16 angka) salah satu "
        "anggota keluarga.",
        "To protect your data, type the JKN card number (13 digits) or NIK (16 digits) of one family member.",
    ),
    "identity.not_a_number": (
        "Itu bukan nomor kartu atau NIK.",
        "That is not a card number or NIK.",
    ),
    "identity.bad_number": (
        "Nomor yang Anda ketik {count} angka. Nomor kartu JKN 13 angka, NIK 16 angka.",
        "The number you typed has {count} digits. A JKN card number has 13 digits, a NIK 16.",
    ),
    "identity.ask_nik": (
        "Demi keamanan, ketik juga NIK pemilik kartu itu (16 angka, ada di KTP atau Kartu Keluarga).",
        "For your security, also type the card holder's NIK (16 digits, on the KTP or the family card).",
    ),
    "identity.ask_card": (
        "Demi keamanan, ketik juga nomor kartu JKN pemilik NIK itu (13 angka, ada di kartu JKN atau aplikasi "
        "Mobile JKN).",
        "For your security, also type the JKN card number of that NIK's holder (13 digits, on the JKN card or "
        "in the Mobile JKN app).",
    ),
    "identity.or_share_phone": (
        "Atau, jika nomor HP Anda tercatat di data keluarga, tekan tombol di bawah untuk membagikannya.",
        "Or, if your phone number is on your family's record, press the button below to share it.",
    ),
    "identity.phone_not_on_file": (
        "Nomor HP itu tidak bisa dipakai untuk memeriksa data ini.",
        "That phone number cannot be used to check this record.",
    ),
    "identity.too_many_lookups": (
        "Demi keamanan, terlalu banyak nomor dicoba dari chat ini. Coba lagi dalam {minutes} menit. Butuh "
        "bantuan? Hubungi Care Center 165.",
        "For security, too many numbers were tried from this chat. Please try again in {minutes} minutes. Need "
        "help? Call Care Center 165.",
    ),
    "identity.ask_birthdate": (
        "Terima kasih. Sekarang ketik tanggal lahir pemilik kartu itu, contoh: 17-08-1985.",
        "Thank you. Now type the card holder's date of birth, for example 17-08-1985.",
    ),
    "identity.bad_date": (
        "Maaf, tanggalnya belum terbaca. Contoh: 17-08-1985 atau 17 Agustus 1985.",
        "Sorry, I could not read that date. For example: 17-08-1985 or 17 August 1985.",
    ),
    "identity.future_date": (
        "Tanggal lahir tidak mungkin di masa depan. Coba lagi, contoh: 17-08-1985.",
        "A date of birth cannot be in the future. Please try again, for example 17-08-1985.",
    ),
    "identity.no_match": (
        "Data tidak cocok. Sisa percobaan: {left}. Ketik lagi tanggal lahirnya, atau nomor kartu/NIK untuk "
        "mulai dari awal. Ketik BATAL untuk keluar.",
        "The details do not match. Tries left: {left}. Type the date of birth again, or a card number/NIK to "
        "start over. Type BATAL to leave.",
    ),
    "identity.locked": (
        "Demi keamanan, pemeriksaan data dikunci di chat selama {minutes} menit karena terlalu banyak jawaban "
        "yang salah. Butuh bantuan? Hubungi Care Center 165.",
        "For security, checking these details in chat is locked for {minutes} minutes after too many wrong "
        "answers. Need help? Call Care Center 165.",
    ),
    "identity.consent": (
        "Data iuran keluarga Anda termasuk data pribadi. Apakah Anda setuju KaderBot JKN memakai data ini "
        "untuk menjawab pertanyaan Anda dan mengirim pengingat iuran? Anda bisa menarik persetujuan kapan "
        "saja dengan mengetik HAPUS.",
        "Your family's dues data is personal data. Do you agree that KaderBot JKN uses it to answer your "
        "questions and send dues reminders? You can withdraw at any time by typing HAPUS.",
    ),
    "identity.consent_again": ("Mohon jawab YA atau TIDAK.", "Please answer YA (yes) or TIDAK (no)."),
    "identity.no_consent": (
        "Baik, data Anda tidak kami tampilkan. Informasi umum tetap bisa: ketik BAYAR, DAFTAR atau BANTUAN.",
        "OK, we will not show your data. General information is still available: type BAYAR, DAFTAR or "
        "BANTUAN.",
    ),
    "identity.verified": ("Terima kasih{name_sep}{name}, data Anda cocok.", "Thank you{name_sep}{name}, you are verified."),
    "identity.which_family": (
        "Nomor ini terhubung ke beberapa keluarga. Yang mana? Ketik angkanya atau nama kepala keluarga.",
        "This number is linked to several families. Which one? Type its number or the head of the family's "
        "name.",
    ),
    "identity.which_family_again": (
        "Maaf, keluarga itu belum saya kenali.",
        "Sorry, I do not recognise that family.",
    ),
    "identity.for_family": ("Untuk keluarga {name} (KK {family}):", "For the family of {name} (KK {family}):"),
    "identity.another_family": ("Keluarga lain", "Another family"),
    "identity.withdrawn": (
        "Persetujuan Anda sudah ditarik dan chat ini tidak lagi terhubung ke data keluarga Anda. Pesan-pesan "
        "chat ini yang kami simpan sudah dihapus.",
        "Your consent is withdrawn and this chat is no longer linked to your family's data. The messages of "
        "this chat that we stored are erased.",
    ),
}
