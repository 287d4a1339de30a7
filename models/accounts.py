"""Dashboard accounts: creating them, and signing in with werkzeug's scrypt hashes and a lockout.

Five wrong passwords in a row lock the account for 15 minutes; the count is kept on the account's row and
changed under that row's lock, so parallel guesses on several workers cannot pass the limit. An unknown
username costs the same hash as a known one, so timing does not tell which usernames exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from models.fieldwork import AdminUser
from models.people import Cadre

ROLES = ("admin", "supervisor", "viewer")
MAX_FAILED_SIGN_INS = 5
LOCK_DURATION = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
HASH_METHOD = "scrypt"  # werkzeug's default; named so that a change of default cannot weaken it silently
# Checked against when the username is unknown, so both cases take one scrypt.
_DUMMY_HASH = generate_password_hash("not a password of anyone", method=HASH_METHOD)


class AccountError(ValueError):
    """An account that cannot be created as asked (the message says why, for the operator)."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: the account when it succeeded, else why not."""

    account: AdminUser | None
    locked_until: datetime | None = None  # set when the account is (now) locked


def hash_password(password: str) -> str:
    """A salted scrypt hash (werkzeug)."""
    return generate_password_hash(password, method=HASH_METHOD)


def create_account(session: Session, username: str, password: str, now: datetime, role: str = "admin",
                   cadre_code: str | None = None) -> AdminUser:
    """A new account; a supervisor names the cadre whose team they see (`cadre_code`)."""
    username = username.strip().lower()
    if not username or len(username) > 60 or not all(ch.isalnum() or ch in "._-" for ch in username):
        raise AccountError("a username is 1-60 letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(AdminUser.id).where(AdminUser.username == username)) is not None:
        raise AccountError(f"the username {username!r} is taken")
    cadre_id = None
    if role == "supervisor":
        if not cadre_code:
            raise AccountError("a supervisor account names its cadre code (the team's supervisor)")
        cadre_id = session.scalar(select(Cadre.id).where(Cadre.code == cadre_code.strip().upper()))
        if cadre_id is None:
            raise AccountError(f"no cadre {cadre_code!r}")
    account = AdminUser(username=username, password_hash=hash_password(password), created_at=now, role=role,
                        cadre_id=cadre_id, failed_sign_ins=0)
    session.add(account)
    session.flush()
    return account


def has_accounts(session: Session) -> bool:
    """Whether any dashboard account exists (the first one is created from ADMIN_USERNAME/ADMIN_PASSWORD)."""
    return bool(session.scalar(select(func.count(AdminUser.id))))


def sign_in(session: Session, username: str, password: str, now: datetime) -> SignIn:
    """Check a password under the account's row lock; count failures, lock at the fifth, reset on success."""
    account = session.scalar(select(AdminUser).where(AdminUser.username == username.strip().lower())
                             .with_for_update())
    if account is None or not account.active:
        check_password_hash(_DUMMY_HASH, password)
        return SignIn(None)
    if account.locked_until is not None and account.locked_until > now:
        check_password_hash(_DUMMY_HASH, password)
        return SignIn(None, account.locked_until)
    if not check_password_hash(account.password_hash, password):
        account.failed_sign_ins += 1
        if account.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            account.failed_sign_ins = 0
            account.locked_until = now + LOCK_DURATION
            return SignIn(None, account.locked_until)
        return SignIn(None)
    account.failed_sign_ins = 0
    account.locked_until = None
    account.last_sign_in_at = now
    return SignIn(account)


def set_password(session: Session, account: AdminUser, password: str) -> None:
    """A new password (at least MIN_PASSWORD_LENGTH characters); unlocks the account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    account.password_hash = hash_password(password)
    account.failed_sign_ins = 0
    account.locked_until = None


def team_cadre_ids(session: Session, account: AdminUser) -> list[int] | None:
    """The cadres an account may see by name: None for all (admin), the supervisor's team, or none (viewer).

    A supervisor's team is the cadres whose supervisor is the account's cadre, and that cadre.
    """
    if account.role == "admin":
        return None
    if account.role != "supervisor" or account.cadre_id is None:
        return []
    ids = session.scalars(select(Cadre.id).where(Cadre.supervisor_id == account.cadre_id)).all()
    return [account.cadre_id, *ids]
