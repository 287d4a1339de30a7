"""Telegram without a webhook: long polling with getUpdates, each update handled as the webhook handles it."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from telegram.error import InvalidToken, TelegramError

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_updates import incoming_from

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


def poll_forever(runtime: Runtime, timeout: int = 30, stop: threading.Event | None = None) -> None:
    """Long polling with getUpdates, for a bot with a token but no public URL (a laptop, a demo).

    The webhook is removed first, since Telegram refuses getUpdates while one is set. Each update goes
    through the same path as the webhook's; the offset confirms it to Telegram only after it was handled,
    and the database's unique key absorbs a repeat if the process dies in between.
    """
    channel = runtime.sender.channels.get("telegram")
    if not isinstance(channel, TelegramChannel):
        raise RuntimeError("Telegram is not configured: set TELEGRAM_BOT_TOKEN")
    channel.delete_webhook()
    offset: int | None = None
    pause = 1.0
    while stop is None or not stop.is_set():
        try:
            offset = poll_once(runtime, channel, offset, timeout)
            pause = 1.0
        except (InvalidToken, KeyboardInterrupt):
            raise
        except TelegramError as error:  # the network, or another poller holding getUpdates (Conflict)
            log.warning("getUpdates failed (%s); trying again in %.0f s", error, pause)
            time.sleep(pause)
            pause = min(pause * 2, 60.0)


def poll_once(runtime: Runtime, channel: TelegramChannel, offset: int | None, timeout: int = 30) -> int | None:
    """One getUpdates call, every update handled; returns the next offset."""
    for update in channel.get_updates(offset, timeout):
        offset = update.update_id + 1
        try:
            incoming = incoming_from(update, runtime.clock.now())
            if incoming is None:
                continue
            if incoming.callback_id:
                channel.answer_callback(incoming.callback_id)
            runtime.receive(incoming)
        except Exception:  # one bad update must not stop the bot for everyone else
            log.exception("handling Telegram update %s failed", update.update_id)
    return offset
