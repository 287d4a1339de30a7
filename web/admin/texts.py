"""The dashboard's words, Indonesian first and English second (the member-facing catalogue is handlers/texts.py)."""

from __future__ import annotations

from web.admin.operations_texts import OPERATIONS_TEXTS

LANGUAGES = ("id", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # frame
    "title": ("Dasbor Kader JKN", "Kader JKN dashboard"),
    "skip": ("Lewati ke isi", "Skip to content"),
    "menu": ("Menu", "Menu"),
    "nav.overview": ("Ringkasan", "Overview"),
    "nav.cadres": ("Kader", "Cadres"),
    "nav.families": ("Keluarga", "Families"),
    "nav.rehab": ("REHAB", "REHAB"),
    "nav.tickets": ("Tiket", "Tickets"),
    "nav.broadcasts": ("Siaran", "Broadcasts"),
    "nav.imports": ("Impor/Ekspor", "Import/Export"),
    "nav.accounts": ("Akun", "Accounts"),
    "sign_out": ("Keluar", "Sign out"),
    "role.admin": ("admin", "admin"),
    "role.supervisor": ("supervisor", "supervisor"),
    "role.viewer": ("pemantau", "viewer"),
    "forbidden": ("Halaman ini tidak tersedia untuk peran Anda.", "This page is not available to your role."),
    "not_found": ("Tidak ditemukan.", "Not found."),
    # sign in
    "sign_in": ("Masuk", "Sign in"),
    "username": ("Nama pengguna", "Username"),
    "password": ("Kata sandi", "Password"),
    "sign_in.wrong": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "sign_in.locked": ("Terlalu banyak percobaan gagal. Akun dikunci sampai {until} WIB.",
                       "Too many failed attempts. The account is locked until {until} WIB."),
    "sign_in.expired": ("Sesi berakhir karena tidak aktif. Silakan masuk lagi.",
                        "Your session expired after inactivity. Please sign in again."),
    "signed_out": ("Anda sudah keluar.", "You are signed out."),
    # accounts
    "accounts.title": ("Akun dasbor", "Dashboard accounts"),
    "accounts.add": ("Tambah akun", "Add an account"),
    "accounts.role": ("Peran", "Role"),
    "accounts.cadre": ("Kode kader supervisor", "Supervisor's cadre code"),
    "accounts.cadre_hint": ("hanya untuk supervisor: timnya adalah kader yang ia bina",
                            "supervisors only: their team is the cadres they supervise"),
    "accounts.created": ("Akun {username} dibuat.", "Account {username} created."),
    "accounts.unlock": ("Buka kunci", "Unlock"),
    "accounts.unlocked": ("Akun {username} dibuka.", "Account {username} unlocked."),
    "accounts.last": ("Terakhir masuk", "Last sign-in"),
    "accounts.locked": ("terkunci", "locked"),
    "accounts.roles_help": ("admin: semua; supervisor: timnya sendiri; pemantau: angka saja, tanpa nama.",
                            "admin: everything; supervisor: their own team; viewer: figures only, no names."),
    # overview
    "month": ("Bulan", "Month"),
    "show": ("Tampilkan", "Show"),
    "this_month": ("Bulan ini", "This month"),
    "ytd": ("Tahun berjalan", "Year to date"),
    "of_target": ("dari target {target}", "of a target of {target}"),
    "scope.team": ("Tim Anda", "Your team"),
    "scope.branch": ("Seluruh cabang", "Whole branch"),
    "card.active": ("Kader aktif", "Active cadres"),
    "card.active_hint": ("minimal satu laporan kunjungan pada periode", "at least one visit report in the period"),
    "card.households": ("Rumah tangga dikunjungi", "Households visited"),
    "card.households_hint": ("target {visits} per kader per {months} bulan", "target {visits} per cadre per {months} months"),
    "card.money": ("Iuran terkumpul", "Money collected"),
    "card.money_hint": ("laporan BAYAR kader; target {amount} per kader per bulan",
                        "cadres' BAYAR reports; target {amount} per cadre per month"),
    "card.families": ("Keluarga", "Families"),
    "card.rehab": ("Rencana REHAB", "REHAB plans"),
    "card.reminders": ("Pengingat", "Reminders"),
    "card.complaints": ("Keluhan", "Complaints"),
    "card.ytd_note": ("Tahun berjalan menjumlahkan bulan-bulannya; berjalan dan terlambat: pada akhir periode.",
                      "The year to date adds its months up; running and overdue: at the end of the period."),
    "fig.reporting": ("kader melapor", "cadres reporting"),
    "fig.roster": ("kader terdaftar", "cadres on the list"),
    "fig.households": ("rumah tangga", "households"),
    "fig.collected": ("dilaporkan kader", "reported by cadres"),
    "fig.collected_confirmed": ("terkonfirmasi pembayaran", "confirmed by a payment"),
    "fig.payments": ("pembayaran tercatat", "payments recorded"),
    "fig.payments_amount": ("jumlah pembayaran tercatat", "payments recorded (amount)"),
    "fig.families_reached": ("keluarga dijangkau", "families reached"),
    "fig.paid_after_visit": ("membayar setelah dikunjungi", "paid after a visit"),
    "fig.rehab_opened": ("dibuka", "opened"),
    "fig.rehab_running": ("berjalan", "running"),
    "fig.rehab_completed": ("selesai", "completed"),
    "fig.rehab_overdue": ("terlambat", "overdue"),
    "fig.reminders_sent": ("terkirim", "sent"),
    "fig.reminders_delivered": ("sampai", "delivered"),
    "fig.reminders_read": ("dibaca", "read"),
    "fig.reminders_failed": ("gagal", "failed"),
    "fig.complaints_open": ("terbuka", "open"),
    "fig.complaints_closed": ("ditutup", "closed"),
    "fig.complaints_opened": ("masuk", "received"),
    "fig.median_close": ("median waktu tutup", "median time to close"),
    "hours": ("{hours} jam", "{hours} h"),
    "chart_of": ("Grafik 12 bulan: {name}", "12-month chart: {name}"),
    # pages built later
    "coming": ("Halaman ini sedang disiapkan.", "This page is being prepared."),
}

TEXTS.update(OPERATIONS_TEXTS)  # REHAB, Tiket, Siaran, Impor/Ekspor keep their own list


def translate(key: str, language: str = "id", **values: object) -> str:
    """The text for `key` in `language` (Indonesian when unknown), with `{name}` filled from `values`."""
    pair = TEXTS.get(key)
    if pair is None:
        return key
    chosen = pair[1] if language == "en" else pair[0]
    return chosen.format(**values) if values else chosen

