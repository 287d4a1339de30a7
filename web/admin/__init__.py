"""The branch dashboard at /admin: one blueprint, its pages in the modules listed here (docs/interface.md).

core.py holds what every page shares (who is signed in, roles, CSRF, idle expiry, the audit log); nav.py
the menu; texts.py the words in Indonesian and English. A page module adds its routes to `core.blueprint`
with `@require_role(...)`, renders a template extending `admin/base.html` with `active=<its nav key>`, puts
`<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">` in every form, reads with `db()`, writes
in `runtime().sessions.begin()`, calls `audit(...)` for personal data, and is listed in PAGES; pending.py
answers for menu entries whose module is not written yet.
"""

from __future__ import annotations

from flask import Flask

from web.admin import auth, cadres, families, overview, pending
from web.admin.accounts import create_first_admin, first_accounts
from web.admin.core import blueprint

PAGES = (auth, overview, cadres, families, pending)  # imported for their routes; the list says which pages exist

__all__ = ["PAGES", "blueprint", "create_first_admin", "first_accounts", "register"]


def register(app: Flask) -> None:
    """Mount the dashboard on the app."""
    app.register_blueprint(blueprint)
