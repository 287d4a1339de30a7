"""The members' journeys: CEK, BAYAR, what to pay now, JANJI, STOP/MULAI, KADER and CEK KADER, KELUHAN
and TIKET, DAFTAR."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- CEK ------------------------------------------------------------------------------------------
    "cek.title": ("Tunggakan keluarga KK {family}, per {date}:", "Arrears of family KK {family}, as of {date}:"),
    "cek.member": ("- {name} ({card}): {months} bulan, {amount}", "- {name} ({card}): {months} months, {amount}"),
    "cek.member_paid": ("- {name} ({card}): lunas", "- {name} ({card}): paid up"),
    "cek.member_capped": (
        "- {name} ({card}): {months} bulan, yang ditagih {counted} bulan: {amount}",
        "- {name} ({card}): {months} months, {counted} of them billed: {amount}",
    ),
    "cek.member_old": (
        "- {name} ({card}): tunggakan lama {months} bulan, {amount}",
        "- {name} ({card}): {months} months of old arrears, {amount}",
    ),
    "cek.no_arrears": (
        "Tidak ada tunggakan. Terima kasih! Iuran bulan ini {dues}, bayar paling lambat {due}.",
        "No arrears. Thank you! This month's dues are {dues}, to pay by {due}.",
    ),
    "cek.paid_ahead": (
        "Tidak ada tunggakan, dan iuran sudah lunas sampai {paid}. Terima kasih! Iuran berikutnya ({month}) "
        "{dues}, bayar paling lambat {due}.",
        "No arrears, and the dues are paid up to {paid}. Thank you! The next dues ({month}) are {dues}, to pay "
        "by {due}.",
    ),
    "cek.no_arrears_others_pay": (
        "Tidak ada tunggakan. Kartu AKTIF: iuran bulanan Anda dibayar {payer} (segmen {segment}).",
        "No arrears. Card ACTIVE: your monthly dues are paid by {payer} ({segment} segment).",
    ),
    "cek.total": ("Total tunggakan: {amount} ({months} bulan)", "Total arrears: {amount} ({months} months)"),
    "cek.total_capped": (
        "Total tunggakan yang ditagih: {amount} ({counted} bulan terakhir dari {months} bulan; bulan yang lebih "
        "lama tidak ditagih)",
        "Total arrears billed: {amount} (the last {counted} of {months} months; older months are not billed)",
    ),
    "cek.total_old": (
        "Total tunggakan lama, dari saat masih peserta mandiri: {amount} ({months} bulan)",
        "Total old arrears, from when you paid your own dues: {amount} ({months} months)",
    ),
    "cek.active": (
        "Status kartu: masih AKTIF. Bayar sebelum akhir bulan agar tidak nonaktif.",
        "Card status: still ACTIVE. Pay before the end of the month to keep it active.",
    ),
    "cek.active_others_pay": (
        "Status kartu: AKTIF sebagai peserta {segment}; iuran bulanan dibayar {payer}. Tunggakan lama tidak "
        "menonaktifkan kartu, tetapi tetap perlu dilunasi.",
        "Card status: ACTIVE as a {segment} member; the monthly dues are paid by {payer}. Old arrears do not "
        "suspend the card, but they still have to be paid.",
    ),
    "cek.suspended": ("Status kartu: TIDAK AKTIF sejak {since}.", "Card status: NOT ACTIVE since {since}."),
    "cek.reactivate": (
        "Agar aktif kembali: bayar {amount}, yaitu tunggakan di atas ditambah iuran {month} ({dues}).",
        "To reactivate: pay {amount}, the arrears above plus the dues of {month} ({dues}).",
    ),
    "cek.reactivate_included": (
        "Agar aktif kembali: lunasi total tunggakan di atas (iuran {month} sudah termasuk).",
        "To reactivate: pay the total arrears above (the dues of {month} are included).",
    ),
    "cek.plan": (
        "Anda ikut REHAB: {paid} dari {count} cicilan lunas, sisa {remaining}.",
        "You are in REHAB: {paid} of {count} instalments paid, {remaining} to go.",
    ),
    "cek.plan_card": (
        "Kartu aktif kembali setelah cicilan terakhir lunas.",
        "The card is active again once the last instalment is paid.",
    ),
    "cek.next_plan": (
        "Ketik REHAB untuk rincian cicilan, atau BAYAR untuk cara bayar.",
        "Type REHAB for the instalments, or BAYAR for how to pay.",
    ),
    "cek.next_rehab_old": (
        "Tunggakan lama bisa dicicil lewat REHAB 2.0. Ketik REHAB, atau BAYAR untuk cara bayar.",
        "Old arrears can be paid in instalments with REHAB 2.0. Type REHAB, or BAYAR for how to pay.",
    ),
    "cek.penalty": (
        "Catatan: rawat inap dalam 45 hari setelah aktif kembali dikenai denda 5% biaya x bulan tunggakan "
        "(maks. 12 bulan, maks. Rp30.000.000).",
        "Note: inpatient care within 45 days after reactivation carries a penalty of 5% of the cost x months "
        "in arrears (at most 12 months, at most Rp30.000.000).",
    ),
    "cek.next_rehab": (
        "Berat dibayar sekaligus? Ketik REHAB untuk cicilan, atau BAYAR untuk cara bayar.",
        "Too much at once? Type REHAB for instalments, or BAYAR for how to pay.",
    ),
    "cek.next_pay": ("Ketik BAYAR untuk cara bayar.", "Type BAYAR for how to pay."),
    # --- BAYAR ----------------------------------------------------------------------------------------
    "bayar.general": (
        "Nomor Virtual Account (VA) keluarga: 88888 + 11 angka terakhir nomor kartu kepala keluarga "
        "(BRI, BNI, BTN, BCA); Mandiri: 89888 + angka yang sama. Ketik CEK untuk melihat tunggakan Anda.",
        "The family's Virtual Account (VA): 88888 + the last 11 digits of the head of family's card number "
        "(BRI, BNI, BTN, BCA); Mandiri: 89888 + the same digits. Type CEK to see your arrears.",
    ),
    "bayar.va": (
        "Nomor VA keluarga Anda:\nBRI/BNI/BTN/BCA: {bri}\nMandiri: {mandiri}",
        "Your family's VA number:\nBRI/BNI/BTN/BCA: {bri}\nMandiri: {mandiri}",
    ),
    # --- what to pay now (BAYAR, CEK, JANJI) ------------------------------------------------------------
    "pay.overdue": (
        "{count} cicilan REHAB lewat jatuh tempo: {amount}. Mohon segera dibayar.",
        "{count} REHAB instalment(s) past due: {amount}. Please pay soon.",
    ),
    "pay.instalment": (
        "Cicilan REHAB ke-{sequence} dari {count}: {amount}, paling lambat {due}.",
        "REHAB instalment {sequence} of {count}: {amount}, by {due}.",
    ),
    "pay.toward": (
        "Sudah masuk {received} untuk cicilan ini; tinggal {amount}.",
        "{received} already received for it; {amount} to go.",
    ),
    "pay.reactivate": (
        "Jumlah yang perlu dibayar agar kartu aktif kembali: {amount}.",
        "Amount to pay to reactivate the card: {amount}.",
    ),
    "pay.arrears": (
        "Jumlah yang perlu dibayar: {amount} (tunggakan {months} bulan), sebelum akhir bulan agar kartu tetap "
        "aktif.",
        "Amount to pay: {amount} ({months} months of arrears), before the end of the month to keep the card "
        "active.",
    ),
    "pay.old_arrears": (
        "Tunggakan lama yang perlu dibayar: {amount}. Bisa dicicil: ketik REHAB.",
        "Old arrears to pay: {amount}. They can be paid in instalments: type REHAB.",
    ),
    "pay.dues": ("Iuran {month}: {amount}, bayar paling lambat {due}.", "Dues for {month}: {amount}, to pay by {due}."),
    "pay.paid_up": ("Iuran sudah lunas sampai {month}.", "The dues are paid up to {month}."),
    "pay.nothing": (
        "Tidak ada yang perlu Anda bayar: iuran bulanan dibayar {payer}.",
        "There is nothing for you to pay: the monthly dues are paid by {payer}.",
    ),
    "payer.employer": ("pemberi kerja", "your employer"),
    "payer.government": ("pemerintah", "the government"),
    "payer.other": ("pihak lain", "someone else"),
    "bayar.channels": (
        "Bayar lewat ATM / m-banking, Kantor Pos, Indomaret, Alfamart, agen PPOB, GoPay, OVO, DANA, atau "
        "aplikasi Mobile JKN. Lebih mudah: daftar autodebet rekening di bank Anda atau di Mobile JKN. "
        "Simpan bukti bayar Anda.",
        "Pay at an ATM / mobile banking, the post office, Indomaret, Alfamart, PPOB agents, GoPay, OVO, DANA "
        "or the Mobile JKN app. Easier: register autodebit at your bank or in Mobile JKN. Keep your receipt.",
    ),
    # --- JANJI ----------------------------------------------------------------------------------------
    "janji.ask": (
        "Kapan Anda bisa membayar? Ketik tanggalnya, contoh: {numeric} atau {worded}.",
        "When can you pay? Type the date, for example {numeric} or {worded}.",
    ),
    "janji.bad_date": (
        "Maaf, tanggalnya belum terbaca. Contoh: {numeric}, {short} atau {worded}.",
        "Sorry, I could not read that date. For example: {numeric}, {short} or {worded}.",
    ),
    "janji.nothing": (
        "Saat ini tidak ada yang perlu dibayar, jadi janji bayar tidak dicatat. {next}",
        "There is nothing to pay right now, so no promise is recorded. {next}",
    ),
    "janji.past": ("Tanggal itu sudah lewat. Ketik tanggal hari ini atau nanti.",
                   "That date has passed. Type today's date or a later one."),
    "janji.too_far": (
        "Janji bayar paling lama {days} hari, yaitu sampai {latest}. Ketik tanggal yang lebih dekat.",
        "A promise can be at most {days} days ahead, until {latest}. Type an earlier date.",
    ),
    "janji.recorded": (
        "Janji bayar dicatat: {date}. Pengingat iuran berhenti sampai tanggal itu, dan kader Anda bisa "
        "melihatnya. Ketik BAYAR untuk cara bayar.",
        "Promise recorded: {date}. Dues reminders pause until then, and your cadre can see it. Type BAYAR for "
        "how to pay.",
    ),
    "janji.to_cadre": (
        "Keluarga KK {family} ({name}) berjanji membayar paling lambat {date}.",
        "Family KK {family} ({name}) promised to pay by {date}.",
    ),
    # --- STOP / MULAI ---------------------------------------------------------------------------------
    "stop.done": (
        "Baik, pengingat iuran dihentikan. Ketik MULAI untuk menyalakan lagi.",
        "OK, dues reminders are stopped. Type MULAI to turn them on again.",
    ),
    "stop.already": (
        "Pengingat sudah berhenti. Ketik MULAI untuk menyalakan lagi.",
        "Reminders are already off. Type MULAI to turn them on again.",
    ),
    "mulai.done": (
        "Pengingat iuran aktif lagi. Ketik STOP untuk berhenti.",
        "Dues reminders are on again. Type STOP to stop them.",
    ),
    "mulai.already": (
        "Pengingat iuran sudah menyala. Ketik STOP untuk berhenti.",
        "Dues reminders are already on. Type STOP to stop them.",
    ),
    # --- KADER ----------------------------------------------------------------------------------------
    "kader.mine": (
        "Kader JKN keluarga Anda: {name} (kode {code}), wilayah {area}. HP/WA: {phone}.",
        "Your family's JKN cadre: {name} (code {code}), area {area}. Phone/WA: {phone}.",
    ),
    "kader.none": (
        "Keluarga Anda belum punya kader JKN. Untuk bantuan hubungi Care Center 165.",
        "Your family has no JKN cadre yet. For help call Care Center 165.",
    ),
    "cekkader.ask": ("Ketik CEK KADER lalu kodenya, contoh: CEK KADER KDR-SKA-01.",
                     "Type CEK KADER and the code, for example: CEK KADER KDR-SKA-01."),
    "cekkader.active": (
        "Kader {code} ({name}) TERDAFTAR dan AKTIF, wilayah {area}, cabang {branch}. Tetap minta bukti bayar "
        "dan bayar lewat kanal resmi (VA).",
        "Cadre {code} ({name}) is REGISTERED and ACTIVE, area {area}, branch {branch}. Still ask for a receipt "
        "and pay through official channels (VA).",
    ),
    "cekkader.inactive": (
        "Kader {code} ({name}) sudah TIDAK AKTIF. Jangan serahkan uang; laporkan ke Care Center 165.",
        "Cadre {code} ({name}) is NO LONGER ACTIVE. Do not hand over money; report to Care Center 165.",
    ),
    "cekkader.unknown": (
        "Kode kader {code} TIDAK TERDAFTAR. Jangan serahkan uang; laporkan ke Care Center 165.",
        "Cadre code {code} is NOT REGISTERED. Do not hand over money; report to Care Center 165.",
    ),
    # --- KELUHAN / TIKET ------------------------------------------------------------------------------
    "keluhan.ask": ("Tulis keluhan atau bantuan yang Anda perlukan dalam satu pesan.",
                    "Write your complaint or the help you need in one message."),
    "keluhan.recorded": (
        "Keluhan dicatat dengan nomor tiket {number} dan diteruskan ke kader Anda, {cadre}. Ketik TIKET untuk "
        "melihat statusnya.",
        "Complaint recorded as ticket {number} and sent to your cadre, {cadre}. Type TIKET to see its status.",
    ),
    "keluhan.recorded_no_cadre": (
        "Keluhan dicatat dengan nomor tiket {number}. Keluarga Anda belum punya kader; petugas cabang akan "
        "menindaklanjuti. Ketik TIKET untuk statusnya, atau hubungi Care Center 165.",
        "Complaint recorded as ticket {number}. Your family has no cadre yet; branch staff will follow up. "
        "Type TIKET for its status, or call Care Center 165.",
    ),
    "keluhan.to_cadre": (
        "Tiket {number} dari keluarga KK {family} ({name}): {text}\nBalas: JAWAB {number} <pesan>, atau "
        "TUTUP {number}.",
        "Ticket {number} from family KK {family} ({name}): {text}\nReply: JAWAB {number} <message>, or "
        "TUTUP {number}.",
    ),
    "tiket.none": ("Belum ada tiket dari chat ini. Ketik KELUHAN <pesan> untuk membuat.",
                   "No tickets from this chat yet. Type KELUHAN <message> to open one."),
    "tiket.open": ("Tiket {number}: sedang diproses kader.", "Ticket {number}: being handled by the cadre."),
    "tiket.answered": ("Tiket {number}: dijawab: {answer}", "Ticket {number}: answered: {answer}"),
    "tiket.closed": ("Tiket {number}: selesai. {answer}", "Ticket {number}: closed. {answer}"),
    # --- DAFTAR ---------------------------------------------------------------------------------------
    "daftar.info": (
        "Cara daftar JKN mandiri:\n- Semua anggota di Kartu Keluarga wajib didaftarkan, di kelas yang sama.\n"
        "- Siapkan KTP/NIK, Kartu Keluarga, nomor HP/email, dan rekening untuk autodebet.\n"
        "- Daftar lewat aplikasi Mobile JKN, Care Center 165, PANDAWA WA 0811-8165-165, atau kantor cabang BPJS "
        "Kesehatan.\nIngin dibantu kader JKN? Pilih di bawah.",
        "How to register for JKN as a self-paying member:\n- Everyone on the Family Card must be registered, "
        "in the same class.\n- Bring your KTP/NIK, Family Card, phone/email and a bank account for autodebit.\n"
        "- Register in the Mobile JKN app, Care Center 165, PANDAWA WA 0811-8165-165, or a BPJS Kesehatan "
        "branch office.\nWant a JKN cadre to help? Choose below.",
    ),
    "daftar.visit": ("Minta kunjungan kader", "Ask for a cadre visit"),
    "daftar.ask_area": ("Di kota/kabupaten mana Anda tinggal? Contoh: Surakarta.",
                        "Which city/regency do you live in? For example: Surakarta."),
    "daftar.unknown_area": (
        "Wilayah itu belum terlayani kader di sini. Coba nama kota lain, atau hubungi Care Center 165.",
        "That area has no cadre here yet. Try another city name, or call Care Center 165.",
    ),
    "daftar.recorded": (
        "Permintaan kunjungan dicatat ({number}) untuk wilayah {area}. Kader JKN akan menghubungi Anda.",
        "Visit request recorded ({number}) for {area}. A JKN cadre will contact you.",
    ),
    "daftar.to_cadre": (
        "Permintaan kunjungan pendaftaran {number} di {area}. Telepon: {phone}.",
        "Registration visit request {number} in {area}. Phone: {phone}.",
    ),
}
