"""The cadres' one-line visit report: `LAPOR <card|KK> <RESULT> [amount] [note]`, read the way cadres type it.

Pure: a line (or a message of several lines) and the cadre's local date and time in, a `VisitReport` or a
`ReportProblem` (what could not be read, with the values a reply needs) out for each line. Tolerant of
what a thumb on a cheap phone produces: any case, extra spaces, bullets, `KK`/`no.` before the number,
numbers typed in groups (`0001 9443 5891 1`), Indonesian aliases and small typos for the result (`bayr`,
`tdk ada`, `sdh bayar`), amounts as `150000`, `150.000`, `Rp150rb`, `Rp 150.000,-`, `1,5jt`, and a visit
time for reports typed offline and sent later (`jam 10.30`, `kemarin`).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from rules.months import MONTH_NAMES
from rules.programme import DEFAULT_RULES, ProgrammeRules

RESULTS = ("BAYAR", "JANJI", "REHAB", "TOLAK", "TIDAKADA", "PINDAH", "DAFTAR", "EDUKASI")
WITH_AMOUNT = ("BAYAR", "JANJI")  # money handled, or money promised

# What cadres write for each result, normalised (upper case, letters and digits only per word).
ALIASES: dict[str, str] = {
    **dict.fromkeys(("BAYAR", "BYR", "BAYR", "BAYARR", "LUNAS", "SUDAH BAYAR", "SDH BAYAR", "UDAH BAYAR",
                     "UDH BAYAR", "SUDAH BYR", "SDH BYR", "SETOR", "NYICIL", "PAID", "PAY"), "BAYAR"),
    **dict.fromkeys(("JANJI", "JNJ", "JANJI BAYAR", "JANJI BYR", "AKAN BAYAR", "MAU BAYAR", "PROMISE"), "JANJI"),
    **dict.fromkeys(("REHAB", "REHAP", "IKUT REHAB", "DAFTAR REHAB", "MAU REHAB", "CICIL", "CICILAN",
                     "MAU CICIL"), "REHAB"),
    **dict.fromkeys(("TOLAK", "MENOLAK", "NOLAK", "DITOLAK", "TIDAK MAU", "TDK MAU", "GAK MAU", "GA MAU",
                     "NGGAK MAU", "ENGGAN", "REFUSED", "REFUSE"), "TOLAK"),
    **dict.fromkeys(("TIDAKADA", "TIDAK ADA", "TDK ADA", "TDKADA", "TAK ADA", "GAK ADA", "GA ADA", "GK ADA",
                     "NGGAK ADA", "ENGGAK ADA", "NDAK ADA", "TIDAK DI RUMAH", "TDK DI RUMAH", "TIDAK DIRUMAH",
                     "TDK DIRUMAH", "GAK DI RUMAH", "KOSONG", "RUMAH KOSONG", "NOT HOME", "ABSENT"), "TIDAKADA"),
    **dict.fromkeys(("PINDAH", "PNDH", "PINDAH ALAMAT", "PINDAH RUMAH", "SUDAH PINDAH", "SDH PINDAH",
                     "MOVED"), "PINDAH"),
    **dict.fromkeys(("DAFTAR", "DFTR", "DAFTAR BARU", "REGISTRASI", "REGISTER", "PESERTA BARU"), "DAFTAR"),
    **dict.fromkeys(("EDUKASI", "EDUKSI", "EDU", "SOSIALISASI", "PENYULUHAN", "INFO", "INFORMASI"), "EDUKASI"),
}
_LONGEST_ALIAS = max(len(alias.split()) for alias in ALIASES)
_FUZZY = [alias for alias in ALIASES if " " not in alias and len(alias) >= 4]

_RELATIVE = {"HARI INI": 0, "BESOK": 1, "BSK": 1, "LUSA": 2, "MINGGU DEPAN": 7, "MINGDEP": 7}
_DATE_WORDS = {"TGL", "TANGGAL", "TG", "SAMPAI", "SMP", "PADA", "TANGGALNYA"}
_NUMBER_WORDS = {"KK", "NO", "NOMOR", "NOMER", "KARTU", "NOKA", "NIK", "KEL", "KELUARGA"}
_YESTERDAY = {"KEMARIN", "KMRN", "KEMAREN", "KMARIN", "KMRIN", "KEMARINNYA"}
_TODAY = {"TADI", "TADINYA"}
_HOUR_WORDS = {"JAM", "JM", "PUKUL", "PKL", "PK"}
_MONTH_UNITS = {"BULAN", "BLN", "BL"}
_UNITS = {"RB", "RIBU", "K", "JT", "JUTA"}

_AMOUNT = re.compile(r"^(?:RP)?(\d+(?:[.,]\d+)*)(RB|RIBU|K|JT|JUTA)?$")
_TIME = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_BULLET = re.compile(r"^(?:\d{1,2}[.)]|[-*•>]+)$")


@dataclass(frozen=True)
class VisitReport:
    """One visit as the cadre reported it; `number` is the digits typed (13: card, 16: KK or NIK)."""

    number: str
    result: str
    amount: int | None = None
    promised_on: date | None = None
    visited_on: date | None = None  # None: the day it is reported
    visited_time: time | None = None
    note: str = ""


@dataclass(frozen=True)
class ReportProblem:
    """Why a line could not be recorded: `code` names the explanation, `values` fill it in."""

    code: str  # no_number, number_length, no_result, unknown_result, janji_no_date, janji_bad_date,
    #            janji_past, janji_too_far, amount_unreadable, amount_too_small, amount_zero,
    #            amount_too_large, amount_not_for_result, time_unreadable, time_future
    line: str
    values: dict[str, object] = field(default_factory=dict)


Parsed = VisitReport | ReportProblem


@dataclass
class _Words:
    """The line's words as typed and as compared (upper case, letters and digits only)."""

    typed: list[str]

    @property
    def plain(self) -> list[str]:
        return [re.sub(r"[^0-9A-Z]", "", word.upper()) for word in self.typed]


