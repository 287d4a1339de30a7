"""Reminders, promises followed up and broadcasts. Every reminder names the family (KK masked), the amount
as the arrears engine computes it when the message goes, and how to pay (the family's virtual account), and
ends with how to stop reminders."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- dues -----------------------------------------------------------------------------------------
    "reminder.dues_upcoming": (
        "Pengingat iuran JKN keluarga KK {family}: iuran {month} sebesar {amount}, bayar paling lambat {due} "
        "ke VA {va} (Mandiri {va_mandiri}). Sudah bayar? Terima kasih, abaikan pesan ini.",
        "JKN dues reminder for family KK {family}: the dues for {month} are {amount}, to pay by {due} to VA "
        "{va} (Mandiri {va_mandiri}). Already paid? Thank you, please ignore this message.",
    ),
    "reminder.dues_unpaid": (
        "Iuran JKN keluarga KK {family} untuk {month} sebesar {amount} belum kami terima (jatuh tempo {due}). "
        "Bayar sebelum akhir bulan agar kartu tetap aktif, ke VA {va} (Mandiri {va_mandiri}). Sudah bayar? "
        "Pembayaran tercatat beberapa hari kemudian.",
        "The JKN dues of family KK {family} for {month}, {amount}, have not been received (due {due}). Pay "
        "before the month ends to keep the card active, to VA {va} (Mandiri {va_mandiri}). Already paid? "
        "Payments show here a few days later.",
    ),
    "reminder.dues_month_end": (
        "Hari-hari terakhir: iuran JKN keluarga KK {family} untuk {month} sebesar {amount} belum dibayar. Jika "
        "belum lunas sampai {due}, kartu JKN keluarga tidak aktif mulai {stop}. Bayar ke VA {va} (Mandiri "
        "{va_mandiri}).",
        "Last days: the JKN dues of family KK {family} for {month}, {amount}, are unpaid. If they are not "
        "paid by {due}, the family's JKN card stops on {stop}. Pay to VA {va} (Mandiri {va_mandiri}).",
    ),
    "reminder.dues_arrears": (
        "Kartu JKN keluarga KK {family} tidak aktif: tunggakan {months} bulan. Untuk aktif kembali bayar "
        "{amount} ke VA {va} (Mandiri {va_mandiri}). Ketik CEK untuk rinciannya.",
        "The JKN card of family KK {family} is not active: {months} months in arrears. To reactivate it pay "
        "{amount} to VA {va} (Mandiri {va_mandiri}). Type CEK for the details.",
    ),
    "reminder.rehab_offer": (
        "Berat membayar sekaligus? Keluarga Anda bisa ikut REHAB: tunggakan dicicil {least} sampai {most} kali. "
        "Ketik REHAB.",
        "Hard to pay at once? Your family can join REHAB: the arrears in {least} to {most} instalments. Type "
        "REHAB.",
    ),
    "reminder.footer": (
        "Ketik STOP untuk berhenti menerima pengingat.",
        "Type STOP to stop reminders.",
    ),
    # --- REHAB instalments ----------------------------------------------------------------------------
    "reminder.rehab_upcoming": (
        "Pengingat: cicilan REHAB ke-{sequence} keluarga KK {family} sebesar {amount} jatuh tempo {due}. Bayar "
        "ke VA {va} (Mandiri {va_mandiri}).",
        "Reminder: REHAB instalment {sequence} of family KK {family}, {amount}, is due on {due}. Pay to VA {va} "
        "(Mandiri {va_mandiri}).",
    ),
    "reminder.rehab_due": (
        "Hari ini ({due}) jatuh tempo cicilan REHAB ke-{sequence} keluarga KK {family} sebesar {amount}. Bayar "
        "ke VA {va} (Mandiri {va_mandiri}). Sudah bayar? Abaikan pesan ini.",
        "Today ({due}) REHAB instalment {sequence} of family KK {family}, {amount}, is due. Pay to VA {va} "
        "(Mandiri {va_mandiri}). Already paid? Please ignore this message.",
    ),
    # --- promises -------------------------------------------------------------------------------------
    "reminder.promise_passed": (
        "Janji bayar keluarga KK {family} tanggal {date} sudah lewat dan pembayarannya belum kami terima. "
        "Jumlah yang perlu dibayar: {amount}, ke VA {va} (Mandiri {va_mandiri}). Sudah bayar? Abaikan pesan "
        "ini. Butuh waktu lagi? Ketik JANJI <tanggal>.",
        "The promise of family KK {family} to pay by {date} has passed and no payment has been received. Amount "
        "to pay: {amount}, to VA {va} (Mandiri {va_mandiri}). Already paid? Please ignore this message. Need "
        "more time? Type JANJI <date>.",
    ),
    "reminder.promise_cadre": (
        "Janji bayar keluarga KK {family} ({name}) tanggal {date} sudah lewat tanpa pembayaran tercatat "
        "(tagihan {amount}). Mohon dikunjungi.",
        "Family KK {family} ({name}) promised to pay by {date}; no payment is recorded (amount {amount}). "
        "Please visit them.",
    ),
    # --- broadcasts -----------------------------------------------------------------------------------
    "reminder.broadcast": ("{text}", "{text}"),
}
