"""Signing in and out, and the admins' page of accounts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from models import AdminUser, Cadre
from models.accounts import ROLES, AccountError, create_account, set_password, sign_in
from web import runtime
from web.admin.core import (
    EXPIRED_KEY,
    audit,
    blueprint,
    current_account,
    require_role,
    signed_in,
    signed_out,
    t,
    wall_clock,
)

BRANCH_ZONE = ZoneInfo("Asia/Jakarta")  # what a locked-until time is shown in


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of the dashboard itself, never another host."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.overview")


@blueprint.route("/masuk", methods=["GET", "POST"], endpoint="sign_in")
def sign_in_page() -> ResponseReturnValue:
    """The sign-in form; five wrong passwords in a row lock the account for 15 minutes."""
    if current_account() is not None and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    error = t("sign_in.expired") if session.pop(EXPIRED_KEY, False) else None
    status = 200
    if request.method == "POST":
        username = request.form.get("username", "")[:60]
        password = request.form.get("password", "")[:200]
        with runtime().sessions.begin() as writer:
            outcome = sign_in(writer, username, password, wall_clock())
            if outcome.account is not None:
                signed_in(outcome.account)
        if outcome.account is not None:
            audit(outcome.account, "admin_sign_in")
            return redirect(safe_next(request.form.get("next")))
        if outcome.locked_until is not None:
            error = t("sign_in.locked", until=outcome.locked_until.astimezone(BRANCH_ZONE).strftime("%H:%M"))
        else:
            error = t("sign_in.wrong")
        status = 401
    return render_template("admin/sign_in.html", error=error, next=request.values.get("next", "")), status


@blueprint.post("/keluar")
def sign_out() -> ResponseReturnValue:
    """Sign out (a POST with the form token, so no other site can sign anyone out)."""
    signed_out()
    flash(t("signed_out"))
    return redirect(url_for("admin.sign_in"))


@blueprint.route("/akun", methods=["GET", "POST"])
@require_role("admin")
def accounts() -> ResponseReturnValue:
    """Admins list the accounts, add one (admin, supervisor of a cadre's team, viewer) and unlock one."""
    account = current_account()
    assert account is not None  # require_role
    error = None
    if request.method == "POST":
        now = wall_clock()
        try:
            with runtime().sessions.begin() as writer:
                if request.form.get("unlock"):
                    target = writer.get(AdminUser, int(request.form["unlock"]))
                    if target is not None:
                        target.locked_until, target.failed_sign_ins = None, 0
                        flash(t("accounts.unlocked", username=target.username))
                elif request.form.get("reset"):
                    target = writer.get(AdminUser, int(request.form["reset"]))
                    if target is not None:
                        set_password(writer, target, request.form.get("password", ""))
                else:
                    created = create_account(writer, request.form.get("username", ""),
                                             request.form.get("password", ""), now,
                                             role=request.form.get("role", "viewer"),
                                             cadre_code=request.form.get("cadre_code") or None)
                    flash(t("accounts.created", username=created.username))
        except (AccountError, ValueError) as problem:
            error = str(problem)
        else:
            audit(account, "admin_accounts", detail=request.form.get("username", "") or "unlock/reset")
            return redirect(url_for("admin.accounts"))
    with runtime().reading() as reader:
        rows = reader.execute(select(AdminUser, Cadre.code).outerjoin(Cadre, Cadre.id == AdminUser.cadre_id)
                              .order_by(AdminUser.username)).all()
        listed = [(user.username, user.role, code, user.last_sign_in_at, user.locked_until, user.id)
                  for user, code in rows]
    return render_template("admin/accounts.html", rows=listed, roles=ROLES, error=error, now=wall_clock()), \
        400 if error else 200
