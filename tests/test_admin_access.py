"""The dashboard's door: signing in, the five-strikes lock, form tokens, idle sessions, roles, first accounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ingest.demo import seed_demo
from models import AdminUser, AuditEntry
from tests.admin_pages import PASSWORD, form_token, make_account, sign_in
from web.admin.accounts import create_first_admin, first_accounts
from web.admin.core import SEEN_KEY


def test_dashboard_asks_to_sign_in_first(client, db):  # type: ignore[no-untyped-def]
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/masuk" in response.headers["Location"]


def test_right_password_opens_the_overview_and_is_audited(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    response = sign_in(client)
    assert response.status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert "Ringkasan" in page and "siti" in page
    assert db.scalar(select(AuditEntry.action).where(AuditEntry.actor == "admin:siti")) == "admin_sign_in"


def test_wrong_password_is_refused_without_saying_which_part(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    wrong = sign_in(client, password="salah-salah")
    unknown = sign_in(client, username="nobody")
    assert wrong.status_code == unknown.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in wrong.get_data(as_text=True)
    assert "Nama pengguna atau kata sandi salah." in unknown.get_data(as_text=True)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    for _ in range(4):
        assert "salah" in sign_in(client, password="salah-salah").get_data(as_text=True)
    fifth = sign_in(client, password="salah-salah").get_data(as_text=True)
    assert "Akun dikunci sampai" in fifth
    right = sign_in(client)
    assert right.status_code == 401 and "Akun dikunci sampai" in right.get_data(as_text=True)
    account = db.scalar(select(AdminUser).where(AdminUser.username == "siti"))
    assert account is not None and account.locked_until is not None
    assert account.locked_until - datetime.now(UTC) > timedelta(minutes=14)
    # 15 minutes later the right password works again
    account.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    db.commit()
    assert sign_in(client).status_code == 302


def test_a_form_without_its_token_is_refused(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    response = client.post("/admin/masuk", data={"username": "siti", "password": PASSWORD})
    assert response.status_code == 400
    forged = client.post("/admin/masuk", data={"username": "siti", "password": PASSWORD, "csrf_token": "x" * 43})
    assert forged.status_code == 400
    sign_in(client)
    assert client.post("/admin/keluar").status_code == 400  # signing out needs the token too
    assert client.get("/admin/").status_code == 200


def test_signing_out_needs_the_token_and_ends_the_session(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    sign_in(client)
    token = form_token(client, "/admin/")
    assert client.post("/admin/keluar", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_an_idle_session_expires(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    sign_in(client)
    with client.session_transaction() as session:
        session[SEEN_KEY] = session[SEEN_KEY] - 31 * 60
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "Sesi berakhir karena tidak aktif" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_session_cookie_is_http_only_and_strict(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    response = sign_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_viewer_sees_figures_only(client, db):  # type: ignore[no-untyped-def]
    make_account(db, "tamu", role="viewer")
    sign_in(client, "tamu")
    assert client.get("/admin/").status_code == 200
    for path in ("/admin/kader", "/admin/keluarga", "/admin/akun"):
        assert client.get(path).status_code == 403, path
    page = client.get("/admin/").get_data(as_text=True)
    assert "/admin/kader" not in page and "/admin/keluarga" not in page


def test_sign_in_goes_only_to_pages_of_the_dashboard(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    token = form_token(client)
    response = client.post("/admin/masuk", data={"username": "siti", "password": PASSWORD, "csrf_token": token,
                                                 "next": "//evil.example/admin"})
    assert response.headers["Location"] == "/admin/"


def test_english_switch(client, db):  # type: ignore[no-untyped-def]
    page = client.get("/admin/masuk?lang=en").get_data(as_text=True)
    assert "Sign in" in page and 'lang="en"' in page
    assert "Sign in" in client.get("/admin/masuk").get_data(as_text=True)  # the choice is remembered


def test_admin_adds_a_supervisor_account_on_the_accounts_page(client, db):  # type: ignore[no-untyped-def]
    make_account(db)
    sign_in(client)
    token = form_token(client, "/admin/akun")
    response = client.post("/admin/akun", data={"csrf_token": token, "username": "tamu", "password": "kata-sandi-9",
                                                "role": "viewer"})
    assert response.status_code == 302
    assert "tamu" in client.get("/admin/akun").get_data(as_text=True)
    short = client.post("/admin/akun", data={"csrf_token": token, "username": "x", "password": "short",
                                             "role": "viewer"})
    assert short.status_code == 400 and "at least 8" in short.get_data(as_text=True)


def test_create_admin_command(app, db):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["create-admin", "budi"], input="kata-sandi-9\nkata-sandi-9\n")
    assert result.exit_code == 0, result.output
    assert "budi" in result.output
    account = db.scalar(select(AdminUser).where(AdminUser.username == "budi"))
    assert account is not None and account.role == "admin" and account.password_hash.startswith("scrypt:")


def test_first_admin_from_the_environment_only_when_none_exists(runtime, db):  # type: ignore[no-untyped-def]
    runtime.settings = replace(runtime.settings, admin_username="kepala", admin_password="kata-sandi-9")
    assert create_first_admin(runtime) is not None
    assert create_first_admin(runtime) is None
    assert db.scalars(select(AdminUser.username)).all() == ["kepala"]


def test_demo_accounts_are_made_once_and_their_password_kept_in_instance(runtime, db):  # type: ignore[no-untyped-def]
    seed_demo(db, runtime.clock.now().date())
    db.commit()
    lines = first_accounts(runtime, demo=True)
    password = (runtime.settings.instance_path / "admin_password").read_text().strip()
    assert password in lines[0] and "admin" in lines[0]
    assert first_accounts(runtime, demo=True) == lines  # printed again at the next start, nothing created
    assert sorted(db.scalars(select(AdminUser.username)).all()) == ["admin", "endang", "tamu"]
