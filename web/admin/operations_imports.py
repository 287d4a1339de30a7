"""Imports from the dashboard: the uploaded CSV saved, then imported by ingest/ exactly as
`flask --app app import` does, in a background thread so that a large file never holds a web worker.

The job's row (models/imports.py) carries its progress (bytes read, written at most twice a second) and,
at the end, the CLI's report: the same summary line and the same rejected lines with their numbers. Any
worker can answer the page's polling from the row. The file is deleted once imported: it holds personal
data, and the database now holds what was good in it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest import import_file
from ingest.source import KINDS
from models import AuditEntry, ImportJob
from models.imports import DONE, FAILED, RUNNING
from rules.programme import ProgrammeRules

log = logging.getLogger(__name__)
REJECTED_KEPT = 5000  # rejected lines kept on the job's row for the page; the count has them all
PROGRESS_EVERY = 0.5  # seconds between progress writes
CHUNK = 1 << 20


class UploadError(ValueError):
    """An upload that cannot be imported at all (unknown kind, no file)."""


@dataclass(frozen=True)
class Started:
    """An import under way: its job's id, and the thread running it (tests wait for it)."""

    job_id: int
    thread: threading.Thread


def start_import(sessions: sessionmaker[Session], folder: Path, kind: str, filename: str, upload: IO[bytes], *,
                 actor: str, now: datetime, today: date, rules: ProgrammeRules,
                 clock: Callable[[], datetime]) -> Started:
    """Save the upload, record the job, and start importing it in a background thread."""
    if kind not in KINDS:
        raise UploadError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    with sessions.begin() as session:
        job = ImportJob(kind=kind, filename=(Path(filename).name or "upload.csv")[:200], created_by=actor[:80],
                        created_at=now, rejected=[])
        session.add(job)
        session.flush()
        job_id = job.id
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"import-{job_id}.csv"
    size = 0
    with path.open("wb") as saved:
        while chunk := upload.read(CHUNK):
            saved.write(chunk)
            size += len(chunk)
    with sessions.begin() as session:
        session.execute(update(ImportJob).where(ImportJob.id == job_id).values(size=size))
    thread = threading.Thread(target=run_import, args=(sessions, job_id, kind, path, today, rules, clock),
                              name=f"import-{job_id}", daemon=True)
    thread.start()
    return Started(job_id, thread)


def run_import(sessions: sessionmaker[Session], job_id: int, kind: str, path: Path, today: date,
               rules: ProgrammeRules, clock: Callable[[], datetime]) -> None:
    """The background thread: import the file, writing progress and then the report to the job's row."""
    with sessions.begin() as session:
        session.execute(update(ImportJob).where(ImportJob.id == job_id).values(status=RUNNING))
    last_write = 0.0

    def progress(done: int, size: int) -> None:
        nonlocal last_write
        if time.monotonic() - last_write < PROGRESS_EVERY and done < size:
            return
        last_write = time.monotonic()
        with sessions.begin() as session:
            session.execute(update(ImportJob).where(ImportJob.id == job_id).values(done_bytes=done))

    try:
        report = import_file(sessions, kind, path, today=today, rules=rules, on_progress=progress)
    except Exception as error:  # the database or the disk, not a bad line: say so on the page
        log.exception("import %s failed", job_id)
        with sessions.begin() as session:
            session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
                status=FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=clock()))
    else:
        with sessions.begin() as session:
            job = session.get_one(ImportJob, job_id)
            job.status, job.finished_at, job.done_bytes = DONE, clock(), job.size
            job.inserted, job.updated, job.unchanged = report.inserted, report.updated, report.unchanged
            job.rejected_count, job.summary = len(report.rejected), report.summary()
            job.rejected = [[line, reason] for line, reason in report.rejected[:REJECTED_KEPT]]
            session.add(AuditEntry(at=clock(), actor=job.created_by, action=f"import_{kind}",
                                   detail=f"{job.filename}: {job.summary}"))
    finally:
        path.unlink(missing_ok=True)


def job_state(job: ImportJob) -> dict[str, object]:
    """What the page polls: status, percent read, and the report once done."""
    percent = 100 if job.status == DONE else (int(100 * job.done_bytes / job.size) if job.size else 0)
    saving = job.status == RUNNING and job.size > 0 and job.done_bytes >= job.size  # read; deciding, writing
    return {"id": job.id, "kind": job.kind, "filename": job.filename, "status": job.status, "percent": percent,
            "phase": "saving" if saving else job.status,
            "summary": job.summary, "rejected_count": job.rejected_count, "rejected": job.rejected,
            "error": job.error}


def report_text(job: ImportJob) -> str:
    """The report as the CLI prints it: the summary, then every rejected line kept with its number."""
    lines = [job.summary] + [f"  line {line}: {reason}" for line, reason in job.rejected]
    if job.rejected_count > len(job.rejected):
        lines.append(f"  ... and {job.rejected_count - len(job.rejected)} more rejected lines")
    return "\n".join(lines) + "\n"


def recent_jobs(session: Session, limit: int = 20) -> list[ImportJob]:
    """The latest imports, newest first."""
    return list(session.scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)))
