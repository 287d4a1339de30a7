"""Pytest fixtures for the fake providers: `telegram_api`, `twilio_api`, and the `no_internet` guard.

Loaded by a test module with `pytest_plugins = ["tests.fakes.fixtures"]`. The servers live for the whole
session (each is a thread and a socket) and are emptied before every test that asks for them; asking for
either also turns on `no_internet`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioAPI


@pytest.fixture(scope="session")
def _telegram_server() -> Iterator[FakeTelegramAPI]:
    api = FakeTelegramAPI().start()
    yield api
    api.stop()


@pytest.fixture
def telegram_api(_telegram_server: FakeTelegramAPI, no_internet: None) -> FakeTelegramAPI:
    """The fake Bot API, emptied for this test (one server for the session: starting one costs a thread)."""
    _telegram_server.reset()
    _telegram_server.updates.clear()
    _telegram_server.webhook.clear()
    return _telegram_server


@pytest.fixture(scope="session")
def _twilio_server() -> Iterator[FakeTwilioAPI]:
    api = FakeTwilioAPI(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN).start()
    yield api
    api.stop()


@pytest.fixture
def twilio_api(_twilio_server: FakeTwilioAPI, no_internet: None) -> FakeTwilioAPI:
    """The fake Twilio REST API, emptied for this test."""
    _twilio_server.reset()
    return _twilio_server


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:  # AF_UNIX paths and the like: local by nature
        return True
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections to anything but loopback fail, like PTB's own OfflineRequest in its test suite."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(address: Any) -> None:
        if not _is_loopback(address):
            raise OSError(f"tests may not reach the internet (tried {address!r})")

    def connect(self: socket.socket, address: Any) -> None:
        refuse(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        refuse(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback((host.decode() if isinstance(host, bytes) else host, 0)):
            raise socket.gaierror(f"tests may not resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
