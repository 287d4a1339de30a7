"""Load the branch's CSV files (members, payments, cadres, assignments) into the database, batch by batch.

Format: shared/docs/contract.md, "CSV files". A file is read line by line, several times when a decision
needs the whole file (which row is a family's head), and written in batches, one transaction each, so that
a million members import in bounded memory. A bad line is reported with its number as a spreadsheet shows
it (the header is line 1) and a reason a branch supervisor can act on; the good lines are imported anyway.
Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import ColumnElement, any_, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, selectinload, sessionmaker
from tqdm import tqdm

from models.arrears import DEFAULT_RULES, ProgrammeRules
from models.ledger import apply_payment_to_family, rate_table
from models.people import Assignment, Cadre, Family, Member, Payment
from models.regions import zone_for_region

# Measured with bench/import_members.py: batches of a few thousand rows keep the queries' IN lists well
# inside SQLite's and PostgreSQL's parameter limits, and larger batches gained nothing.
BATCH_SIZE = 5000
JAKARTA = ZoneInfo("Asia/Jakarta")  # a bank's date-time without a zone is WIB (contract.md)

KINDS = ("members", "payments", "cadres", "assignments")
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # kind -> (required, optional)
    "members": (("card_number", "nik", "name", "birth_date", "family_number", "relationship", "segment",
                 "class", "region_code", "paid_through"), ("phone",)),
    "payments": (("reference", "family_number", "amount", "paid_at"), ("channel",)),
    "cadres": (("cadre_code", "name", "region_code"), ("phone", "telegram_username", "branch", "supervisor_code")),
    "assignments": (("cadre_code", "family_number"), ()),
}


@dataclass
class ImportReport:
    """What one import did, line by line: what a supervisor reads after `flask import`."""

    kind: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason), by line

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append((line, reason))

    def summary(self) -> str:
        return (f"{self.kind}: {self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected")


def import_file(
    sessions: sessionmaker[Session],
    kind: str,
    path: str | Path,
    *,
    today: date,
    progress: bool = False,
    rules: ProgrammeRules | None = None,
) -> ImportReport:
    """Import one CSV file of `kind` (members, payments, cadres or assignments); never raises for bad data.

    `today` bounds dates (nobody is born tomorrow); `progress` draws a tqdm bar per pass on stderr;
    `rules` are the programme rules payments are applied with (the defaults when None).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    report = ImportReport(kind)
    try:
        source = CsvSource(Path(path), kind, progress)
    except HeaderError as problem:
        report.reject(1, str(problem))
        return report
    if kind == "members":
        MemberImport(sessions, source, report, today).run()
    elif kind == "payments":
        _import_payments(sessions, source, report, today, rules or DEFAULT_RULES)
    elif kind == "cadres":
        _import_cadres(sessions, source, report)
    else:
        _import_assignments(sessions, source, report)
    report.rejected.sort()
    return report


# ------------------------------------------------------------------------------------------------- reading


class HeaderError(ValueError):
    """The file cannot be read at all (empty, not UTF-8, columns missing): reported on line 1."""


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # as a spreadsheet numbers it: the header is 1
    values: dict[str, str]  # column -> stripped text
    problem: str | None = None  # the row cannot be read (column count, encoding, an unclosed quote)


