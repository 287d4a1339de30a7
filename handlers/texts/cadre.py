"""What cadres read (menus, one-line and guided reports, TUGAS, REKAP, tickets), and what members hear
about a cadre's report."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- menus ---------------------------------------------------------------------------------------
    "cadre.menu": (
        "Halo {name}! Menu kader JKN (ketik angka atau katanya):",
        "Hello {name}! JKN cadre menu (type the number or the word):",
    ),
    "cadre.menu.lapor": ("Lapor kunjungan", "Report a visit"),
    "cadre.menu.tugas": ("Tugas hari ini", "Today's visits"),
    "cadre.menu.rekap": ("Rekap capaian", "My progress"),
    "cadre.menu.tim": ("Rekap tim", "Team progress"),
    "cadre.menu.bantuan": ("Cara lapor", "How to report"),
    "cadre.menu.peserta": ("Menu peserta", "Member menu"),
    "cadre.menu.kader": ("Menu kader", "Cadre menu"),
    "cadre.to_member_menu": (
        "Anda di menu peserta. Ketik MENU KADER untuk kembali ke menu kader.",
        "You are in the member menu. Type MENU KADER to go back to the cadre menu.",
    ),
    "cadre.help": (
        "Lapor kunjungan dalam satu baris:\nLAPOR <no. kartu/KK> <HASIL> [jumlah] [catatan]\n"
        "HASIL: BAYAR, JANJI <tgl>, REHAB, TOLAK, TIDAKADA, PINDAH, DAFTAR, EDUKASI\n"
        "Contoh:\nLAPOR 0001944358911 BAYAR 150rb\nLAPOR 3372010101250001 JANJI 20/6\n"
        "LAPOR 0001944358911 TIDAKADA kemarin jam 16.00\n"
        "Beberapa laporan sekaligus: satu baris satu laporan. Ketik LAPOR saja untuk dipandu.\n"
        "BATAL: batalkan laporan terakhir. UBAH <koreksi>: ubah laporan terakhir (hari yang sama).\n"
        "TUGAS: daftar kunjungan hari ini (TUGAS OFF / TUGAS ON: kiriman pagi). REKAP: capaian Anda. "
        "REKAP TIM: tim Anda. JAWAB / TUTUP <tiket>: balas keluhan. MENU PESERTA: menu peserta.",
        "Report a visit in one line:\nLAPOR <card/KK number> <RESULT> [amount] [note]\n"
        "RESULT: BAYAR (paid), JANJI <date> (promise), REHAB, TOLAK (refused), TIDAKADA (not home), "
        "PINDAH (moved), DAFTAR (registered), EDUKASI\n"
        "Examples:\nLAPOR 0001944358911 BAYAR 150rb\nLAPOR 3372010101250001 JANJI 20/6\n"
        "LAPOR 0001944358911 TIDAKADA kemarin jam 16.00\n"
        "Several reports at once: one line each. Type LAPOR alone to be guided.\n"
        "BATAL: cancel your last report. UBAH <correction>: edit your last report (the same day).\n"
        "TUGAS: today's visits (TUGAS OFF / TUGAS ON: the morning list). REKAP: your progress. "
        "REKAP TIM: your team. JAWAB / TUTUP <ticket>: answer complaints. MENU PESERTA: member menu.",
    ),
    # --- one-line reports: what was recorded ---------------------------------------------------------
    "report.recorded": ("✅ {number}: {what}", "✅ {number}: {what}"),
    "report.what": ("KK {family} ({name}), {result}{details}, {when}", "KK {family} ({name}), {result}{details}, {when}"),
    "report.what_unlinked": ("no. {household}, {result}{details}, {when}", "no. {household}, {result}{details}, {when}"),
    "report.amount": (" {amount}", " {amount}"),
    "report.promise": (" tgl {date}", " by {date}"),
    "report.note": (", catatan: {note}", ", note: {note}"),
    "report.receipt_sent": ("Tanda terima dikirim ke keluarga.", "A receipt was sent to the family."),
    "report.no_receipt": (
        "Keluarga belum punya chat atau nomor HP: tanda terima tidak terkirim.",
        "The family has no chat or phone: no receipt could be sent.",
    ),
    "report.duplicate": (
        "↩️ {number} sudah tercatat sebelumnya (kiriman ulang), tidak dicatat dua kali.",
        "↩️ {number} was already recorded (a resend); not recorded twice.",
    ),
    "report.line": ("Baris {line}: {answer}", "Line {line}: {answer}"),
    "report.too_many": (
        "Paling banyak {most} laporan per pesan; baris sesudahnya tidak dibaca. Kirim sisanya di pesan lain.",
        "At most {most} reports per message; later lines were not read. Send the rest in another message.",
    ),
    "report.next": (
        "Kirim lokasi sekarang untuk melampirkannya. Salah? BATAL atau UBAH <koreksi>.",
        "Send your location now to attach it. A mistake? BATAL or UBAH <correction>.",
    ),
    "report.not_yours": (
        "❌ Nomor {number} tidak ada di daftar Anda atau di wilayah Anda. Periksa nomornya; laporan ini tidak "
        "dicatat.",
        "❌ Number {number} is not on your list or in your area. Check the number; this report was not recorded.",
    ),
    # --- one-line reports: what could not be read ----------------------------------------------------
    "report.problem": ("❌ {problem}", "❌ {problem}"),
    "report.problem.no_number": (
        "Nomor kartu (13 angka) atau KK (16 angka) tidak ada. Contoh: LAPOR 0001944358911 BAYAR 150rb",
        "The card (13 digits) or KK (16 digits) number is missing. Example: LAPOR 0001944358911 BAYAR 150rb",
    ),
    "report.problem.number_length": (
        "Nomornya {count} angka. Nomor kartu 13 angka, nomor KK 16 angka.",
        "The number has {count} digits. A card number has 13 digits, a KK number 16.",
    ),
    "report.problem.no_result": (
        "Hasil kunjungan tidak ada. Tulis sesudah nomor: BAYAR, JANJI <tgl>, REHAB, TOLAK, TIDAKADA, PINDAH, "
        "DAFTAR atau EDUKASI.",
        "The visit's result is missing. Write after the number: BAYAR, JANJI <date>, REHAB, TOLAK, TIDAKADA, "
        "PINDAH, DAFTAR or EDUKASI.",
    ),
    "report.problem.unknown_result": (
        "\"{word}\" bukan hasil kunjungan. Pilih: BAYAR, JANJI <tgl>, REHAB, TOLAK, TIDAKADA, PINDAH, DAFTAR, "
        "EDUKASI.",
        "\"{word}\" is not a visit result. Choose: BAYAR, JANJI <date>, REHAB, TOLAK, TIDAKADA, PINDAH, DAFTAR, "
        "EDUKASI.",
    ),
    "report.problem.janji_no_date": (
        "JANJI perlu tanggal. Contoh: JANJI 20/6, JANJI 20 Juni, JANJI besok.",
        "JANJI needs a date. Example: JANJI 20/6, JANJI 20 Juni, JANJI besok.",
    ),
    "report.problem.janji_bad_date": (
        "Tanggal \"{typed}\" tidak terbaca. Contoh: JANJI 20/6 atau JANJI 20-06-2025.",
        "The date \"{typed}\" cannot be read. Example: JANJI 20/6 or JANJI 20-06-2025.",
    ),
    "report.problem.janji_past": ("Tanggal janji sudah lewat.", "The promised date has passed."),
    "report.problem.janji_too_far": (
        "Janji bayar paling lama {days} hari, sampai {latest}.",
        "A promise can be at most {days} days ahead, until {latest}.",
    ),
    "report.problem.amount_unreadable": (
        "Jumlah \"{typed}\" tidak terbaca. Contoh: 150000, 150.000, 150rb, 1,5jt.",
        "The amount \"{typed}\" cannot be read. Example: 150000, 150.000, 150rb, 1,5jt.",
    ),
    "report.problem.amount_too_small": (
        "Jumlah {typed} terlalu kecil. Maksudnya {typed}rb? Tulis 150rb atau 150000.",
        "The amount {typed} is too small. Did you mean {typed}rb? Write 150rb or 150000.",
    ),
    "report.problem.amount_zero": ("Jumlahnya nol. Tanpa uang? Tulis tanpa jumlah.",
                                   "The amount is zero. No money? Leave the amount out."),
    "report.problem.amount_too_large": (
        "Jumlahnya lebih dari {most}: periksa lagi angkanya.",
        "The amount is more than {most}: please check the figure.",
    ),
    "report.problem.amount_not_for_result": (
        "Jumlah uang hanya untuk BAYAR atau JANJI, bukan {result}. Uang diterima? Tulis BAYAR.",
        "An amount goes only with BAYAR or JANJI, not {result}. Money received? Write BAYAR.",
    ),
    "report.problem.time_unreadable": (
        "Jam \"{typed}\" tidak terbaca. Contoh: jam 10.30.",
        "The time \"{typed}\" cannot be read. Example: jam 10.30.",
    ),
    "report.problem.time_future": (
        "Jam {typed} belum lewat hari ini. Kunjungan kemarin? Tulis: kemarin jam {typed}.",
        "{typed} has not come yet today. A visit yesterday? Write: kemarin jam {typed}.",
    ),
    # --- BATAL, UBAH, location -----------------------------------------------------------------------
    "report.cancelled": (
        "{number} dibatalkan ({what}). Riwayatnya tetap disimpan.",
        "{number} is cancelled ({what}). Its history is kept.",
    ),
    "report.none_today": (
        "Tidak ada laporan Anda hari ini yang bisa dibatalkan atau diubah. Laporan hari sebelumnya: hubungi "
        "supervisor Anda.",
        "You have no report from today to cancel or edit. For an earlier day's report, contact your supervisor.",
    ),
    "report.amend_ask": (
        "Laporan terakhir: {number} ({what}). Ketik yang benar, contoh: BAYAR 200rb, atau nomor lain: "
        "0001944358911 TIDAKADA.",
        "Last report: {number} ({what}). Type the correct one, e.g. BAYAR 200rb, or another number: "
        "0001944358911 TIDAKADA.",
    ),
    "report.amended": ("{number} menggantikan {old}.", "{number} replaces {old}."),
    "report.location_saved": ("📍 Lokasi disimpan untuk {number}.", "📍 Location saved for {number}."),
    "report.location_alone": (
        "Lokasi diterima, tapi tidak ada laporan baru untuk dilampiri. Kirim lokasi sesudah LAPOR.",
        "Location received, but there is no recent report to attach it to. Send it after LAPOR.",
    ),
    # --- guided LAPOR --------------------------------------------------------------------------------
    "guided.household": (
        "Lapor kunjungan. Keluarga mana? Pilih dari tugas hari ini, atau ketik nomor kartu / KK.",
        "Report a visit. Which family? Choose from today's list, or type the card / KK number.",
    ),
    "guided.household_typed": (
        "Ketik nomor kartu (13 angka) atau KK (16 angka) keluarga yang dikunjungi.",
        "Type the card (13 digits) or KK (16 digits) number of the family visited.",
    ),
    "guided.result": ("Hasil kunjungan ke {name}?", "The result of the visit to {name}?"),
    "guided.result.BAYAR": ("Bayar / setor", "Paid"),
    "guided.result.JANJI": ("Janji bayar", "Promised to pay"),
    "guided.result.REHAB": ("Mau ikut REHAB", "Wants REHAB"),
    "guided.result.TOLAK": ("Menolak", "Refused"),
    "guided.result.TIDAKADA": ("Tidak ada di rumah", "Not at home"),
    "guided.result.PINDAH": ("Pindah alamat", "Moved"),
    "guided.result.DAFTAR": ("Daftar peserta baru", "Registered a new member"),
    "guided.result.EDUKASI": ("Edukasi / sosialisasi", "Education"),
    "guided.result_again": ("Pilih salah satu hasil (ketik angkanya).", "Choose one result (type its number)."),
    "guided.amount": (
        "Berapa yang dibayar / diterima? Contoh: 150rb. Tanpa uang? Pilih Tanpa jumlah.",
        "How much was paid / received? Example: 150rb. No money? Choose No amount.",
    ),
    "guided.no_amount": ("Tanpa jumlah", "No amount"),
    "guided.promise": ("Janji bayar tanggal berapa? Contoh: 20/6.", "Promised to pay by when? Example: 20/6."),
    "guided.tomorrow": ("Besok", "Tomorrow"),
    "guided.day_after": ("Lusa", "The day after tomorrow"),
    "guided.note": (
        "Catatan singkat? Bisa juga kirim lokasi. Atau pilih Simpan.",
        "A short note? You can also send your location. Or choose Save.",
    ),
    "guided.save": ("Simpan", "Save"),
    "guided.location_kept": ("📍 Lokasi diterima.", "📍 Location received."),
    # --- receipts and other messages to the family ---------------------------------------------------
    "receipt.to_member": (
        "Tanda terima KaderBot JKN: kader {cadre} ({code}) mencatat {amount} dari keluarga KK {family} pada "
        "{when}. No. laporan {number}. Pastikan kader asli: ketik CEK KADER {code}. Pembayaran tampil di CEK "
        "setelah disetor; belum tampil dalam {days} hari? Hubungi Care Center 165.",
        "KaderBot JKN receipt: cadre {cadre} ({code}) recorded {amount} from family KK {family} on {when}. "
        "Report no. {number}. Check the cadre is real: type CEK KADER {code}. The payment shows in CEK once "
        "paid in; not there within {days} days? Call Care Center 165.",
    ),
    "receipt.replaced": (
        "Koreksi: laporan {old} diganti {number}.",
        "Correction: report {old} is replaced by {number}.",
    ),
    "receipt.cancelled": (
        "Laporan {number} ({amount}) dari kader {cadre} ({code}) dibatalkan oleh kader. Sudah menyerahkan "
        "uang? Minta penjelasan kader, atau hubungi Care Center 165.",
        "Report {number} ({amount}) by cadre {cadre} ({code}) was cancelled by the cadre. Did you hand over "
        "money? Ask the cadre, or call Care Center 165.",
    ),
    "rehab.invited": (
        "Kader {cadre} mencatat keluarga Anda ingin ikut REHAB (cicilan tunggakan). Mari lihat pilihannya.",
        "Cadre {cadre} noted that your family would like to join REHAB (instalments). Let us see the options.",
    ),
    # --- TUGAS ----------------------------------------------------------------------------------------
    "tugas.title": ("Tugas {day} ({count} rumah):", "Visits for {day} ({count} households):"),
    "tugas.line": ("{index}. {name}, KK {family}: {months} bln, {amount}{reasons}",
                   "{index}. {name}, KK {family}: {months} months, {amount}{reasons}"),
    "tugas.promise_due": ("; janji bayar {date}", "; promised by {date}"),
    "tugas.never": ("; belum pernah dikunjungi", "; never visited"),
    "tugas.since": ("; dikunjungi {days} hari lalu", "; visited {days} days ago"),
    "tugas.since_today": ("; sudah dikunjungi hari ini", "; already visited today"),
    "tugas.since_yesterday": ("; dikunjungi kemarin", "; visited yesterday"),
    "tugas.in_plan": ("; ikut REHAB", "; in REHAB"),
    "tugas.footer": ("Lapor: LAPOR <no. kartu/KK> <HASIL>, atau LAPOR saja untuk dipandu.",
                     "Report: LAPOR <card/KK number> <RESULT>, or LAPOR alone to be guided."),
    "tugas.morning_footer": ("Kiriman pagi ini bisa dimatikan: TUGAS OFF.", "Turn this morning list off: TUGAS OFF."),
    "tugas.none": (
        "Tidak ada keluarga dengan tunggakan di daftar Anda hari ini.",
        "No family on your list is in arrears today.",
    ),
    "tugas.off": ("Kiriman TUGAS tiap pagi dimatikan. Ketik TUGAS ON untuk menyalakan lagi.",
                  "The morning TUGAS list is off. Type TUGAS ON to turn it on again."),
    "tugas.on": ("Kiriman TUGAS tiap pagi kerja jam {hour}.00 dinyalakan.",
                 "The TUGAS list comes every working morning at {hour}:00."),
    # --- REKAP ----------------------------------------------------------------------------------------
    "rekap.title": ("Rekap {name} ({code}), {date}:", "Progress of {name} ({code}), {date}:"),
    "rekap.visits": ("{label}: {done} dari {target} rumah\n{bar}", "{label}: {done} of {target} households\n{bar}"),
    "rekap.today": ("Hari ini", "Today"),
    "rekap.week": ("Minggu ini", "This week"),
    "rekap.month": ("Bulan ini", "This month"),
    "rekap.period": ("Periode {first} - {last}", "Period {first} - {last}"),
    "rekap.collected": ("Setoran bulan ini: {done} dari {target}\n{bar}",
                        "Collected this month: {done} of {target}\n{bar}"),
    "rekap.confirmed": ("- terkonfirmasi: {amount} ({count} laporan)", "- confirmed: {amount} ({count} reports)"),
    "rekap.reported": ("- menunggu pembayaran tercatat: {amount} ({count} laporan)",
                       "- waiting for the payment to show: {amount} ({count} reports)"),
    # --- REKAP TIM ------------------------------------------------------------------------------------
    "tim.not_supervisor": ("REKAP TIM khusus supervisor kader yang punya anggota tim.",
                           "REKAP TIM is for cadre supervisors with a team."),
    "tim.title": ("Rekap tim {name}, minggu {first} - {last}:", "Team of {name}, week {first} - {last}:"),
    "tim.line": (
        "- {code} {name}: minggu {week}/{week_target} rumah, bulan {month}/{month_target}, setoran {collected} "
        "({collected_percent}%), belum terkonfirmasi {unconfirmed}",
        "- {code} {name}: week {week}/{week_target} households, month {month}/{month_target}, collected "
        "{collected} ({collected_percent}%), unconfirmed {unconfirmed}",
    ),
    "tim.silent": ("Belum lapor minggu ini: {names}", "No report this week: {names}"),
    "tim.all_reported": ("Semua anggota tim sudah lapor minggu ini.", "Everyone in the team reported this week."),
    "tim.overdue": ("Setoran belum terkonfirmasi lebih dari {days} hari:", "Collections unconfirmed after {days} days:"),
    "tim.overdue_line": ("- {number} {code}, KK {family}, {amount}, {date}", "- {number} {code}, KK {family}, {amount}, {date}"),
    "tim.digest_title": ("Ringkasan mingguan tim {name}, minggu {first} - {last}:",
                         "Weekly team digest of {name}, week {first} - {last}:"),
    "tim.flagged": (
        "Perlu dicek: setoran dilaporkan kader tapi belum ada pembayaran tercatat sesudah {days} hari:",
        "Please check: collections reported by cadres with no payment recorded after {days} days:",
    ),
    # --- cadres: tickets -----------------------------------------------------------------------------
    "cadre.only": ("Perintah ini khusus kader JKN terdaftar.", "This command is for registered JKN cadres."),
    "cadre.ticket_unknown": ("Tiket {number} tidak ada di daftar Anda.", "Ticket {number} is not on your list."),
    "cadre.answer_empty": ("Tulis jawabannya: JAWAB {number} <pesan>.", "Write the answer: JAWAB {number} <message>."),
    "cadre.ticket_answered": ("Jawaban untuk {number} terkirim ke peserta.", "Answer to {number} sent to the member."),
    "cadre.ticket_closed": ("Tiket {number} ditutup; peserta diberi tahu.", "Ticket {number} closed; the member is told."),
    "cadre.answer_to_member": (
        "Jawaban kader {name} untuk tiket {number}: {answer}",
        "Cadre {name}'s answer to ticket {number}: {answer}",
    ),
    "cadre.closed_to_member": (
        "Tiket {number} sudah diselesaikan oleh kader {name}. {answer}",
        "Ticket {number} was closed by cadre {name}. {answer}",
    ),
    # The same answers when branch staff settle a ticket from the dashboard.
    "staff.answer_to_member": (
        "Jawaban petugas kantor cabang BPJS Kesehatan untuk tiket {number}: {answer}",
        "The BPJS Kesehatan branch office's answer to ticket {number}: {answer}",
    ),
    "staff.closed_to_member": (
        "Tiket {number} sudah diselesaikan oleh petugas kantor cabang BPJS Kesehatan. {answer}",
        "Ticket {number} was closed by the BPJS Kesehatan branch office. {answer}",
    ),
}
