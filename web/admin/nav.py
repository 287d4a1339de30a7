"""The dashboard's menu: every page, its path, and the roles that see it (viewers see figures only)."""

from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = ("admin", "supervisor", "viewer")
STAFF = ("admin", "supervisor")


@dataclass(frozen=True)
class Page:
    """One entry of the menu."""

    key: str  # the text key is nav.<key>
    path: str  # under /admin
    roles: tuple[str, ...]


NAV = (
    Page("overview", "/admin/", ALL_ROLES),
    Page("cadres", "/admin/kader", STAFF),
    Page("families", "/admin/keluarga", STAFF),
    Page("rehab", "/admin/rehab", STAFF),
    Page("tickets", "/admin/tiket", STAFF),
    Page("broadcasts", "/admin/siaran", ("admin",)),
    Page("imports", "/admin/impor", ("admin",)),
    Page("accounts", "/admin/akun", ("admin",)),
)


def pages_for(role: str) -> list[Page]:
    """The menu an account of `role` sees."""
    return [page for page in NAV if role in page.roles]