class CsvSource:
    """A CSV file that can be read several times, one row at a time: header checked once, separator sniffed."""

    def __init__(self, path: Path, kind: str, progress: bool) -> None:
        self.path = path
        self.kind = kind
        self.progress = progress
        self.size = path.stat().st_size
        with path.open("rb") as handle:
            first = handle.readline()
        try:
            header = first.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise HeaderError("the file is not UTF-8 text: save it as 'CSV UTF-8'; nothing was imported") from None
        if not header.strip():
            raise HeaderError("the file is empty or its first line is blank: the first line must name the columns")
        # Excel in Indonesia writes ';' (the comma is the decimal separator there): whichever the header uses.
        self.delimiter = ";" if header.count(";") > header.count(",") else ","
        names = next(csv.reader([header], delimiter=self.delimiter))
        self.columns = [re.sub(r"[\s-]+", "_", name.strip().lower()) for name in names]
        required, optional = COLUMNS[kind]
        missing = [name for name in required if name not in self.columns]
        if missing:
            raise HeaderError(f"the header lacks column(s) {', '.join(missing)} (expected {', '.join(required)}"
                              f"{', ' + ', '.join(optional) if optional else ''}); nothing was imported")
        repeated = sorted({name for name in self.columns if name and self.columns.count(name) > 1})
        if repeated:
            raise HeaderError(f"the header names column(s) {', '.join(repeated)} twice; nothing was imported")

    def has(self, column: str) -> bool:
        return column in self.columns

    def rows(self, label: str = "") -> Iterator[CsvRow]:
        """Every non-blank data row, in file order; unreadable ones carry a `problem` instead of failing."""
        undecodable = False
        consumed = 0  # physical lines read for the record being parsed
        bar = (tqdm(total=self.size, unit="B", unit_scale=True, desc=f"{self.kind} {label}".strip(), leave=False)
               if self.progress else nullcontext())

        def lines(handle: Iterable[bytes]) -> Iterator[str]:
            nonlocal undecodable, consumed
            for raw in handle:
                consumed += 1
                if self.progress:
                    bar.update(len(raw))  # type: ignore[union-attr]
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    undecodable = True
                    yield raw.decode("utf-8", errors="replace")

        width = len(self.columns)
        with self.path.open("rb") as handle, bar:
            reader = csv.reader(lines(handle), delimiter=self.delimiter)
            next(reader)  # the header, checked in __init__
            line = 1
            while True:
                line += 1
                consumed = 0
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield CsvRow(line, {}, f"cannot be read as CSV ({error})")
                    continue
                problem = None
                if undecodable:
                    undecodable = False
                    problem = "is not UTF-8 text (save the file as 'CSV UTF-8')"
                if not "".join(values).strip():
                    continue  # blank lines and rows of bare separators, as spreadsheets leave at the end
                if problem is None and consumed > 1:
                    problem = 'has a quote (") that is not closed, so it runs into the lines below'
                elif problem is None and len(values) < width:
                    problem = f"has {len(values)} values but the header has {width} columns (is a separator missing?)"
                elif problem is None and any(value.strip() for value in values[width:]):
                    problem = (f"has {len(values)} values but the header has {width} columns (does a value contain "
                               f"'{self.delimiter}'? put it in double quotes)")
                yield CsvRow(line, {name: value.strip() for name, value in zip(self.columns, values, strict=False)},
                             problem)


# ------------------------------------------------------------------------------------------------- fields


class FieldError(ValueError):
    """One value is wrong; the message is what the supervisor reads."""


def _show(value: str) -> str:
    return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"


SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")


def parse_digits(value: str, column: str, length: int) -> str:
    """An identifier of exactly `length` digits (spaces inside are ignored: people group long numbers)."""
    digits = value.replace(" ", "")
    if len(digits) == length and digits.isdigit() and digits.isascii():
        return digits
    if SCIENTIFIC.fullmatch(digits):
        raise FieldError(f"{column} must be {length} digits, got {_show(value)} (a spreadsheet turned it into a "
                         "number: format the column as text)")
    if not digits.isdigit() or not digits.isascii():
        raise FieldError(f"{column} must be {length} digits, got {_show(value)}" if value else f"{column} is empty")
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
        raise FieldError(f"{column} must be YYYY-MM-DD or DD-MM-YYYY, got {_show(value)}"
                         if value else f"{column} is empty")
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError(f"{column} {_show(value)} is not a real date") from None


def parse_birth_date(value: str, today: date) -> date:
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
        raise FieldError(f"{column} must be YYYY-MM, got {_show(value)}" if value else f"{column} is empty")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise FieldError(f"{column} {_show(value)} has no month {month}")
    # Far-off years are typing mistakes (2205 for 2025), not payments made a century ahead.
    if not 2000 <= year <= today.year + 2:
        raise FieldError(f"{column} {_show(value)} is not a plausible month")
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
    return RELATIONSHIPS.get(" ".join(value.lower().replace("_", " ").split()))


def parse_relationship(value: str) -> str:
    relation = relationship_of(value)
    if relation is None:
        raise FieldError(f"relationship must be head, spouse, child or other (or kepala keluarga, istri, suami, "
                         f"anak, lainnya), got {_show(value)}" if value else "relationship is empty")
    return relation


SEGMENTS = {
    "PBPU": "PBPU", "MANDIRI": "PBPU", "PESERTAMANDIRI": "PBPU", "PEKERJABUKANPENERIMAUPAH": "PBPU",
    "BP": "BP", "BUKANPEKERJA": "BP",
    "PPU": "PPU", "PPUPN": "PPU", "PPUBU": "PPU", "PEKERJAPENERIMAUPAH": "PPU",
    "PBI": "PBI", "PBIJK": "PBI", "PBIAPBN": "PBI", "PBIAPBD": "PBI", "PENERIMABANTUANIURAN": "PBI",
}


