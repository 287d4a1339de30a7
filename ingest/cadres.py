"""The cadres file: cadres, then their supervisors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.fields import parse_cadre_code, parse_name, parse_phone, parse_region, parse_telegram_username
from ingest.source import CsvRow, CsvSource, ImportReport, among, batches, checked_lines
from models.people import Cadre


def import_cadres(sessions: sessionmaker[Session], source: CsvSource, report: ImportReport) -> None:
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

    for row, values in checked_lines(source, parsers, report, repeated):
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
    for batch in batches(supervised):
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
                    count(report, is_new, changed)

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
            count(report, is_new, changed)


def count(report: ImportReport, inserted: bool, changed: bool) -> None:
    """Count one cadre as inserted, updated or unchanged."""
    if inserted:
        report.inserted += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1
