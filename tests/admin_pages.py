"""Helpers for the dashboard's tests: accounts, signing in through the real form, and the page's form token."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from models.accounts import create_account

PASSWORD = "rahasia-panjang-1"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_account(db: Session, username: str = "siti", role: str = "admin", cadre_code: str | None = None) -> None:
    """An account with PASSWORD."""
    create_account(db, username, PASSWORD, datetime.now(UTC), role=role, cadre_code=cadre_code)
    db.commit()


def form_token(client: Any, path: str = "/admin/masuk") -> str:
    """The form token a page carries (every form of the dashboard has one)."""
    page = client.get(path)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no form token on {path}"
    return found.group(1)


def sign_in(client: Any, username: str = "siti", password: str = PASSWORD) -> Any:
    """Sign in through the form, as a person would; returns the response to the POST."""
    return client.post("/admin/masuk", data={"username": username, "password": password,
                                             "csrf_token": form_token(client)})
