"""The first dashboard accounts: from ADMIN_USERNAME/ADMIN_PASSWORD at start-up, or the demo branch's own.

Both happen only while no account exists, so a restart (or a second worker) never adds or changes one.
"""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError

from bot.runtime import Runtime
from bot.settings import generated_secret
from models.accounts import create_account, has_accounts
from web.admin.core import wall_clock

DEMO_SUPERVISOR_CADRE = "KDR-SKA-00"  # Endang Lestari: supervises KDR-SKA-01 and -02 in the demo branch
DEMO_PASSWORD_FILE = "admin_password"


def create_first_admin(rt: Runtime) -> str | None:
    """ADMIN_USERNAME/ADMIN_PASSWORD create the first admin when there is no account; what was done, or None."""
    settings = rt.settings
    if not (settings.admin_username and settings.admin_password):
        return None
    try:
        with rt.sessions.begin() as session:
            if has_accounts(session):
                return None
            create_account(session, settings.admin_username, settings.admin_password, wall_clock())
    except IntegrityError:  # another worker created it at the same moment
        return None
    return f"Dashboard: created the admin account {settings.admin_username!r} (ADMIN_USERNAME)"


def first_accounts(rt: Runtime, demo: bool) -> list[str]:
    """At start-up: the admin from ADMIN_USERNAME/ADMIN_PASSWORD, else on the demo branch the demo accounts;
    the lines to print (the demo's sign-in, each time `make run` starts)."""
    lines = [line for line in (create_first_admin(rt),) if line]
    if demo:
        created = create_demo_accounts(rt)
        if created:
            lines.append(created)
        elif (rt.settings.instance_path / DEMO_PASSWORD_FILE).exists():
            lines.append(demo_accounts_notice(rt))
    return lines


def create_demo_accounts(rt: Runtime) -> str | None:
    """The demo branch's accounts when there is none: admin, a supervisor (Endang's team) and a viewer.

    They share one password, generated once into instance/admin_password (mode 0600) and printed by
    `make run`, so no password is written in the repository.
    """
    with rt.sessions.begin() as session:
        if has_accounts(session):
            return None
        password = generated_secret(rt.settings.instance_path / DEMO_PASSWORD_FILE,
                                    lambda: secrets.token_urlsafe(9))
        now = wall_clock()
        create_account(session, "admin", password, now, role="admin")
        create_account(session, "endang", password, now, role="supervisor", cadre_code=DEMO_SUPERVISOR_CADRE)
        create_account(session, "tamu", password, now, role="viewer")
    return demo_accounts_notice(rt)


def demo_accounts_notice(rt: Runtime) -> str:
    """What `make run` prints about the demo accounts."""
    path = rt.settings.instance_path / DEMO_PASSWORD_FILE
    password = path.read_text().strip() if path.exists() else "?"
    return (f"Dashboard: http://{rt.settings.host}:{rt.settings.port}/admin  user admin (or endang: supervisor, "
            f"tamu: viewer), password {password}  (kept in {path})")