def parse_message(message: str, today: date, now: time, rules: ProgrammeRules = DEFAULT_RULES) -> list[Parsed]:
    """Every report line of a message (blank lines and a bare `LAPOR` skipped), in order."""
    parsed = []
    for line in message.splitlines():
        words = _without_keyword(line.split())
        if words:
            parsed.append(parse_line(" ".join(words), today, now, rules))
    return parsed


def parse_line(line: str, today: date, now: time, rules: ProgrammeRules = DEFAULT_RULES,
               number: str | None = None) -> Parsed:
    """One report. With `number` (UBAH of the last report) the line may leave the household out."""
    words = _Words(_without_keyword(line.split()))
    while words.typed and (_BULLET.match(words.typed[0]) or words.plain[0] in _NUMBER_WORDS):
        del words.typed[0]
    typed_number = _take_number(words)
    if typed_number is None:
        if number is None:
            return _no_number(line, words)
        typed_number = number
    elif len(typed_number) not in (13, 16):
        return ReportProblem("number_length", line, {"count": len(typed_number)})
    visited_on, visited_time, problem = _take_visit_time(words, line, today, now)
    if problem is not None:
        return problem
    result = _take_result(words)
    if result is None:
        if not words.typed:
            return ReportProblem("no_result", line)
        return ReportProblem("unknown_result", line, {"word": words.typed[0]})
    promised_on = None
    if result == "JANJI":
        promised = _take_promise_date(words, line, today, rules)
        if isinstance(promised, ReportProblem):
            return promised
        promised_on = promised
    amount = _take_amount(words, line, result, rules)
    if isinstance(amount, ReportProblem):
        return amount
    note = " ".join(words.typed).strip(" ,;:-")[:500]
    return VisitReport(typed_number, result, amount, promised_on, visited_on, visited_time, note)


def read_amount(typed: str) -> int | None:
    """Rupiah from what a cadre types: 150000, 150.000, Rp150rb, Rp 150.000,-, 150 ribu, 1,5jt, 1.5 juta."""
    text = re.sub(r"\s+", "", typed.upper())
    text = re.sub(r"(,-|\.-|,00|\.00)$", "", text.rstrip(".;:!")).replace("RP.", "RP")
    match = _AMOUNT.match(text)
    if not match:
        return None
    digits, unit = match.groups()
    multiplier = {"RB": 1_000, "RIBU": 1_000, "K": 1_000, "JT": 1_000_000, "JUTA": 1_000_000}.get(unit or "", 1)
    if multiplier == 1:  # without a unit, dots and commas separate thousands: 150.000
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+|\d+", digits) is None:
            return None
        return int(re.sub(r"[.,]", "", digits))
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):  # 1.500rb: three digits after a separator are thousands
        return int(re.sub(r"[.,]", "", digits)) * multiplier
    if re.fullmatch(r"\d+([.,]\d{1,2})?", digits):  # 1,5jt: a decimal point
        return round(float(digits.replace(",", ".")) * multiplier)
    return None


def read_number(typed: str) -> str | None:
    """A card (13 digits) or KK (16 digits) number typed alone, possibly in groups; None otherwise."""
    words = _Words(_without_keyword(typed.split()))
    number = _take_number(words)
    return number if number is not None and len(number) in (13, 16) and not words.typed else None


def read_result(typed: str) -> str | None:
    """A visit result from a word or a short phrase: `bayr`, `tdk ada`, `sudah bayar` (nothing after it)."""
    words = _Words(typed.split())
    result = _take_result(words)
    return result if result is not None and not words.typed else None


