"""The members file: read once into a staging table, then families, heads and members decided and written in SQL.

The rules (docs/interface.md, "Families and heads"): a family's first head line is its head and the family's
region is the head's; a second head line is rejected; a member joins only a family that has its head in the
database (written from this file first); a card on two lines is rejected on both; one NIK per card; a family
keeps one head, so a head is moved or demoted only when this file names the family's new head, and a head
already in the database stays unless this file lists them too. Importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from ingest import member_rules as rules
from ingest.fields import (
    SEGMENTS,
    FieldError,
    Memo,
    parse_birth_date,
    parse_class,
    parse_digits,
    parse_month,
    parse_name,
    parse_phone,
    parse_region,
    parse_relationship,
    parse_segment,
)
from ingest.source import CsvSource, ImportReport
from ingest.staging import Staging, line_ranges
from rules.segments import own_dues_until_on_import

# Why a line is rejected, by the `reason` the rules give it; {detail} is the reason's particular.
MESSAGES = {
    "nik_owned": "nik {nik} already belongs to card_number {detail}",
    "nik_repeated": "nik {nik} is also on line {detail}",
    "second_head": "family {family} already has its head on line {head}: a family has one head",
    "head_exists": ("family {family} already has a head (card_number {detail}); to change the head, list that "
                    "member in this file with their new relationship"),
    "keeps_head": ("card_number {card} is the head of family {detail}: a family keeps one head, so list its new "
                   "head (relationship head) in this file too"),
    "headless": "family {family} has no head: add its head (relationship head or kepala keluarga) to this file",
    "head_rejected": "family {family} has no head, because its head on line {head} was rejected",
}


class MemberImport:
    """One members file: read and staged in one pass, then decided in two (heads, then the others)."""

    def __init__(self, sessions: sessionmaker[Session], source: CsvSource, report: ImportReport,
                 today: date) -> None:
        self.sessions = sessions
        self.source = source
        self.report = report
        self.with_phone = source.has("phone")
        # In the order a line's problems are listed.
        parsers: dict[str, Callable[[str], Any]] = {
            "card_number": lambda v: parse_digits(v, "card_number", 13),
            "nik": lambda v: parse_digits(v, "nik", 16),
            "name": parse_name,
            "birth_date": lambda v: parse_birth_date(v, today).isoformat(),
            "family_number": lambda v: parse_digits(v, "family_number", 16),
            "relationship": parse_relationship,
            "segment": parse_segment,
            "class": parse_class,
            "region_code": parse_region,
            "paid_through": lambda v: parse_month(v, "paid_through", today).isoformat(),
            "phone": parse_phone if self.with_phone else lambda _: None,
        }
        position = {name: index for index, name in enumerate(source.columns)}
        self.positions = [position.get(name, 0) for name in parsers]
        self.parsers = [(position.get(name, 0), parser) for name, parser in parsers.items()]
        # Dates and words repeat: each distinct text is parsed once (a million members: ~30,000 dates).
        # A member of a segment whose dues others pay: their own dues ended the month before the service first
        # saw that (rules/segments.py); the rules keep a month already known (member_rules.kept_own_dues).
        self.own_dues_until: dict[str | None, str | None] = {}
        for segment in set(SEGMENTS.values()):
            month = own_dues_until_on_import(segment, None, today)
            self.own_dues_until[segment] = month.isoformat() if month else None
        self.memos = [Memo(parsers[name]) for name in ("birth_date", "relationship", "segment", "class",
                                                       "paid_through")]

    def run(self) -> None:
        """Stage the file, decide every line in the database (heads first), write and report."""
        with Staging(self.sessions, *rules.TABLES) as staging:
            staging.load(rules.ROWS, self.staged_rows(), rules.LOADED)
            steps = tqdm(total=4, desc="members deciding", leave=False, disable=not self.source.progress)
            with staging.reading() as connection:
                rules.file_rules(connection)
            for heads in (True, False):
                with staging.reading() as connection:
                    rules.database_rules(connection, heads)
                    if heads:
                        rules.mark_demoted(connection)
                    inserted, updated, unchanged = rules.counts(connection, heads, self.with_phone)
                    ranges = list(line_ranges(connection, rules.ROWS))
                steps.update()
                for first, last in ranges:
                    with staging.writing() as connection:
                        rules.write(connection, heads, first, last, self.with_phone)
                self.report.inserted += inserted
                self.report.updated += updated
                self.report.unchanged += unchanged
                steps.update()
            steps.close()
            with staging.reading() as connection:
                self.report_rejected(connection)

    def staged_rows(self) -> Iterator[tuple[Any, ...]]:
        """The file's lines as staging rows (member_rules.LOADED); an unreadable line is rejected at once.

        A line whose every field is in its common form is taken apart here, straight, with no call per field
        but the phone's: this loop is most of an import's time. Any other line goes through `checked_row`."""
        reject = self.report.reject
        checked_row = self.checked_row
        with_phone = self.with_phone
        card_at, nik_at, name_at, born_at, family_at, relationship_at, segment_at, class_at, region_at, \
            paid_at, phone_at = self.positions
        born_of, relationship_of, segment_of, class_of, month_of = self.memos
        own_dues_until = self.own_dues_until
        headed: set[int] = set()  # families whose head line has been read: their first head row is the head
        for line, values, problem in self.source.records("reading"):
            if problem is not None:
                reject(line, f"the line {problem}")
                continue
            card, nik, family, region = values[card_at], values[nik_at], values[family_at], values[region_at]
            name = " ".join(values[name_at].split())
            row = (line, card, family, None, nik, name, born_of[values[born_at]],
                   relationship_of[values[relationship_at]], segment_of[values[segment_at]],
                   class_of[values[class_at]], values[phone_at] if with_phone else None, region,
                   month_of[values[paid_at]])
            digits = card + nik + family + region
            if not (len(card) == 13 and len(nik) == 16 and len(family) == 16 and len(region) == 4
                    and 0 < len(name) <= 120 and None not in row[6:10] and row[12] is not None
                    and digits.isdigit() and digits.isascii()):
                row = checked_row(line, values)
            elif row[10]:
                try:
                    row = (*row[:10], parse_phone(row[10]), *row[11:])
                except FieldError:
                    row = checked_row(line, values)
            else:
                row = (*row[:10], None, *row[11:])
            # Even a head line with other problems is its family's head line (and its members are told so).
            head_line = row[7] == "head" and row[2] is not None and (number := int(row[2])) not in headed
            if head_line:
                headed.add(number)
            yield (*row, own_dues_until.get(row[8]), head_line)

    def checked_row(self, line: int, values: list[str]) -> tuple[Any, ...]:
        """A line through every column's parser: its values, and all its problems at once."""
        parsed: list[Any] = []
        problems = None
        for index, parse in self.parsers:
            try:
                parsed.append(parse(values[index]))
            except FieldError as error:
                parsed.append(None)
                problems = f"{problems}; {error}" if problems else str(error)
        card, nik, name, born, family, relationship, segment, klass, region, paid_through, phone = parsed
        return (line, card, family, problems, nik, name, born, relationship, segment, klass, phone, region,
                paid_through)

    def report_rejected(self, connection: Connection) -> None:
        """Every rejected line with its reason (the report sorts them by line)."""
        rows = rules.ROWS.c
        head = rules.HEAD_LINES.c.line.label("head")
        found = connection.execute(
            select(rows.line, rows.reason, rows.detail, rows.card, rows.nik, rows.family, rows.problems, head)
            .select_from(rules.ROWS.outerjoin(rules.HEAD_LINES, rules.HEAD_LINES.c.family == rows.family))
            .where(rows.reason.is_not(None), rows.reason != "repeated"))
        for line, reason, detail, card, nik, family, problems, head_line in found:
            if reason == "problems":
                self.report.reject(line, problems)
                continue
            if reason == "headless" and head_line is not None:
                reason = "head_rejected"
            self.report.reject(line, MESSAGES[reason].format(detail=detail, card=card, nik=nik, family=family,
                                                             head=head_line))
        # Lines sharing a card: each names the others, its family's head line first, then in file order.
        repeated = connection.execute(
            select(rows.line, rows.card, rows.problems).where(rows.reason == "repeated")
            .order_by(rows.card, rows.head_line.desc(), rows.line))
        for card, group in groupby(repeated, key=lambda row: row.card):
            lines = list(group)
            for line, _, problems in lines:
                others = ", ".join(str(other.line) for other in lines if other.line != line)
                reason = f"card_number {card} is also on line {others}: a member must appear once"
                self.report.reject(line, f"{reason}; {problems}" if problems else reason)
