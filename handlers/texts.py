"""Every text a member or cadre reads, Indonesian first and English second, in one catalogue.

Keep texts short (a small phone screen) and in the plain Indonesian a cadre would use. Placeholders are
`str.format` fields. Sections follow the menu; add a feature's texts to its own section. What cadres read
about their reports, lists and progress lives in handlers/texts_cadre.py, read by `text()` as well.
"""

from __future__ import annotations

from datetime import date

from handlers.reminder_texts import REMINDER_TEXTS
from handlers.texts_cadre import CADRE_TEXTS

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
    "staff.answer_to_member": (
        "Jawaban petugas kantor cabang BPJS Kesehatan untuk tiket {number}: {answer}",
        "The BPJS Kesehatan branch office's answer to ticket {number}: {answer}",
    ),
    "staff.closed_to_member": (
        "Tiket {number} sudah diselesaikan oleh petugas kantor cabang BPJS Kesehatan. {answer}",
        "Ticket {number} was closed by the BPJS Kesehatan branch office. {answer}",
    ),
    # --- REHAB --------------------------------------------------------------------------------------
    "rehab.segment": (
        "REHAB lewat chat di cabang ini hanya untuk peserta segmen {segments}. Keluarga Anda terdaftar di segmen "
        "{segment}. Untuk bantuan, hubungi Care Center 165.",
        "REHAB by chat in this branch is only for members of the {segments} segment(s). Your family is "
        "registered as {segment}. For help, call Care Center 165.",
    ),
    "rehab.no_arrears": (
        "Keluarga Anda tidak punya tunggakan, jadi tidak perlu REHAB. Terima kasih!",
        "Your family has no arrears, so REHAB is not needed. Thank you!",
    ),
    "rehab.too_few": (
        "Tunggakan keluarga Anda {months} bulan ({amount}). REHAB untuk tunggakan minimal {least} bulan, jadi "
        "lebih ringan dibayar langsung. Ketik BAYAR untuk cara bayar.",
        "Your family is {months} months behind ({amount}). REHAB is for at least {least} months of arrears, so "
        "paying it directly is easier. Type BAYAR for how to pay.",
    ),
    "rehab.too_many": (
        "Tunggakan keluarga Anda yang ditagih {counted} bulan, lebih dari {most} bulan, jadi tidak bisa REHAB "
        "lewat chat. Untuk aktif kembali: {amount}. Ketik BAYAR, atau hubungi Care Center 165 untuk bantuan.",
        "Your family is billed {counted} months, more than {most}, so REHAB is not possible by chat. "
        "To reactivate: {amount}. Type BAYAR, or call Care Center 165 for help.",
    ),
    "rehab.closed": (
        "Pendaftaran REHAB bulan ini sudah tutup (sampai tanggal {last_day}). Silakan daftar lagi mulai "
        "{reopens}.",
        "REHAB registration is closed for this month (open until the {last_day}th). Please come back from "
        "{reopens}.",
    ),
    "rehab.already": (
        "Keluarga Anda sudah terdaftar REHAB. Ketik REHAB untuk melihat status cicilan.",
        "Your family is already enrolled in REHAB. Type REHAB to see the instalments.",
    ),
    "rehab.options": (
        "Keluarga Anda bisa ikut REHAB (cicilan tunggakan).\nTunggakan: {amount} ({months} bulan).\nTiap "
        "cicilan sudah termasuk iuran bulan berjalan {dues}.\nMau dicicil berapa kali? Pilih {low} sampai {high}:",
        "Your family can join REHAB (arrears in instalments).\nArrears: {amount} ({months} months).\nEach "
        "instalment includes the month's dues of {dues}.\nHow many instalments? Choose {low} to {high}:",
    ),
    "rehab.options_capped": (
        "Tunggakan Anda {months} bulan, tetapi yang ditagih hanya {counted} bulan terakhir: itulah yang dicicil.",
        "You are {months} months behind, but only the last {counted} months are billed: those are what you pay "
        "in instalments.",
    ),
    "rehab.options_moved": (
        "Anda dulu peserta mandiri dan masih punya tunggakan lama: {amount} ({months} bulan). Lewat REHAB 2.0 "
        "tunggakan ini bisa dicicil, paling sedikit {least} per bulan. Iuran bulanan Anda sekarang dibayar "
        "{payer}, jadi cicilan hanya untuk tunggakan lama.\nMau dicicil berapa kali? Pilih {low} sampai {high}:",
        "You were a self-paying member and still have old arrears: {amount} ({months} months). With REHAB 2.0 "
        "you can pay them in instalments of at least {least} a month. Your monthly dues are now paid by "
        "{payer}, so the instalments are for the old arrears only.\nHow many instalments? Choose {low} to "
        "{high}:",
    ),
    "rehab.type_more": (
        "Lebih dari {shown} kali? Ketik angkanya, sampai {high}.",
        "More than {shown}? Type the number, up to {high}.",
    ),
    "rehab.option_full": ("Bayar lunas sekaligus", "Pay it all at once"),
    "rehab.option": ("{count} kali, {amount}/bulan", "{count} instalments, {amount}/month"),
    "rehab.count_again": (
        "Pilih jumlah cicilan {low} sampai {high} (ketik angkanya), atau BATAL untuk keluar.",
        "Choose {low} to {high} instalments (type the number), or BATAL to leave.",
    ),
    "rehab.pay_in_full": (
        "Bayar lunas sekaligus: {amount}. Ketik BAYAR untuk nomor VA dan tempat bayar.",
        "Pay it all at once: {amount}. Type BAYAR for the VA number and where to pay.",
    ),
    "rehab.schedule": (
        "Rencana REHAB {count} kali cicilan:\n{lines}\nTotal {total} (tunggakan {arrears} + iuran {count} "
        "bulan).\nBerlaku untuk seluruh keluarga (satu KK). Kartu aktif kembali setelah cicilan terakhir lunas."
        "\nKetik YA untuk mendaftar, atau TIDAK.",
        "REHAB plan, {count} instalments:\n{lines}\nTotal {total} (arrears {arrears} + {count} months of dues)."
        "\nIt covers the whole family (one KK). The card is active again once the last instalment is paid."
        "\nType YA to enrol, or TIDAK.",
    ),
    "rehab.schedule_moved": (
        "Rencana REHAB 2.0, {count} kali cicilan:\n{lines}\nTotal {total} (tunggakan lama saja; iuran bulanan "
        "dibayar {payer}).\nBerlaku untuk seluruh keluarga (satu KK).\nKetik YA untuk mendaftar, atau TIDAK.",
        "REHAB 2.0 plan, {count} instalments:\n{lines}\nTotal {total} (old arrears only; the monthly dues are "
        "paid by {payer}).\nIt covers the whole family (one KK).\nType YA to enrol, or TIDAK.",
    ),
    "rehab.schedule_line": ("- {due}: {amount}", "- {due}: {amount}"),
    "rehab.schedule_span": (
        "- {first} sampai {last} ({times} kali): {amount} per bulan",
        "- {first} to {last} ({times} times): {amount} a month",
    ),
    "rehab.changed": (
        "Angkanya berubah sejak tadi (ada pembayaran baru atau tanggal berganti). Ini rencana terbaru:",
        "The figures changed since (a new payment or a new day). Here is the current plan:",
    ),
    "rehab.confirm_again": (
        "Ketik YA untuk mendaftar REHAB, atau TIDAK untuk batal.",
        "Type YA to enrol in REHAB, or TIDAK to cancel.",
    ),
    "rehab.choice_yes": ("Ya, daftar", "Yes, enrol"),
    "rehab.declined": (
        "Baik, tidak jadi mendaftar. Ketik REHAB kapan saja kalau berubah pikiran.",
        "OK, no enrolment. Type REHAB any time if you change your mind.",
    ),
    "rehab.enrolled": (
        "Pendaftaran REHAB berhasil: {count} kali cicilan.\nCicilan pertama {amount}, paling lambat {due}.\n"
        "Bayar ke VA keluarga:\nBRI/BNI/BTN/BCA: {bri}\nMandiri: {mandiri}\nKetik REHAB untuk melihat status.",
        "You are enrolled in REHAB: {count} instalments.\nFirst instalment {amount}, by {due}.\n"
        "Pay to the family's VA:\nBRI/BNI/BTN/BCA: {bri}\nMandiri: {mandiri}\nType REHAB to see the status.",
    ),
    "rehab.status": (
        "Cicilan REHAB keluarga KK {family}, {paid} dari {count} lunas:",
        "REHAB instalments of family KK {family}, {paid} of {count} paid:",
    ),
    "rehab.status.paid": ("- {due}: {amount}, lunas", "- {due}: {amount}, paid"),
    "rehab.status.due": ("- {due}: {amount}, belum dibayar", "- {due}: {amount}, not yet paid"),
    "rehab.status.overdue": ("- {due}: {amount}, TERLAMBAT", "- {due}: {amount}, OVERDUE"),
    "rehab.next": (
        "Cicilan berikutnya {amount}, paling lambat {due}, ke VA {bri} (Mandiri {mandiri}).",
        "Next instalment {amount}, by {due}, to VA {bri} (Mandiri {mandiri}).",
    ),
    "rehab.toward": (
        "Sudah masuk {received} untuk cicilan berikutnya; tinggal {amount}.",
        "{received} already received for the next instalment; {amount} to go.",
    ),
    "rehab.overdue": (
        "{count} cicilan lewat jatuh tempo, total {amount}. Mohon segera bayar ke VA {bri} (Mandiri {mandiri}). "
        "Sudah bayar? Pembayaran tercatat beberapa hari kemudian. Butuh bantuan? Hubungi kader Anda atau Care "
        "Center 165.",
        "{count} instalment(s) past due, {amount} in all. Please pay soon to VA {bri} (Mandiri {mandiri}). "
        "Already paid? Payments show here a few days later. Need help? Contact your cadre or Care Center 165.",
    ),
    "rehab.completed": (
        "Semua cicilan REHAB keluarga Anda lunas ({date}). Kartu JKN keluarga aktif kembali. Terima kasih!",
        "Every REHAB instalment of your family is paid ({date}). The family's JKN card is active again. "
        "Thank you!",
    ),
    "rehab.card_active": (
        "Selamat! Semua cicilan REHAB sudah lunas. Kartu JKN keluarga Anda aktif kembali. Bayar iuran bulanan "
        "paling lambat tanggal 10 agar tetap aktif.",
        "Congratulations! Every REHAB instalment is paid. Your family's JKN card is active again. Pay the "
        "monthly dues by the 10th to keep it active.",
    ),
    "rehab.old_arrears_settled": (
        "Selamat! Semua cicilan REHAB 2.0 sudah lunas: tunggakan lama keluarga Anda sudah beres. Kartu tetap "
        "AKTIF; iuran bulanan Anda dibayar {payer}.",
        "Congratulations! Every REHAB 2.0 instalment is paid: your family's old arrears are settled. The card "
        "stays ACTIVE; your monthly dues are paid by {payer}.",
    ),
    "rehab.overdue_reminder": (
        "Pengingat: cicilan REHAB ke-{sequence} sebesar {amount} (jatuh tempo {due}) belum kami terima. Mohon "
        "segera bayar ke VA {va} (Mandiri {va_mandiri}). Sudah bayar? Abaikan pesan ini. Butuh bantuan? "
        "Hubungi kader Anda atau Care Center 165.",
        "Reminder: REHAB instalment {sequence} of {amount} (due {due}) has not been received. Please pay soon "
        "to VA {va} (Mandiri {va_mandiri}). Already paid? Ignore this message. Need help? Contact your cadre "
        "or Care Center 165.",
    ),
    "rehab.overdue_to_cadre": (
        "REHAB {ticket}: keluarga KK {family} ({name}) belum membayar cicilan ke-{sequence} {amount} (jatuh "
        "tempo {due}). Mohon dikunjungi. Balas: JAWAB {ticket} <pesan>, atau TUTUP {ticket}.",
        "REHAB {ticket}: family KK {family} ({name}) has not paid instalment {sequence} of {amount} (due "
        "{due}). Please visit them. Reply: JAWAB {ticket} <message>, or TUTUP {ticket}.",
    ),
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

