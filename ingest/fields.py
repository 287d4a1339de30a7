"""One parser per CSV column kind: a clean value, or a FieldError a branch supervisor can act on.

CSV values follow the contract strictly (dates YYYY-MM-DD or DD-MM-YYYY, months YYYY-MM); chat input is
parsed forgivingly elsewhere (handlers/values.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from rules.phones import compact, mobile_e164
from rules.regions import WIB


class FieldError(ValueError):
    """One value is wrong; the message is what the supervisor reads."""


def shown(value: str) -> str:
    """A value quoted for a message, cut to 40 characters."""
    return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"


SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")


def parse_digits(value: str, column: str, length: int) -> str:
    """An identifier of exactly `length` digits (spaces inside are ignored: people group long numbers)."""
    digits = value.replace(" ", "")
    if len(digits) == length and digits.isdigit() and digits.isascii():
        return digits
    if SCIENTIFIC.fullmatch(digits):
        raise FieldError(f"{column} must be {length} digits, got {shown(value)} (a spreadsheet turned it into a "
                         "number: format the column as text)")
    if not digits.isdigit() or not digits.isascii():
        raise FieldError(f"{column} must be {length} digits, got {shown(value)}" if value else f"{column} is empty")
    if len(digits) != length:
        hint = ""
        if column == "card_number" and len(digits) < length and not digits.startswith("0"):
            hint = " (card numbers start with 000: a spreadsheet may have dropped the zeros; format the column as text)"
        raise FieldError(f"{column} must be {length} digits, got {len(digits)}{hint}")
    return digits


DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
YEAR_FIRST = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


def parse_date(value: str, column: str) -> date:
    """YYYY-MM-DD or DD-MM-YYYY (also with '/', as Indonesian spreadsheets write it)."""
    if match := YEAR_FIRST.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := DAY_FIRST.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise FieldError(f"{column} must be YYYY-MM-DD or DD-MM-YYYY, got {shown(value)}"
                         if value else f"{column} is empty")
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError(f"{column} {shown(value)} is not a real date") from None


def parse_birth_date(value: str, today: date) -> date:
    """A birth date, not in the future nor before 1900."""
    born = parse_date(value, "birth_date")
    if born > today:
        raise FieldError(f"birth_date {born.isoformat()} is in the future")
    if born.year < 1900:
        raise FieldError(f"birth_date {born.isoformat()} is before 1900")
    return born


MONTH = re.compile(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?")


def parse_month(value: str, column: str, today: date) -> date:
    """YYYY-MM as the 1st of that month (a full date is read as its month)."""
    match = MONTH.fullmatch(value)
    if not match:
        raise FieldError(f"{column} must be YYYY-MM, got {shown(value)}" if value else f"{column} is empty")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise FieldError(f"{column} {shown(value)} has no month {month}")
    # Far-off years are typing mistakes (2205 for 2025), not payments made a century ahead.
    if not 2000 <= year <= today.year + 2:
        raise FieldError(f"{column} {shown(value)} is not a plausible month")
    return date(year, month, 1)


RELATIONSHIPS = {
    "head": "head", "kepala keluarga": "head", "kepala": "head", "kk": "head",
    "spouse": "spouse", "istri": "spouse", "isteri": "spouse", "suami": "spouse", "wife": "spouse",
    "husband": "spouse", "pasangan": "spouse",
    "child": "child", "anak": "child", "anak kandung": "child", "anak tiri": "child", "anak angkat": "child",
    "other": "other", "lainnya": "other", "lain-lain": "other", "lain lain": "other", "famili lain": "other",
    "cucu": "other", "menantu": "other", "orang tua": "other", "orangtua": "other", "mertua": "other",
    "famili": "other", "pembantu": "other",
}


def relationship_of(value: str) -> str | None:
    """The relationship (head, spouse, child, other) an English or Indonesian word means, or None."""
    return RELATIONSHIPS.get(" ".join(value.lower().replace("_", " ").split()))


def parse_relationship(value: str) -> str:
    """head, spouse, child or other, in English or Indonesian."""
    relation = relationship_of(value)
    if relation is None:
        raise FieldError(f"relationship must be head, spouse, child or other (or kepala keluarga, istri, suami, "
                         f"anak, lainnya), got {shown(value)}" if value else "relationship is empty")
    return relation


SEGMENTS = {
    "PBPU": "PBPU", "MANDIRI": "PBPU", "PESERTAMANDIRI": "PBPU", "PEKERJABUKANPENERIMAUPAH": "PBPU",
    "BP": "BP", "BUKANPEKERJA": "BP",
    "PPU": "PPU", "PPUPN": "PPU", "PPUBU": "PPU", "PEKERJAPENERIMAUPAH": "PPU",
    "PBI": "PBI", "PBIJK": "PBI", "PBIAPBN": "PBI", "PBIAPBD": "PBI", "PENERIMABANTUANIURAN": "PBI",
}


SEGMENT_NOISE = re.compile(r"[\s\-_.]")


def parse_segment(value: str) -> str:
    """PBPU, BP, PPU or PBI, in the spellings branches write."""
    segment = SEGMENTS.get(value) or SEGMENTS.get(SEGMENT_NOISE.sub("", value.upper()))
    if segment is None:
        raise FieldError(f"segment must be PBPU, BP, PPU or PBI, got {shown(value)}" if value else "segment is empty")
    return segment


CLASSES = {"1": 1, "i": 1, "2": 2, "ii": 2, "3": 3, "iii": 3}
CLASS_WORD = re.compile(r"^(kelas|kls\.?)\s*")


def parse_class(value: str) -> int:
    """Class 1, 2 or 3 (also I, II, III, "kelas 2")."""
    klass = CLASSES.get(value) or CLASSES.get(CLASS_WORD.sub("", value.strip().lower()).strip())
    if klass is None:
        raise FieldError(f"class must be 1, 2 or 3 (or I, II, III), got {shown(value)}" if value else "class is empty")
    return klass


# Indonesian mobile numbers as phonenumbers' metadata for ID describes them (national number 8[1-35-9] and 9
# to 12 digits; no other number type of ID starts that way). tests/test_import_rules.py checks it against
# rules/phones.py (phonenumbers) for every prefix and length: a number that matches is what phonenumbers
# returns, and anything else still goes to phonenumbers. phonenumbers costs ~40 us a number, this ~1 us.
NATIONAL_MOBILE = re.compile(r"8[1-35-9][0-9]{7,10}")


def parse_phone(value: str, column: str = "phone") -> str | None:
    """Any way Indonesians write a mobile number, as E.164 (rules/phones.py); None when empty."""
    if not value:
        return None
    written = compact(value)
    national = written[3:] if written.startswith("+62") else written[1:] if written.startswith("0") else ""
    if NATIONAL_MOBILE.fullmatch(national):
        return "+62" + national
    phone = mobile_e164(value)
    if phone is None:
        raise FieldError(f"{column} must be an Indonesian mobile number (08..., 628... or +628...), got {shown(value)}")
    return phone


class Memo(dict[str, Any]):
    """Answers of a parser for columns with few distinct values (dates, months, words), looked up as a dict:
    each text is parsed once; None stands for "the parser refused it" (ask the parser again for the reason).
    At most `limit` texts are remembered, so memory stays bounded whatever the file holds."""

    def __init__(self, parse: Callable[[str], Any], limit: int = 50_000) -> None:
        super().__init__()
        self.parse = parse
        self.limit = limit

    def __missing__(self, text: str) -> Any:
        try:
            value = self.parse(text)
        except FieldError:
            value = None
        if len(self) < self.limit:
            self[text] = value
        return value


def parse_name(value: str, column: str = "name", longest: int = 120) -> str:
    """A name with its spaces tidied, not empty and at most `longest` characters."""
    name = " ".join(value.split())
    if not name:
        raise FieldError(f"{column} is empty")
    if len(name) > longest:
        raise FieldError(f"{column} is longer than {longest} characters")
    return name


def parse_region(value: str) -> str:
    """The 4-digit kabupaten/kota code."""
    if not (len(value) == 4 and value.isdigit() and value.isascii()):
        raise FieldError(f"region_code must be the 4-digit kabupaten/kota code (e.g. 3372), got {shown(value)}"
                         if value else "region_code is empty")
    return value


AMOUNT = re.compile(r"(?P<whole>\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*|\d+)(?:[.,](?P<cents>\d{1,2}))?")


def parse_amount(value: str) -> int:
    """Whole rupiah as people and banks write it: 150000, 150.000, Rp150.000, 150,000, 150000.00."""
    text = re.sub(r"^rp\.?", "", value.strip().lower()).replace(" ", "")
    match = AMOUNT.fullmatch(text)
    if not match or (match["cents"] and int(match["cents"]) != 0):
        raise FieldError(f"amount must be whole rupiah like 150000 or 150.000, got {shown(value)}"
                         if value else "amount is empty")
    amount = int(re.sub(r"[.,]", "", match["whole"]))
    if amount <= 0:
        raise FieldError(f"amount must be more than 0, got {shown(value)}")
    return amount


def parse_paid_at(value: str) -> datetime:
    """An ISO date or date-time, as UTC; without a zone it is WIB (Asia/Jakarta), a date alone its midnight."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            moment = datetime.combine(date.fromisoformat(value), time(0))
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(f"paid_at must be a date (2025-06-01) or date-time (2025-06-01 10:30), got {shown(value)}"
                         if value else "paid_at is empty") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)  # a bank's date-time without a zone is WIB (docs/interface.md)
    return moment.astimezone(UTC)


def parse_cadre_code(value: str, column: str = "cadre_code") -> str:
    """A cadre code, upper case (like KDR-SKA-01)."""
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9\-_./]{1,19}", code):
        raise FieldError(f"{column} must be 2 to 20 letters, digits or dashes (like KDR-SKA-01), got {shown(value)}"
                         if value else f"{column} is empty")
    return code


def parse_telegram_username(value: str) -> str | None:
    """A Telegram username without @ or t.me/, or None when empty."""
    name = re.sub(r"^(https?://)?(t\.me/|telegram\.me/)", "", value.strip()).lstrip("@")
    if not name:
        return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", name):
        raise FieldError(f"telegram_username must be 5 to 32 letters, digits or _, got {shown(value)}")
    return name


