"""What every dashboard page shares: the blueprint, who is signed in, roles, CSRF, idle expiry, the audit log.

The signed-in account lives in Flask's signed session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS:
web/edge.py) as its id and the time of its last request; 30 idle minutes end it. Every form carries a token
kept in the same session and compared in constant time before any POST is read further (a request another
site starts has the cookie withheld by SameSite=Strict, and could not know the token anyway).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from models import AdminUser, AuditEntry
from models.accounts import team_cadre_ids
from models.figures import BRANCH_ZONE
from rules.display import format_rupiah
from rules.identifiers import mask_identifier
from web import runtime
from web.admin.nav import pages_for
from web.admin.texts import LANGUAGES, translate

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

IDLE_TIMEOUT = timedelta(minutes=30)
ACCOUNT_KEY, SEEN_KEY, CSRF_KEY, LANGUAGE_KEY = "admin_account", "admin_seen", "admin_csrf", "admin_language"
EXPIRED_KEY = "admin_expired"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])


def wall_clock() -> datetime:
    """Sign-in locks and idle sessions run on the real clock, even when KADERBOT_NOW freezes the service's."""
    return datetime.now(UTC)


def db() -> Session:
    """This request's read-only session (closed when the request ends); writes use `runtime().sessions`."""
    if "admin_db" not in g:
        g.admin_db = runtime().reading()
    return cast(Session, g.admin_db)


@blueprint.teardown_request
def close_db(_error: BaseException | None) -> None:
    """Close the request's session, if it opened one."""
    reader = g.pop("admin_db", None)
    if reader is not None:
        reader.close()


def current_account() -> AdminUser | None:
    """The signed-in account of this request, or None."""
    return cast(AdminUser | None, g.get("admin_account"))


def signed_in(account: AdminUser) -> None:
    """Start the account's session: a fresh CSRF token too, so a token seen before signing in is worthless."""
    for key in (ACCOUNT_KEY, SEEN_KEY, CSRF_KEY):
        session.pop(key, None)
    session[ACCOUNT_KEY] = account.id
    session[SEEN_KEY] = wall_clock().timestamp()
    session[CSRF_KEY] = secrets.token_urlsafe(32)


def signed_out() -> None:
    """End the dashboard's session (the web chat's part of the cookie is left alone)."""
    for key in (ACCOUNT_KEY, SEEN_KEY, CSRF_KEY):
        session.pop(key, None)


def csrf_token() -> str:
    """The session's form token, made on first use (the sign-in form needs one before anyone signs in)."""
    token = session.get(CSRF_KEY)
    if not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return str(token)


@blueprint.before_request
def check_request() -> ResponseReturnValue | None:
    """Language switch, CSRF on every unsafe method, idle expiry, and the account of this request."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session[LANGUAGE_KEY] = chosen
    if request.method in UNSAFE_METHODS:
        sent = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token") or ""
        expected = session.get(CSRF_KEY) or ""
        if not expected or not hmac.compare_digest(str(sent), str(expected)):
            abort(400, "CSRF")
    account_id = session.get(ACCOUNT_KEY)
    if account_id is None:
        return None
    seen = float(session.get(SEEN_KEY) or 0)
    now = wall_clock().timestamp()
    if now - seen > IDLE_TIMEOUT.total_seconds():
        signed_out()
        session[EXPIRED_KEY] = True  # the sign-in page says why
        return None
    account = db().get(AdminUser, account_id)
    if account is None or not account.active:
        signed_out()
        return None
    session[SEEN_KEY] = now
    g.admin_account = account
    return None


def require_role(*roles: str) -> Callable[[View], View]:
    """Only signed-in accounts with one of `roles` (none given: any role); others go to sign in, or get 403."""
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            account = current_account()
            if account is None:
                return redirect(url_for("admin.sign_in", next=request.full_path.rstrip("?")))
            if roles and account.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return cast(View, guarded)
    return decorate


def visible_cadre_ids() -> list[int] | None:
    """The cadres the signed-in account may see: None for all (admin), a supervisor's team, [] for viewers."""
    account = current_account()
    if account is None:
        return []
    if "admin_team" not in g:
        g.admin_team = team_cadre_ids(db(), account)
    return cast(list[int] | None, g.admin_team)


def figure_scope() -> list[int] | None:
    """Whose figures the overview adds up: the branch (admins, viewers: figures carry no names) or a
    supervisor's team."""
    account = current_account()
    if account is not None and account.role == "supervisor":
        return visible_cadre_ids()
    return None


def audit(who: AdminUser, what: str, family_id: int | None = None, detail: str = "") -> None:
    """One line in the audit log (UU PDP): which account saw or changed what, about which family, and when."""
    with runtime().sessions.begin() as writer:
        writer.add(AuditEntry(at=wall_clock(), actor=f"admin:{who.username}", action=what, family_id=family_id,
                              detail=detail[:500]))


def language() -> str:
    """The dashboard's language for this visitor: Indonesian unless they switched to English."""
    chosen = session.get(LANGUAGE_KEY)
    return chosen if chosen in LANGUAGES else "id"


def t(key: str, **values: object) -> str:
    """A dashboard text in the visitor's language."""
    return translate(key, language(), **values)


def shown_identifier(value: str | None, whole: bool = False) -> str:
    """Card numbers, NIKs and KK numbers are masked everywhere; `whole` only on a family's own page to admins."""
    if not value:
        return ""
    account = current_account()
    if whole and account is not None and account.role == "admin":
        return value
    return mask_identifier(value)


@blueprint.app_template_global("admin_t")
def template_text(key: str, **values: object) -> str:
    """`admin_t('key')` in templates."""
    return t(key, **values)


@blueprint.app_context_processor
def template_values() -> dict[str, Any]:
    """What every dashboard template may use."""
    account = current_account()
    return {"csrf_token": csrf_token, "account": account, "language": language(),
            "nav_pages": pages_for(account.role) if account else [], "rupiah": format_rupiah,
            "masked": shown_identifier, "zone": BRANCH_ZONE}


@blueprint.errorhandler(400)
@blueprint.errorhandler(403)
@blueprint.errorhandler(404)
def refused(error: HTTPException) -> ResponseReturnValue:
    """Refusals in the dashboard's frame and language (a missing form token is a 400)."""
    message = {403: t("forbidden"), 404: t("not_found")}.get(error.code or 0, error.description or "")
    return render_template("admin/error.html", code=error.code, message=message), error.code or 400