SEGMENT_NOISE = re.compile(r"[\s\-_.]")


def parse_segment(value: str) -> str:
    segment = SEGMENTS.get(value) or SEGMENTS.get(SEGMENT_NOISE.sub("", value.upper()))
    if segment is None:
        raise FieldError(f"segment must be PBPU, BP, PPU or PBI, got {_show(value)}" if value else "segment is empty")
    return segment


CLASSES = {"1": 1, "i": 1, "2": 2, "ii": 2, "3": 3, "iii": 3}
CLASS_WORD = re.compile(r"^(kelas|kls\.?)\s*")


def parse_class(value: str) -> int:
    klass = CLASSES.get(value) or CLASSES.get(CLASS_WORD.sub("", value.strip().lower()).strip())
    if klass is None:
        raise FieldError(f"class must be 1, 2 or 3 (or I, II, III), got {_show(value)}" if value else "class is empty")
    return klass


PHONE_NOISE = re.compile(r"[\s\-.()/]")
MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def parse_phone(value: str, column: str = "phone") -> str | None:
    """Any way Indonesians write a mobile number (0812..., 62812..., +62 812-..., 812... after a spreadsheet
    ate the 0) as E.164; None when empty. Reminders go to WhatsApp, so it must be a mobile number."""
    if not value:
        return None
    compact = PHONE_NOISE.sub("", value)
    if compact.startswith("62"):
        compact = "+" + compact
    elif compact.startswith("8"):
        compact = "0" + compact
    try:
        number = phonenumbers.parse(compact, "ID")
    except phonenumbers.NumberParseException:
        number = None
    # number_type is UNKNOWN for an invalid number, so it checks validity too (is_valid_number would match
    # the same patterns again: half the cost of an import is here).
    if number is None or number.country_code != 62 or phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise FieldError(f"{column} must be an Indonesian mobile number (08..., 628... or +628...), got {_show(value)}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_name(value: str, column: str = "name", longest: int = 120) -> str:
    name = " ".join(value.split())
    if not name:
        raise FieldError(f"{column} is empty")
    if len(name) > longest:
        raise FieldError(f"{column} is longer than {longest} characters")
    return name


def parse_region(value: str) -> str:
    if not (len(value) == 4 and value.isdigit() and value.isascii()):
        raise FieldError(f"region_code must be the 4-digit kabupaten/kota code (e.g. 3372), got {_show(value)}"
                         if value else "region_code is empty")
    return value


AMOUNT = re.compile(r"(?P<whole>\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*|\d+)(?:[.,](?P<cents>\d{1,2}))?")


def parse_amount(value: str) -> int:
    """Whole rupiah as people and banks write it: 150000, 150.000, Rp150.000, 150,000, 150000.00."""
    text = re.sub(r"^rp\.?", "", value.strip().lower()).replace(" ", "")
    match = AMOUNT.fullmatch(text)
    if not match or (match["cents"] and int(match["cents"]) != 0):
        raise FieldError(f"amount must be whole rupiah like 150000 or 150.000, got {_show(value)}"
                         if value else "amount is empty")
    amount = int(re.sub(r"[.,]", "", match["whole"]))
    if amount <= 0:
        raise FieldError(f"amount must be more than 0, got {_show(value)}")
    return amount


def parse_paid_at(value: str) -> datetime:
    """An ISO date or date-time, as UTC; without a zone it is WIB (Asia/Jakarta), a date alone its midnight."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            moment = datetime.combine(date.fromisoformat(value), time(0))
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(f"paid_at must be a date (2025-06-01) or date-time (2025-06-01 10:30), got {_show(value)}"
                         if value else "paid_at is empty") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=JAKARTA)
    return moment.astimezone(UTC)


def parse_cadre_code(value: str, column: str = "cadre_code") -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9\-_./]{1,19}", code):
        raise FieldError(f"{column} must be 2 to 20 letters, digits or dashes (like KDR-SKA-01), got {_show(value)}"
                         if value else f"{column} is empty")
    return code


def parse_telegram_username(value: str) -> str | None:
    name = re.sub(r"^(https?://)?(t\.me/|telegram\.me/)", "", value.strip()).lstrip("@")
    if not name:
        return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{4,31}", name):
        raise FieldError(f"telegram_username must be 5 to 32 letters, digits or _, got {_show(value)}")
    return name


def _checked(row: CsvRow, parsers: dict[str, Callable[[str], Any]]) -> tuple[dict[str, Any], list[str]]:
    """Every column through its parser; all problems of the line at once, so one fix round is enough."""
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    for column, parser in parsers.items():
        try:
            parsed[column] = parser(row.values.get(column, ""))
        except FieldError as problem:
            problems.append(str(problem))
    return parsed, problems


def _checked_lines(
    source: CsvSource, parsers: dict[str, Callable[[str], Any]], report: ImportReport,
    more_problems: Callable[[CsvRow, dict[str, Any]], list[str]] | None = None,
) -> Iterator[tuple[CsvRow, dict[str, Any]]]:
    """The lines that read and parse (and pass `more_problems`); every other line is rejected with all its
    reasons at once."""
    for row in source.rows():
        if row.problem:
            report.reject(row.line, f"the line {row.problem}")
            continue
        values, problems = _checked(row, parsers)
        if more_problems is not None:
            problems += more_problems(row, values)
        if problems:
            report.reject(row.line, "; ".join(problems))
            continue
        yield row, values


def _number(value: str, length: int) -> int | None:
    """An identifier as an int when it is `length` ASCII digits (spaces ignored), for compact bookkeeping."""
    digits = value.replace(" ", "")
    return int(digits) if len(digits) == length and digits.isdigit() and digits.isascii() else None


def among(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL as `= ANY(array)`: one parameter instead of thousands halves the
    time of a batch's lookups (measured: 5,000 card numbers, 108 ms -> 54 ms)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))  # type: ignore[no-any-return]
    return column.in_(list(values))  # type: ignore[no-any-return]


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    size = BATCH_SIZE  # read at each import, so the benchmark can try other sizes
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ------------------------------------------------------------------------------------------------- members


@dataclass(slots=True)
class MemberRow:
    line: int
    card_number: str
    nik: str
    name: str
    birth_date: date
    family_number: str
    relation: str
    segment: str
    class_: int
    phone: str | None
    region_code: str
    paid_through: date


MEMBER_FIELDS = ("card_number", "nik", "name", "birth_date", "relation", "segment", "class_", "phone",
                 "region_code", "paid_through")


class MemberImport:
    """Members in three passes over the file, because a family's head decides for the whole family.

    1. scan: note each family's head line (the first head row) and every card number, cheaply.
    2. heads: write the heads, creating families; a family's region is its head's.
    3. the others: a member joins a family only if that family has its head in the database by now.
    So no family is left without a head, and none gets a second one, whatever order the file is in.
    """

    def __init__(self, sessions: sessionmaker[Session], source: CsvSource, report: ImportReport,
                 today: date) -> None:
        self.sessions = sessions
        self.source = source
        self.report = report
        self.today = today
        self.head_line: dict[int, int] = {}  # family number -> line of its head row in the file
        self.file_cards = array("q")  # every card number in the file, sorted (8 bytes each)
        # card number -> (line, its other problems) for each line, when the card is on more than one
        self.repeated_cards: dict[str, list[tuple[int, list[str]]]] = {}
        self.demoted: set[int] = set()  # member ids this import took the head role from
        self.with_phone = source.has("phone")
        self.parsers: dict[str, Callable[[str], Any]] = {
            "card_number": lambda v: parse_digits(v, "card_number", 13),
            "nik": lambda v: parse_digits(v, "nik", 16),
            "name": parse_name,
            "birth_date": lambda v: parse_birth_date(v, today),
            "family_number": lambda v: parse_digits(v, "family_number", 16),
            "relationship": parse_relationship,
            "segment": parse_segment,
            "class": parse_class,
            "region_code": parse_region,
            "paid_through": lambda v: parse_month(v, "paid_through", today),
        }
        if self.with_phone:
            self.parsers["phone"] = parse_phone

    def run(self) -> None:
        self.scan()
        for heads in (True, False):
            for batch in _batches(self._parsed(heads)):
                with self.sessions.begin() as session:
                    self.write(session, batch, heads)
        # Which of two lines with one card is right, only the supervisor knows: both are rejected.
        for card, occurrences in self.repeated_cards.items():
            for line, problems in occurrences:
                others = ", ".join(str(other) for other, _ in occurrences if other != line)
                self.report.reject(line, "; ".join([f"card_number {card} is also on line {others}: a member must "
                                                    "appear once", *problems]))

    def scan(self) -> None:
        cards = array("q")
        for row in self.source.rows("1/3 checking"):
            if row.problem:
                continue
            card = _number(row.values["card_number"], 13)
            if card is not None:
                cards.append(card)
            family = _number(row.values["family_number"], 16)
            if family is not None and relationship_of(row.values["relationship"]) == "head":
                self.head_line.setdefault(family, row.line)
        ordered = sorted(cards)
        del cards
        self.file_cards = array("q", ordered)
        repeated = {f"{a:013d}" for a, b in zip(ordered, ordered[1:], strict=False) if a == b}
        self.repeated_cards = {card: [] for card in repeated}

    def in_file(self, card_number: str) -> bool:
        card = int(card_number)
        position = bisect_left(self.file_cards, card)
        return position < len(self.file_cards) and self.file_cards[position] == card

    def _is_head_row(self, row: CsvRow) -> bool:
        """The row the scan chose as its family's head (the same test in both writing passes)."""
        if row.problem is not None:
            return False
        family = _number(row.values["family_number"], 16)
        return family is not None and self.head_line.get(family) == row.line

    def _parsed(self, heads: bool) -> Iterator[MemberRow]:
        label = "2/3 heads" if heads else "3/3 members"
        for row in self.source.rows(label):
            if self._is_head_row(row) != heads:
                continue
            if row.problem:
                self.report.reject(row.line, f"the line {row.problem}")
                continue
            values, problems = _checked(row, self.parsers)
            card = _number(row.values["card_number"], 13)
            if card is not None and f"{card:013d}" in self.repeated_cards:
                self.repeated_cards[f"{card:013d}"].append((row.line, problems))
                continue
            if problems:
                self.report.reject(row.line, "; ".join(problems))
                continue
            if values["relationship"] == "head" and not heads:
                head = self.head_line[int(values["family_number"])]
                self.report.reject(row.line, f"family {values['family_number']} already has its head on line "
                                             f"{head}: a family has one head")
                continue
            yield MemberRow(
                line=row.line, card_number=values["card_number"], nik=values["nik"], name=values["name"],
                birth_date=values["birth_date"], family_number=values["family_number"],
                relation=values["relationship"], segment=values["segment"], class_=values["class"],
                phone=values.get("phone"), region_code=values["region_code"], paid_through=values["paid_through"],
            )

    def write(self, session: Session, rows: list[MemberRow], heads: bool) -> None:
        """One batch: a few queries for what exists, then bulk inserts and updates."""
        report = self.report
        existing = {m.card_number: m for m in session.execute(
            select(Member.id, Member.family_id, *(getattr(Member, name) for name in MEMBER_FIELDS))
            .where(among(session, Member.card_number, [row.card_number for row in rows])))}
        nik_owner: dict[str, str] = {nik: card for nik, card in session.execute(
            select(Member.nik, Member.card_number).where(among(session, Member.nik, [row.nik for row in rows])))}
        family_rows = session.execute(
            select(Family.id, Family.number, Family.region_code).where(or_(
                among(session, Family.number, {row.family_number for row in rows}),
                among(session, Family.id, {member.family_id for member in existing.values()}))))
        # Rows (id, number, region_code): plain tuples are much cheaper than ORM objects at a million members.
        by_number: dict[str, Any] = {}
        by_id: dict[int, Any] = {}
        for found in family_rows:
            by_number[found.number] = by_id[found.id] = found
        family_head: dict[int, Any] = {head.family_id: head for head in session.execute(
            select(Member.id, Member.family_id, Member.card_number)
            .where(among(session, Member.family_id, by_id), Member.relation == "head"))}

        new_families: dict[str, str] = {}  # number -> region
        region_changes: dict[int, str] = {}
        demote: list[int] = []
        inserts: list[tuple[MemberRow, dict[str, Any]]] = []
        updates: list[tuple[MemberRow, dict[str, Any]]] = []
        niks_here: dict[str, int] = {}
        for row in rows:
            member = existing.get(row.card_number)
            family = by_number.get(row.family_number)
            reason = None
            owner = nik_owner.get(row.nik)
            if owner is not None and owner != row.card_number:
                reason = f"nik {row.nik} already belongs to card_number {owner}"
            elif row.nik in niks_here:
                reason = f"nik {row.nik} is also on line {niks_here[row.nik]}"
            elif heads:
                head = family_head.get(family.id) if family else None
                if head is not None and head.card_number != row.card_number and not self.in_file(head.card_number):
                    reason = (f"family {row.family_number} already has a head (card_number {head.card_number}); "
                              "to change the head, list that member in this file with their new relationship")
            elif family is None or family.id not in family_head:
                reason = self._headless_reason(row.family_number)
            if reason is None and member is not None and member.relation == "head" and (
                    family is None or member.family_id != family.id or row.relation != "head"):
                # Moving or demoting a head is fine only when this file gives the old family a new head;
                # by the last pass that has happened (the old head was demoted) or never will.
                old_number = by_id[member.family_id].number
                if not heads or int(old_number) not in self.head_line:
                    reason = (f"card_number {row.card_number} is the head of family {old_number}: a family keeps "
                              "one head, so list its new head (relationship head) in this file too")
            if reason is not None:
                report.reject(row.line, reason)
                continue
            niks_here[row.nik] = row.line

            if heads:
                head = family_head.get(family.id) if family else None
                if head is not None and head.card_number != row.card_number:
                    demote.append(head.id)
                if family is None:
                    new_families[row.family_number] = row.region_code
                elif family.region_code != row.region_code:
                    region_changes[family.id] = row.region_code
            values = {name: getattr(row, name) for name in MEMBER_FIELDS}
            if not self.with_phone:
                del values["phone"]
            if member is None:
                inserts.append((row, values))
                continue
            # A member file never undoes a payment recorded since it was exported.
            values["paid_through"] = max(member.paid_through, row.paid_through)
            if (family is not None and member.family_id == family.id and member.id not in self.demoted
                    and all(getattr(member, name) == value for name, value in values.items())):
                report.unchanged += 1
            else:
                updates.append((row, {"id": member.id, **values}))

        family_ids = {number: family.id for number, family in by_number.items()}
        if new_families:
            created = session.execute(
                insert(Family).returning(Family.id, Family.number),
                [{"number": number, "region_code": region, "credit": 0} for number, region in new_families.items()])
            family_ids.update({number: family_id for family_id, number in created})
        if region_changes:
            session.execute(update(Family), [{"id": id_, "region_code": region}
                                              for id_, region in region_changes.items()])
        if demote:
            session.execute(update(Member), [{"id": id_, "relation": "other"} for id_ in demote])
            self.demoted.update(demote)
        if inserts:
            # render_nulls: otherwise the ORM leaves out None values, and rows with and without a phone
            # would go to the database in as many small statements as there are changes between them.
            session.execute(insert(Member).execution_options(render_nulls=True),
                            [{**values, "family_id": family_ids[row.family_number]} for row, values in inserts])
            report.inserted += len(inserts)
        if updates:
            # After the demotions: a demoted head that is also in this batch gets the relationship its row says.
            session.execute(update(Member), [{**values, "family_id": family_ids[row.family_number]}
                                             for row, values in updates])
            report.updated += len(updates)

    def _headless_reason(self, family_number: str) -> str:
        line = self.head_line.get(int(family_number))
        if line is not None:
            return f"family {family_number} has no head, because its head on line {line} was rejected"
        return (f"family {family_number} has no head: add its head (relationship head or kepala keluarga) to "
                "this file")


# ------------------------------------------------------------------------------------------------ payments


def _import_payments(sessions: sessionmaker[Session], source: CsvSource, report: ImportReport, today: date,
                     rules: ProgrammeRules) -> None:
    """New payments are recorded and applied to their family's months; a reference already known is not."""
    parsers: dict[str, Callable[[str], Any]] = {
        "reference": lambda v: parse_name(v, "reference", 64),
        "family_number": lambda v: parse_digits(v, "family_number", 16),
        "amount": parse_amount,
        "paid_at": parse_paid_at,
        "channel": lambda v: " ".join(v.split())[:40],
    }
    seen: dict[str, int] = {}  # reference -> line: a reference twice in one file is a mistake in the file
    with sessions() as session:
        rates = rate_table(session)

    def in_the_future(row: CsvRow, values: dict[str, Any]) -> list[str]:
        if "paid_at" in values and values["paid_at"].date() > today:
            return [f"paid_at {row.values['paid_at']} is in the future"]
        return []

    def good_rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for row, values in _checked_lines(source, parsers, report, in_the_future):
            reference = values["reference"]
            if reference in seen:
                report.reject(row.line, f"reference {reference} is also on line {seen[reference]}: "
                                        "each payment must have its own reference")
                continue
            seen[reference] = row.line
            yield row.line, values

    for batch in _batches(good_rows()):
        with sessions.begin() as session:
            known = set(session.scalars(select(Payment.reference).where(
                among(session, Payment.reference, [values["reference"] for _, values in batch]))))
            families = {family.number: family for family in session.scalars(
                select(Family)
                .where(among(session, Family.number, {values["family_number"] for _, values in batch}))
                .options(selectinload(Family.members)))}
            for line, values in batch:
                if values["reference"] in known:
                    report.unchanged += 1
                    continue
                family = families.get(values["family_number"])
                if family is None:
                    report.reject(line, f"family_number {values['family_number']} is not in the database "
                                        "(import the members first)")
                    continue
                session.add(Payment(reference=values["reference"], family_id=family.id, amount=values["amount"],
                                    paid_at=values["paid_at"], channel=values["channel"]))
                # Applied on the day the family's clock showed when they paid.
                on = values["paid_at"].astimezone(zone_for_region(family.region_code)).date()
                apply_payment_to_family(session, family, values["amount"], on, rules, rates)
                report.inserted += 1


# -------------------------------------------------------------------------------------------------- cadres


def _import_cadres(sessions: sessionmaker[Session], source: CsvSource, report: ImportReport) -> None:
    """Cadres, then their supervisors: a supervisor may be listed after the cadres they supervise."""
    parsers: dict[str, Callable[[str], Any]] = {"cadre_code": parse_cadre_code, "name": parse_name,
                                               "region_code": parse_region}
    optional: dict[str, Callable[[str], Any]] = {
        "phone": parse_phone,
        "telegram_username": parse_telegram_username,
        "branch": lambda v: parse_name(v, "branch", 80) if v.strip() else "",
        "supervisor_code": lambda v: parse_cadre_code(v, "supervisor_code") if v.strip() else None,
    }
    parsers.update({column: parser for column, parser in optional.items() if source.has(column)})

    # Cadre files are a branch's few dozen cadres: checking the whole file first costs nothing, and then
    # every supervisor_code can be resolved before anything is written.
    good: list[tuple[int, dict[str, Any]]] = []
    code_line: dict[str, int] = {}
    phone_line: dict[str, int] = {}
    def repeated(row: CsvRow, values: dict[str, Any]) -> list[str]:
        problems = []
        code = values.get("cadre_code")
        if code is not None and code in code_line:
            problems.append(f"cadre_code {code} is also on line {code_line[code]}")
        if values.get("phone") and values["phone"] in phone_line:
            problems.append(f"phone {values['phone']} is also on line {phone_line[values['phone']]}: "
                            "cadres are recognised by their phone")
        if code is not None and values.get("supervisor_code") == code:
            problems.append("supervisor_code is the cadre's own code")
        return problems

    for row, values in _checked_lines(source, parsers, report, repeated):
        code_line[values["cadre_code"]] = row.line
        if values.get("phone"):
            phone_line[values["phone"]] = row.line
        good.append((row.line, values))

    with sessions() as session:
        known_codes = set(session.scalars(select(Cadre.code).where(
            among(session, Cadre.code, {values["supervisor_code"] for _, values in good if values.get("supervisor_code")}))))
    supervised: list[tuple[int, dict[str, Any]]] = []
    for line, values in good:
        supervisor = values.get("supervisor_code")
        if supervisor and supervisor not in code_line and supervisor not in known_codes:
            report.reject(line, f"supervisor_code {supervisor} is not a cadre in this file or the database")
        else:
            supervised.append((line, values))

    # (code, supervisor code, is new, changed): linked once every cadre of the file exists
    pending: list[tuple[str, str | None, bool, bool]] = []
    for batch in _batches(supervised):
        with sessions.begin() as session:
            cadres = {cadre.code: cadre for cadre in session.scalars(
                select(Cadre).where(among(session, Cadre.code, [values["cadre_code"] for _, values in batch])))}
            phones = [values["phone"] for _, values in batch if values.get("phone")]
            phone_owner = {phone: code for phone, code in session.execute(
                select(Cadre.phone, Cadre.code).where(among(session, Cadre.phone, phones)))}
            for line, values in batch:
                code = values["cadre_code"]
                owner = phone_owner.get(values.get("phone") or "")
                if owner is not None and owner != code:
                    report.reject(line, f"phone {values['phone']} already belongs to cadre {owner}")
                    continue
                cadre = cadres.get(code)
                fields = {name: values[column] for column, name in (
                    ("name", "name"), ("region_code", "region_code"), ("phone", "phone"),
                    ("telegram_username", "telegram_username"), ("branch", "branch")) if column in values}
                is_new = cadre is None
                changed = cadre is None or any(getattr(cadre, name) != value for name, value in fields.items())
                if cadre is None:
                    session.add(Cadre(code=code, **{"branch": "", **fields}))
                else:
                    for name, value in fields.items():
                        setattr(cadre, name, value)
                if "supervisor_code" in values:
                    pending.append((code, values["supervisor_code"], is_new, changed))
                else:
                    _count(report, is_new, changed)

    # Now every cadre of the file exists: link supervisors in one transaction.
    with sessions.begin() as session:
        supervisors = {supervisor for _, supervisor, _, _ in pending if supervisor}
        ids = {code: id_ for code, id_ in session.execute(
            select(Cadre.code, Cadre.id).where(among(session, Cadre.code, supervisors)))}
        cadres_by_code = {cadre.code: cadre for cadre in session.scalars(
            select(Cadre).where(among(session, Cadre.code, [code for code, _, _, _ in pending])))}
        for code, supervisor, is_new, changed in pending:
            cadre = cadres_by_code[code]
            supervisor_id = ids[supervisor] if supervisor else None
            if cadre.supervisor_id != supervisor_id:
                cadre.supervisor_id = supervisor_id
                changed = True
            _count(report, is_new, changed)


def _count(report: ImportReport, inserted: bool, changed: bool) -> None:
    if inserted:
        report.inserted += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


# --------------------------------------------------------------------------------------------- assignments


def _import_assignments(sessions: sessionmaker[Session], source: CsvSource, report: ImportReport) -> None:
    """One cadre per family: assigning a family to another cadre moves it (updated)."""
    parsers: dict[str, Callable[[str], Any]] = {
        "cadre_code": parse_cadre_code,
        "family_number": lambda v: parse_digits(v, "family_number", 16),
    }
    # family number -> (line, cadre): a family given to two cadres in one file is a mistake in the file.
    seen: dict[int, tuple[int, str]] = {}

    def good_rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for row, values in _checked_lines(source, parsers, report):
            earlier = seen.get(int(values["family_number"]))
            if earlier is not None and earlier[1] != values["cadre_code"]:
                report.reject(row.line, f"family {values['family_number']} is given to {earlier[1]} on line "
                                        f"{earlier[0]}: a family has one cadre")
                continue
            seen.setdefault(int(values["family_number"]), (row.line, values["cadre_code"]))
            yield row.line, values

    for batch in _batches(good_rows()):
        with sessions.begin() as session:
            cadres = {code: id_ for code, id_ in session.execute(select(Cadre.code, Cadre.id).where(
                among(session, Cadre.code, {values["cadre_code"] for _, values in batch})))}
            families = {number: id_ for number, id_ in session.execute(select(Family.number, Family.id).where(
                among(session, Family.number, {values["family_number"] for _, values in batch})))}
            current = {family_id: cadre_id for family_id, cadre_id in session.execute(
                select(Assignment.family_id, Assignment.cadre_id)
                .where(among(session, Assignment.family_id, families.values())))}
            inserts: dict[int, int] = {}
            moves: dict[int, int] = {}
            for line, values in batch:
                cadre_id = cadres.get(values["cadre_code"])
                family_id = families.get(values["family_number"])
                problems = []
                if cadre_id is None:
                    problems.append(f"cadre_code {values['cadre_code']} is not in the database (import the cadres "
                                    "first)")
                if family_id is None:
                    problems.append(f"family_number {values['family_number']} is not in the database (import the "
                                    "members first)")
                if problems:
                    report.reject(line, "; ".join(problems))
                    continue
                assert cadre_id is not None and family_id is not None
                was = current.get(family_id, inserts.get(family_id))
                if was == cadre_id or family_id in inserts:
                    report.unchanged += 1
                elif was is None:
                    inserts[family_id] = cadre_id
                    report.inserted += 1
                else:
                    moves[family_id] = cadre_id
                    report.updated += 1
            if inserts:
                session.execute(insert(Assignment), [{"family_id": family_id, "cadre_id": cadre_id}
                                                     for family_id, cadre_id in inserts.items()])
            if moves:
                session.execute(update(Assignment), [{"family_id": family_id, "cadre_id": cadre_id}
                                                     for family_id, cadre_id in moves.items()])
