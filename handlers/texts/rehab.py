"""REHAB: who may enrol, choosing the instalments, the plan, paying it, and the notices about it."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
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
}
