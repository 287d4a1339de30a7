"""Reading a branch's CSV file: the header checked once, rows streamed, bad lines reported by number."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from tqdm import tqdm

from ingest.fields import FieldError

# Measured with bench/import_members.py: batches of a few thousand rows keep the queries' IN lists well
# inside SQLite's and PostgreSQL's parameter limits, and larger batches gained nothing.
BATCH_SIZE = 5000

Progress = Callable[[int, int], None]  # (bytes read, file size): the dashboard's progress bar

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
        """Reject a line, with the reason the supervisor reads."""
        self.rejected.append((line, reason))

    def summary(self) -> str:
        """One line of counts, as the import command prints it."""
        return (f"{self.kind}: {self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected")



# ------------------------------------------------------------------------------------------------- reading


class HeaderError(ValueError):
    """The file cannot be read at all (empty, not UTF-8, columns missing): reported on line 1."""


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row of a CSV file, or the reason it cannot be read."""

    line: int  # as a spreadsheet numbers it: the header is 1
    values: dict[str, str]  # column -> stripped text
    problem: str | None = None  # the row cannot be read (column count, encoding, an unclosed quote)


class CsvSource:
    """A CSV file that can be read several times, one row at a time: header checked once, separator sniffed."""

    def __init__(self, path: Path, kind: str, progress: bool, on_progress: Progress | None = None) -> None:
        self.path = path
        self.kind = kind
        self.progress = progress
        self.on_progress = on_progress
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
        """Whether the header names the column."""
        return column in self.columns

    def records(self, label: str = "") -> Iterator[tuple[int, list[str], str | None]]:
        """Every non-blank data row in file order as (line, stripped values, problem): a list, not a dict, and
        no Python generator between the file and the csv module, because a million rows pass through here."""
        width = len(self.columns)
        bar = (tqdm(total=self.size, unit="B", unit_scale=True, desc=f"{self.kind} {label}".strip(), leave=False)
               if self.progress else None)
        # newline="\n": records end only at a line feed, as when the file was read line by line in binary;
        # surrogateescape: a byte that is not UTF-8 shows up as a lone surrogate, rejected below, not fatal.
        with self.path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape",
                                                           newline="\n") as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            next(reader)  # the header, checked in __init__
            line = 1
            read_to = reader.line_num
            while True:
                line += 1
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    read_to = reader.line_num
                    yield line, [], f"cannot be read as CSV ({error})"
                    continue
                consumed, read_to = reader.line_num - read_to, reader.line_num
                if line % 4096 == 0:
                    if bar is not None:
                        bar.update(raw.tell() - bar.n)
                    if self.on_progress is not None:
                        self.on_progress(raw.tell(), self.size)
                joined = "".join(values)
                if not joined or joined.isspace():
                    continue  # blank lines and rows of bare separators, as spreadsheets leave at the end
                problem = None
                if not joined.isascii() and not is_utf8(joined):
                    problem = "is not UTF-8 text (save the file as 'CSV UTF-8')"
                elif consumed > 1:
                    problem = 'has a quote (") that is not closed, so it runs into the lines below'
                elif len(values) < width:
                    problem = f"has {len(values)} values but the header has {width} columns (is a separator missing?)"
                elif len(values) > width and any(value.strip() for value in values[width:]):
                    problem = (f"has {len(values)} values but the header has {width} columns (does a value contain "
                               f"'{self.delimiter}'? put it in double quotes)")
                yield line, list(map(str.strip, values)), problem
        if bar is not None:
            bar.close()
        if self.on_progress is not None:
            self.on_progress(self.size, self.size)

    def rows(self, label: str = "") -> Iterator[CsvRow]:
        """Every non-blank data row, in file order; unreadable ones carry a `problem` instead of failing."""
        columns = self.columns
        for line, values, problem in self.records(label):
            yield CsvRow(line, dict(zip(columns, values, strict=False)), problem)


def is_utf8(text: str) -> bool:
    """False when the text holds bytes that were not UTF-8 (read with errors="surrogateescape")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ------------------------------------------------------------------------------------------------- fields


def checked(row: CsvRow, parsers: dict[str, Callable[[str], Any]]) -> tuple[dict[str, Any], list[str]]:
    """Every column through its parser; all problems of the line at once, so one fix round is enough."""
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    for column, parser in parsers.items():
        try:
            parsed[column] = parser(row.values.get(column, ""))
        except FieldError as problem:
            problems.append(str(problem))
    return parsed, problems


def checked_lines(
    source: CsvSource, parsers: dict[str, Callable[[str], Any]], report: ImportReport,
    more_problems: Callable[[CsvRow, dict[str, Any]], list[str]] | None = None,
) -> Iterator[tuple[CsvRow, dict[str, Any]]]:
    """The lines that read and parse (and pass `more_problems`); every other line is rejected with all its
    reasons at once."""
    for row in source.rows():
        if row.problem:
            report.reject(row.line, f"the line {row.problem}")
            continue
        values, problems = checked(row, parsers)
        if more_problems is not None:
            problems += more_problems(row, values)
        if problems:
            report.reject(row.line, "; ".join(problems))
            continue
        yield row, values


def as_number(value: str, length: int) -> int | None:
    """An identifier as an int when it is `length` ASCII digits (spaces ignored), for compact bookkeeping."""
    digits = value.replace(" ", "")
    return int(digits) if len(digits) == length and digits.isdigit() and digits.isascii() else None


def among(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL as `= ANY(array)`: one parameter instead of thousands halves the
    time of a batch's lookups (measured: 5,000 card numbers, 108 ms -> 54 ms)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))  # type: ignore[no-any-return]
    return column.in_(list(values))  # type: ignore[no-any-return]


def batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """Lists of at most BATCH_SIZE items."""
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
