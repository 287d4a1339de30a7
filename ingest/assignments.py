"""The assignments file: one cadre per family, decided and written in SQL over the file's staged lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Column as C
from sqlalchemy import Connection, Integer, String, Table, and_, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from ingest.fields import parse_cadre_code, parse_digits
from ingest.source import CsvSource, ImportReport, checked_lines
from ingest.staging import Staging, line_ranges, temporary
from models.people import Assignment, Cadre, Family

ROWS = temporary(
    "assignment_rows",
    C("line", Integer, primary_key=True, autoincrement=False),
    C("cadre", String(20), nullable=False),
    C("family", String(16), nullable=False),
    C("first_line", Integer),  # the family's first line in the file, when it gives the family another cadre
    C("unknown", Integer),  # 1: the cadre is not in the database, 2: the family is not, 3: neither
)
ASSIGNMENTS = cast(Table, Assignment.__table__)
S, A = ROWS.c, ASSIGNMENTS.c
CADRES, FAMILIES = cast(Table, Cadre.__table__).c, cast(Table, Family.__table__).c


def import_assignments(sessions: sessionmaker[Session], source: CsvSource, report: ImportReport) -> None:
    """One cadre per family: assigning a family to another cadre moves it (updated). The cadre and the family
    must be in the database; a family given to two cadres in one file is rejected on the later line."""
    parsers: dict[str, Callable[[str], Any]] = {
        "cadre_code": parse_cadre_code,
        "family_number": lambda v: parse_digits(v, "family_number", 16),
    }
    with Staging(sessions, ROWS) as staging:
        staging.load(ROWS, ((row.line, values["cadre_code"], values["family_number"])
                            for row, values in checked_lines(source, parsers, report)), ["line", "cadre", "family"])
        with staging.reading() as connection:
            decide(connection, report)
            ranges = list(line_ranges(connection, ROWS))
        for first, last in ranges:
            with staging.writing() as connection:
                write(connection, first, last)


def decide(connection: Connection, report: ImportReport) -> None:
    """Reject what cannot be written, and count what will be."""
    first = ROWS.alias("first")
    repeated = (select(S.family, func.min(S.line).label("line")).group_by(S.family).having(func.count() > 1)
                .subquery("repeated"))
    connection.execute(update(ROWS).where(repeated.c.family == S.family, first.c.line == repeated.c.line,
                                          first.c.cadre != S.cadre).values(first_line=first.c.line))
    cadre_known = select(CADRES.id).where(CADRES.code == S.cadre).exists()
    family_known = select(FAMILIES.id).where(FAMILIES.number == S.family).exists()
    connection.execute(update(ROWS).where(S.first_line.is_(None), ~(cadre_known & family_known)).values(
        unknown=case((cadre_known, 2), (family_known, 1), else_=3)))

    rejected = (select(S.line, S.cadre, S.family, S.first_line, S.unknown, first.c.cadre.label("first_cadre"))
                .outerjoin(first, first.c.line == S.first_line)
                .where((S.first_line.is_not(None)) | (S.unknown.is_not(None))))
    for line, cadre, family, first_line, unknown, first_cadre in connection.execute(rejected):
        if first_line is not None:
            report.reject(line, f"family {family} is given to {first_cadre} on line {first_line}: a family has one "
                                "cadre")
            continue
        problems = []
        if unknown & 1:
            problems.append(f"cadre_code {cadre} is not in the database (import the cadres first)")
        if unknown & 2:
            problems.append(f"family_number {family} is not in the database (import the members first)")
        report.reject(line, "; ".join(problems))

    # A family's first good line decides (its later lines, with the same cadre, change nothing more).
    good = and_(S.first_line.is_(None), S.unknown.is_(None))
    firsts = (select(S.family, func.min(S.line).label("line")).where(good).group_by(S.family).subquery())
    decided = (select(CADRES.id.label("cadre_id"), A.cadre_id.label("current"))
               .select_from(firsts.join(ROWS, S.line == firsts.c.line)
                            .join(cast(Table, Cadre.__table__), CADRES.code == S.cadre)
                            .join(cast(Table, Family.__table__), FAMILIES.number == S.family)
                            .outerjoin(ASSIGNMENTS, A.family_id == FAMILIES.id)).subquery())
    inserted, updated = connection.execute(select(
        func.coalesce(func.sum(case((decided.c.current.is_(None), 1), else_=0)), 0),
        func.coalesce(func.sum(case((decided.c.current != decided.c.cadre_id, 1), else_=0)), 0))).one()
    total = connection.execute(select(func.count()).where(good)).scalar_one()
    report.inserted += inserted
    report.updated += updated
    report.unchanged += total - inserted - updated


def write(connection: Connection, first: int, last: int) -> None:
    """Assign the families of lines first..last that passed: a new row, or the cadre changed."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    lines = (select(FAMILIES.id, CADRES.id)
             .join(cast(Table, Cadre.__table__), CADRES.code == S.cadre)
             .join(cast(Table, Family.__table__), FAMILIES.number == S.family)
             .where(S.first_line.is_(None), S.unknown.is_(None), S.line.between(first, last)).distinct())
    upsert = dialect.insert(ASSIGNMENTS).from_select(["family_id", "cadre_id"], lines)
    connection.execute(upsert.on_conflict_do_update(
        index_elements=["family_id"], set_={"cadre_id": upsert.excluded.cadre_id},
        where=A.cadre_id != upsert.excluded.cadre_id))
