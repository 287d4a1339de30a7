"""Load the branch's CSV files (members, payments, cadres, assignments) into the database.

Format: docs/interface.md, "CSV files". A file is read once, its lines parsed into a TEMP table (staging.py),
and decisions that need the whole file (a family's head, a card or reference on two lines) are made there
with set-based SQL, then written in chunks, one transaction each: a million members import in bounded memory.
A bad line is reported with its number as a spreadsheet shows it (the header is line 1) and a reason a branch
supervisor can act on; the good lines are imported anyway. Importing the same file again changes nothing.

source: reading a CSV file; fields: one parser per column kind; staging: the TEMP tables; members and
member_rules, payments, cadres, assignments: one module per file kind; demo and demo_names: the demo branch.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ingest.assignments import import_assignments
from ingest.cadres import import_cadres
from ingest.members import MemberImport
from ingest.payments import import_payments
from ingest.source import KINDS, CsvSource, HeaderError, ImportReport, Progress
from rules.programme import DEFAULT_RULES, ProgrammeRules


def import_file(
    sessions: sessionmaker[Session],
    kind: str,
    path: str | Path,
    *,
    today: date,
    progress: bool = False,
    rules: ProgrammeRules | None = None,
    on_progress: Progress | None = None,
) -> ImportReport:
    """Import one CSV file of `kind` (members, payments, cadres or assignments); never raises for bad data.

    `today` bounds dates (nobody is born tomorrow); `progress` draws a tqdm bar per pass on stderr;
    `rules` are the programme rules payments are applied with (the defaults when None); `on_progress` is
    called with (bytes read, file size) as the file is read (the dashboard's progress bar).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    report = ImportReport(kind)
    try:
        source = CsvSource(Path(path), kind, progress, on_progress)
    except HeaderError as problem:
        report.reject(1, str(problem))
        return report
    if kind == "members":
        MemberImport(sessions, source, report, today).run()
    elif kind == "payments":
        import_payments(sessions, source, report, today, rules or DEFAULT_RULES)
    elif kind == "cadres":
        import_cadres(sessions, source, report)
    else:
        import_assignments(sessions, source, report)
    report.rejected.sort()
    return report