def read_promise_date(typed: str, today: date) -> date | None:
    """A promise date as cadres write it: 20/6, 20-06-2025, 20 Juni, tgl 20, besok, lusa, minggu depan."""
    words = [re.sub(r"[^0-9A-Z/.\-]", "", word.upper()) for word in typed.split()]
    words = [word for word in words if word and word not in _DATE_WORDS]
    return _date_from(words, today)


def check_promise(promised: date, today: date, rules: ProgrammeRules, line: str = "") -> ReportProblem | None:
    """The member's JANJI rules: not in the past, at most `promise_max_days` ahead."""
    latest = today + timedelta(days=rules.promise_max_days)
    if promised < today:
        return ReportProblem("janji_past", line)
    if promised > latest:
        return ReportProblem("janji_too_far", line, {"days": rules.promise_max_days, "latest": latest})
    return None


def check_amount(amount: int, rules: ProgrammeRules, line: str = "") -> ReportProblem | None:
    """An amount worth recording: more than nothing, less than a typo's worth."""
    if amount <= 0:
        return ReportProblem("amount_zero", line)
    if amount > rules.report_max_amount:
        return ReportProblem("amount_too_large", line, {"most": rules.report_max_amount})
    return None


def content_key(report: VisitReport, household: str, reported_on: date) -> str:
    """What makes two reports the same report (a resend after bad signal): the household, what happened,
    and the day. Short enough for the database's unique (cadre, source key)."""
    parts = [household, report.result, str(report.amount or ""), str(report.promised_on or ""),
             str(report.visited_on or reported_on), str(report.visited_time or ""),
             " ".join(report.note.casefold().split())]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
    return f"{reported_on:%Y%m%d}:{digest}"


# --- the parts of a line, each taken out of `words` once read ------------------------------------------------


def _without_keyword(words: list[str]) -> list[str]:
    """A line without its leading LAPOR (or a slip of it: LAPR, LPR, LAPORAN, Lapor:)."""
    if words and re.sub(r"[^A-Z]", "", words[0].upper()) in ("LAPOR", "LAPR", "LPR", "LAPORAN", "LAPORR", "LPOR"):
        return words[1:]
    return words


def _take_number(words: _Words) -> str | None:
    """The household's number at the start (possibly typed in groups), or else the first long number."""
    digits = ""
    taken = 0
    for typed in words.typed:
        if not re.fullmatch(r"[\d.\-]+", typed) or len(digits) + len(re.sub(r"\D", "", typed)) > 16:
            break
        digits += re.sub(r"\D", "", typed)
        taken += 1
        if len(digits) in (13, 16):  # a whole number: what follows is something else
            break
    if len(digits) >= 10:
        del words.typed[:taken]
        return digits
    for index, typed in enumerate(words.typed):
        candidate = re.sub(r"[.\-]", "", typed.strip(",;:"))
        if candidate.isdigit() and len(candidate) >= 10:
            del words.typed[index]
            return candidate
    return None


def _no_number(line: str, words: _Words) -> ReportProblem:
    """No household number: the digits typed first (or a long number anywhere) are counted for the answer."""
    leading = ""
    for typed in words.typed:
        if not re.fullmatch(r"[\d\-]+", typed):
            break
        leading += re.sub(r"\D", "", typed)
    if not leading:
        leading = next((re.sub(r"\D", "", w) for w in words.typed if re.fullmatch(r"\d[\d\-]{7,}", w)), "")
    if leading:
        return ReportProblem("number_length", line, {"count": len(leading)})
    return ReportProblem("no_number", line)


def _take_visit_time(words: _Words, line: str, today: date,
                     now: time) -> tuple[date | None, time | None, ReportProblem | None]:
    """`kemarin` and `jam 10.30` anywhere in the line: when the visit happened, if not just now."""
    visited_on: date | None = None
    visited_time: time | None = None
    index = 0
    while index < len(words.typed):
        plain = words.plain[index]
        if plain in _YESTERDAY:
            visited_on = today - timedelta(days=1)
            del words.typed[index]
            continue
        if plain in _TODAY or (plain == "HARI" and words.plain[index + 1:index + 2] == ["INI"]
                               and index > 0 and words.plain[index - 1] in _YESTERDAY | _HOUR_WORDS):
            del words.typed[index]
            continue
        if plain in _HOUR_WORDS and index + 1 < len(words.typed):
            match = _TIME.match(words.typed[index + 1].strip(",;"))
            if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
                return None, None, ReportProblem("time_unreadable", line, {"typed": words.typed[index + 1]})
            visited_time = time(int(match.group(1)), int(match.group(2) or 0))
            del words.typed[index:index + 2]
            continue
        index += 1
    if visited_time is not None and visited_on is None and visited_time > now:
        return None, None, ReportProblem("time_future", line, {"typed": f"{visited_time:%H.%M}"})
    return visited_on, visited_time, None


