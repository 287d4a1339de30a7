"""CSV imports started from the dashboard: one row per upload, its progress and its line-level report.

The import itself runs in a background thread of the web process that received the file (ingest/ exactly
as the CLI runs it); this row is how every web worker, on any machine, shows its progress and its result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"


class ImportJob(Base):
    """One uploaded CSV file: what kind, how far the import has read it, and what it did line by line."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # members / payments / cadres / assignments
    filename: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default=WAITING)  # waiting / running / done / failed
    size: Mapped[int] = mapped_column(default=0)  # bytes
    done_bytes: Mapped[int] = mapped_column(default=0)  # read so far; the rest of the work is "saving"
    inserted: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    rejected_count: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(String(200), default="")  # the CLI's first line
    rejected: Mapped[list[Any]] = mapped_column(default=list)  # [[line, reason], ...], the first REJECTED_KEPT
    error: Mapped[str | None] = mapped_column(Text)  # the import itself failed (not a bad line)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
