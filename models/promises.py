"""Promises to pay (JANJI): a family that promised to pay by a date is not reminded until that date passes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.fieldwork import Promise


def promised_until(session: Session, family_id: int, on: date) -> date | None:
    """The latest promise date still ahead of (or on) `on`; None when reminders may go out."""
    return session.execute(
        select(Promise.promised_on).where(Promise.family_id == family_id, Promise.promised_on >= on)
        .order_by(Promise.promised_on.desc()).limit(1)
    ).scalar()