def _take_result(words: _Words) -> str | None:
    """The result at the start of what is left: an alias of one to four words, or a slip of one word."""
    glued = re.match(r"^([A-Za-z]{3,})(\d.*)$", words.typed[0]) if words.typed else None
    if glued and (glued.group(1).upper() in ALIASES or difflib.get_close_matches(
            glued.group(1).upper(), _FUZZY, n=1, cutoff=0.75)):  # "bayar150rb": two words without a space
        words.typed[0:1] = [glued.group(1), glued.group(2)]
    plain = words.plain
    for size in range(min(_LONGEST_ALIAS, len(plain)), 0, -1):
        phrase = " ".join(plain[:size])
        if phrase in ALIASES:
            del words.typed[:size]
            return ALIASES[phrase]
    if plain and len(plain[0]) >= 3:
        close = difflib.get_close_matches(plain[0], _FUZZY, n=1, cutoff=0.75)
        if close:
            del words.typed[0]
            return ALIASES[close[0]]
    return None


def _take_promise_date(words: _Words, line: str, today: date, rules: ProgrammeRules) -> date | ReportProblem:
    """The date right after JANJI (1 to 4 words, `tgl` allowed): the longest reading wins."""
    start = 0
    while start < len(words.typed) and words.plain[start] in _DATE_WORDS:
        start += 1
    candidates = [re.sub(r"[^0-9A-Z/.\-]", "", word.upper()) for word in words.typed[start:start + 3]]
    for size in range(len(candidates), 0, -1):
        promised = _date_from(candidates[:size], today)
        if promised is not None:
            del words.typed[:start + size]
            return check_promise(promised, today, rules, line) or promised
    if not candidates or not re.search(r"\d", candidates[0]) and candidates[0] not in MONTH_NAMES:
        return ReportProblem("janji_no_date", line)
    return ReportProblem("janji_bad_date", line, {"typed": words.typed[start]})


def _date_from(words: list[str], today: date) -> date | None:
    phrase = " ".join(words)
    if phrase in _RELATIVE:
        return today + timedelta(days=_RELATIVE[phrase])
    try:
        if len(words) == 1 and (match := _NUMERIC_DATE.match(words[0])):
            day, month, year = match.groups()
            return _dated(int(day), int(month), year, today)
        if len(words) in (2, 3) and words[0].isdigit() and words[1] in MONTH_NAMES:
            year = words[2] if len(words) == 3 and words[2].isdigit() else None
            if len(words) == 3 and year is None:
                return None
            return _dated(int(words[0]), MONTH_NAMES[words[1]], year, today)
        if len(words) == 1 and words[0].isdigit() and len(words[0]) <= 2:  # "tgl 20": the next 20th
            day = int(words[0])
            if day >= today.day and day <= monthrange(today.year, today.month)[1]:
                return today.replace(day=day)
            following = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            return following.replace(day=day)
    except ValueError:  # 31/2 and friends
        return None
    return None


def _dated(day: int, month: int, year: str | None, today: date) -> date:
    """A day and month: in the given year, else the next such day from today."""
    if year is not None:
        number = int(year)
        return date(number + 2000 if number < 100 else number, month, day)
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def _take_amount(words: _Words, line: str, result: str, rules: ProgrammeRules) -> int | None | ReportProblem:
    """An amount right after the result (one or two words: `Rp 150.000`, `150 rb`)."""
    if not words.typed:
        return None
    first = words.typed[0]
    if not re.match(r"^(rp\.?)?\d", first, re.IGNORECASE) and words.plain[0] != "RP":
        return None
    if len(words.plain) > 1 and words.plain[1] in _MONTH_UNITS:  # "bayar 2 bulan": months, a note
        return None
    size = 1
    if len(words.typed) > 1 and (words.plain[0] == "RP" or words.plain[1] in _UNITS):
        size = 3 if words.plain[0] == "RP" and words.plain[2:3] and words.plain[2] in _UNITS else 2
    amount = read_amount("".join(words.typed[:size]))
    if amount is None:
        return ReportProblem("amount_unreadable", line, {"typed": " ".join(words.typed[:size])})
    unit_given = bool(re.search(r"(RP|RB|RIBU|K|JT|JUTA)", "".join(words.plain[:size])))
    if result not in WITH_AMOUNT:
        if not unit_given and amount < 1000:
            return None  # a small number in a note ("TIDAKADA 2 kali"), not money
        return ReportProblem("amount_not_for_result", line, {"result": result})
    if not unit_given and 0 < amount < 1000:
        return ReportProblem("amount_too_small", line, {"typed": first})
    problem = check_amount(amount, rules, line)
    if problem is not None:
        return problem
    del words.typed[:size]
    return amount
