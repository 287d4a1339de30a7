"""Branch CSV files for the import tests, and running an import as the CLI does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from ingest import import_file
from models import Member

MEMBER_HEADER = "card_number,nik,name,birth_date,family_number,relationship,segment,class,phone,region_code,paid_through"
TODAY = date(2025, 6, 2)  # conftest's DEFAULT_NOW

# Two families in Kota Surakarta (3372) and one in Kota Samarinda (6472). Women's NIKs carry day + 40.
SURAKARTA_FAMILY = [
    "0001234567801,3372011405800001,Budi Santoso,1980-05-14,3372010101100001,head,PBPU,3,081234567801,3372,2024-08",
    "0001234567802,3372014209830002,Siti Aminah,1983-09-02,3372010101100001,spouse,PBPU,3,,3372,2024-08",
    "0001234567803,3372016001100003,Dewi Lestari,2010-01-20,3372010101100001,child,PBPU,3,,3372,2024-08",
]
SAMARINDA_FAMILY = [
    "0001234567811,6472033011750001,Andi Wijaya,1975-11-30,6472030202150002,head,BP,2,+62 813-5000-1111,6472,2025-05",
]


def write(tmp_path: Path, text: str, name: str = "file.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def members_csv(tmp_path: Path, *rows: str, name: str = "members.csv") -> Path:
    return write(tmp_path, "\n".join([MEMBER_HEADER, *rows]) + "\n", name)


def run(runtime, kind: str, path: Path):  # type: ignore[no-untyped-def]
    return import_file(runtime.sessions, kind, path, today=TODAY, rules=runtime.services.rules)


def member(db, card_number: str) -> Member:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.execute(select(Member).where(Member.card_number == card_number)).scalar_one()


def counts(report) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    return report.inserted, report.updated, report.unchanged, len(report.rejected)
