"""Fake providers on loopback (Telegram Bot API, Twilio REST) and the pytest fixtures that use them.

A test module loads the fixtures with `pytest_plugins = ["tests.fakes.fixtures"]`, then points the
service at the fakes by overriding `settings` (the conftest's runtime, app and client follow):

    @pytest.fixture
    def settings(settings, telegram_api):
        return with_telegram(settings, telegram_api)

The fixtures' `no_internet` refuses any connection that is not to this machine, so a test that forgot
to point a client at a fake fails at once instead of talking to the real provider.
"""

from __future__ import annotations

from dataclasses import replace

from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.twilio_api import SANDBOX_FROM, FakeTwilioAPI

TELEGRAM_SECRET = "s3cret-Token_for-webhook"

__all__ = ["TELEGRAM_SECRET", "FakeTelegramAPI", "FakeTwilioAPI", "with_telegram", "with_whatsapp"]


def with_telegram(settings: Settings, api: FakeTelegramAPI, secret: str | None = TELEGRAM_SECRET) -> Settings:
    return replace(settings, telegram_bot_token=api.token, telegram_api_url=api.url,
                   telegram_webhook_secret=secret)


def with_whatsapp(settings: Settings, api: FakeTwilioAPI) -> Settings:
    return replace(settings, twilio_account_sid=api.account_sid, twilio_auth_token=api.auth_token,
                   twilio_whatsapp_from=SANDBOX_FROM, twilio_api_url=api.url)
