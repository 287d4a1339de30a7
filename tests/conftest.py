"""Fixtures: a real database per test (a SQLite file always, PostgreSQL when TEST_DATABASE_URL is set),
the app built by its factory, and a transcript helper that chats with the bot like a person would; for the
browser tests, the app on a real port and Chromium's pages (tests/browser.py)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from app import build_runtime, create_app
from bot.runtime import Runtime
from bot.settings import Settings
from bot.worker import Background, stop_all
from models import Base
from models.db import make_engine
from models.schema import migrate

# The moment tests live in unless they say otherwise: a Monday, early in the month, WIB morning.
DEFAULT_NOW = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)
KEEP_TABLES = {"dues_rates", "alembic_version"}  # reference data the migrations load
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test gets a copy of the file (much faster than migrating per test)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file we copy
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (.ci/run sets it)")
    engine = make_engine(TEST_DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine)
    engine.dispose()
    return TEST_DATABASE_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "kaderbot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_migrated")
    engine = make_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEEP_TABLES]
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def now() -> datetime:
    return DEFAULT_NOW


@pytest.fixture
def settings(database_url: str, tmp_path: Path, now: datetime) -> Settings:
    return Settings(instance_path=tmp_path, database_url=database_url, secret_key="test-secret",
                    frozen_now=now, public_base_url="http://127.0.0.1:8000",
                    webchat="on")  # the web chat's own tests try `demo` and `off` (test_webchat_modes.py)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """The service's parts, with its background worker running as in a serving process: stored messages
    are answered and their replies sent at once. Due rows are not swept on a timer here, so a test that
    sends by hand (`sender.run_once()`) is the only one sending them."""
    rt = build_runtime(settings)
    Background(rt, sweep_every=None).start()
    yield rt
    stop_all()  # this runtime's worker, and any a test's own app started
    for channel in rt.sender.channels.values():  # the Telegram adapter owns a thread and an event loop
        close = getattr(channel, "close", None)
        if close is not None:
            close()
    rt.engine.dispose()


@pytest.fixture
def app(runtime: Runtime):  # type: ignore[no-untyped-def]
    application = create_app(runtime=runtime)
    application.config["TESTING"] = True
    return application


class SettledClient(FlaskClient):
    """A test client that, after each request, waits for the app's background work to catch up, as a person
    waits for the reply: a webhook answers when the message is stored, the reply follows from the worker."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        response = super().open(*args, **kwargs)
        background = self.application.extensions["kaderbot"].background
        if background is not None:
            assert background.settle(), "the background worker did not finish in time"
        return response


def settled_client(app: Flask) -> FlaskClient:
    """A test client of `app` that waits for its background work after each request."""
    app.test_client_class = SettledClient
    return app.test_client()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return settled_client(app)


class FreshReads(Session):
    """The tests' session: each query first commits (what was arranged) and so reads a fresh snapshot, and
    on SQLite it never holds the write lock while the app under test works."""

    def execute(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        self.commit()
        return super().execute(*args, **kwargs)

    def scalar(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        self.commit()
        return super().scalar(*args, **kwargs)

    def scalars(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        self.commit()
        return super().scalars(*args, **kwargs)

    def get(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        self.commit()
        return super().get(*args, **kwargs)

    def refresh(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        self.commit()
        return super().refresh(*args, **kwargs)


@pytest.fixture
def db(settings: Settings) -> Iterator[Session]:
    """A session for arranging and checking data, as a person would look at the database."""
    engine = make_engine(settings.database_url, write_lock_at_begin=False)
    with FreshReads(engine, expire_on_commit=True) as session:
        yield session
    engine.dispose()


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The real app on a free loopback port, threaded like `make run`."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser() -> Iterator[object]:
    """Chromium through Playwright, launched for one test."""
    # Imported here, not at the top: without playwright or Chromium the import skips, and only browser tests ask.
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, sync_api
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def pages(browser: object, server: str) -> Iterator[object]:
    """`pages.open(timeout, **context options)` -> a page that may only talk to `server`; the test fails at the
    end if any page reached elsewhere, threw a script error or had the Content-Security-Policy block something."""
    from tests.browser import Pages
    opened = Pages(browser, server)
    yield opened
    opened.close()