TEXTS.update(REMINDER_TEXTS)  # reminders and broadcasts keep their own catalogue (this one is full)
TEXTS.update(CADRE_TEXTS)  # so do the cadres' reports, lists and progress

LANGUAGES = ("id", "en")

MONTH_NAMES = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def date_text(day: date, language: str = "id") -> str:
    """2 Juni 2025 / 2 June 2025."""
    names = MONTH_NAMES["en" if language == "en" else "id"]
    return f"{day.day} {names[day.month - 1]} {day.year}"


def month_text(month: date, language: str = "id") -> str:
    """Juni 2025 / June 2025."""
    names = MONTH_NAMES["en" if language == "en" else "id"]
    return f"{names[month.month - 1]} {month.year}"


def example_dates(day: date, language: str = "id") -> dict[str, str]:
    """The ways a date can be typed, for a text's example: numeric 09-06-2025, short 9/6, worded 9 Juni."""
    names = MONTH_NAMES["en" if language == "en" else "id"]
    return {"numeric": f"{day:%d-%m-%Y}", "short": f"{day.day}/{day.month}",
            "worded": f"{day.day} {names[day.month - 1]}"}


def text(key: str, language: str = "id", **values: object) -> str:
    """The text for `key` in `language` (Indonesian when unknown), with its placeholders filled.

    An empty placeholder at the end of a line (a ticket closed without a note) leaves no trailing space."""
    indonesian, english = TEXTS[key]
    template = english if language == "en" else indonesian
    if not values:
        return template
    return "\n".join(line.rstrip() for line in template.format(**values).split("\n"))


WEEKDAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def day_text(day: date, language: str = "id") -> str:
    """Senin, 2 Juni 2025 / Monday, 2 June 2025."""
    return f"{WEEKDAY_NAMES['en' if language == 'en' else 'id'][day.weekday()]}, {date_text(day, language)}"
