"""Telegram through python-telegram-bot 22: parse a webhook's Update into an Incoming, send outbox rows.

PTB is async and the service is sync (Flask, gunicorn, the scheduler), so the adapter keeps asyncio to
itself: one `telegram.Bot` per process, initialised once (its `initialize()` calls getMe) on one event loop
that runs in a daemon thread. Callers hand coroutines to that loop with `run_coroutine_threadsafe` and wait.
A Bot per message, or `asyncio.run` per message, would open a new HTTP pool and call getMe every time.

What an Update means (and which ones are ignored) is `bot/channels/telegram_updates.py`; long polling, for a
bot without a public URL, is `bot/channels/telegram_polling.py`.

A row with `ask_contact` gets a one-button reply keyboard that shares the person's own phone number (how
cadres are recognised on Telegram); its choices, if any, are then left to the text.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta
from typing import Any, TypeVar

import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels import SendFailure
from bot.channels.telegram_updates import incoming_from
from bot.messages import Incoming, Outbound
from bot.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_TEXT = 4096  # Bot API limit for sendMessage text
SEND_TIMEOUT = 30.0  # seconds to wait for the loop thread; PTB's own timeouts (5 s each) come first


class TelegramChannel:
    """The Telegram adapter: `parse_update` for the webhook and polling, `send` for the sender."""

    name = "telegram"

    def __init__(self, settings: Settings) -> None:
        if not settings.telegram_bot_token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.settings = settings
        hide_in_logs(settings.telegram_bot_token)
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._bot = self._new_bot()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._init_lock: asyncio.Lock | None = None

    def _new_bot(self) -> telegram.Bot:
        token = self.settings.telegram_bot_token or ""
        return telegram.Bot(token, base_url=f"{self.settings.telegram_api_url}/bot")

    @property
    def bot(self) -> telegram.Bot:
        """The process's Bot (a forked worker gets its own: sockets and threads do not survive a fork)."""
        self._ensure_process()
        return self._bot

    # --- the event loop thread ----------------------------------------------------------------------------

    def _ensure_process(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._bot = self._new_bot()
                self._loop = self._thread = self._init_lock = None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        self._ensure_process()
        with self._lock:
            if self._loop is None or self._thread is None or not self._thread.is_alive():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="telegram-bot", daemon=True)
                thread.start()
                self._loop, self._thread, self._init_lock = loop, thread, None
            return self._loop

    def _submit(self, call: Callable[[telegram.Bot], Awaitable[T]]) -> Future[T]:
        """Run `call(bot)` on the loop thread, initialising the Bot first if this is its first call."""
        loop = self._ensure_loop()
        bot = self._bot

        async def run() -> T:
            if self._init_lock is None:  # created on the loop, where it is used
                self._init_lock = asyncio.Lock()
            async with self._init_lock:
                await bot.initialize()  # a no-op once done; retried after a failed getMe
            return await call(bot)

        return asyncio.run_coroutine_threadsafe(run(), loop)

    def _call(self, call: Callable[[telegram.Bot], Awaitable[T]], timeout: float = SEND_TIMEOUT) -> T:
        future = self._submit(call)
        try:
            return future.result(timeout)
        except FutureTimeout as error:
            future.cancel()
            raise TimedOut(f"no answer from the Bot API within {timeout:.0f} s") from error

    def close(self) -> None:
        """Release the Bot's connections and stop the loop thread (tests, and a clean shutdown)."""
        with self._lock:
            loop, thread, bot = self._loop, self._thread, self._bot
            self._loop = self._thread = self._init_lock = None
        if loop is None or thread is None:
            return
        if thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(bot.shutdown(), loop).result(5)
            except Exception:  # closing is best effort: the process may be going away anyway
                log.debug("closing the Telegram bot failed", exc_info=True)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
        if not loop.is_running():
            loop.close()
        self._bot = self._new_bot()

    # --- outbound -----------------------------------------------------------------------------------------

    def send(self, message: Outbound, last_inbound_at: datetime | None, now: datetime) -> str | None:
        """sendMessage; choices become inline buttons whose callback data is the choice key."""
        text = (message.body or "").strip()
        if not text:
            raise SendFailure("nothing to send: the row has no text", code="empty", retryable=False)
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        markup = contact_keyboard() if message.ask_contact else keyboard(message.choices)
        chat_id = chat_id_of(message.address)
        try:
            sent = self._call(lambda bot: bot.send_message(chat_id=chat_id, text=text, reply_markup=markup))
        except TelegramError as error:
            raise failure_from(error) from error
        return f"{sent.chat_id}:{sent.message_id}"

    def answer_callback(self, callback_id: str, wait: bool = False) -> None:
        """answerCallbackQuery: stops the spinner on the button the person pressed.

        Not waited for by default: the webhook should not spend a Bot API round trip on it, and a failure
        (a query answered twice, or too old) only matters to the log.
        """
        future = self._submit(lambda bot: bot.answer_callback_query(callback_id))
        if wait:
            future.result(SEND_TIMEOUT)
        else:
            future.add_done_callback(_log_failure)

    def set_webhook(self, url: str, secret: str) -> None:
        """setWebhook: Telegram then posts updates to `url`, with `secret` in X-Telegram-Bot-Api-Secret-Token."""
        self._call(lambda bot: bot.set_webhook(url, secret_token=secret,
                                               allowed_updates=["message", "callback_query"]))

    def delete_webhook(self) -> None:
        """deleteWebhook, keeping pending updates (polling then collects them)."""
        self._call(lambda bot: bot.delete_webhook(drop_pending_updates=False))

    def get_updates(self, offset: int | None, timeout: int = 30) -> tuple[Update, ...]:
        """getUpdates (long polling): the updates after `offset`, waiting up to `timeout` seconds."""
        return self._call(lambda bot: bot.get_updates(offset=offset, timeout=timeout,
                                                      allowed_updates=["message", "callback_query"]),
                          timeout=timeout + SEND_TIMEOUT)

    # --- inbound ------------------------------------------------------------------------------------------

    def parse_update(self, payload: Mapping[str, Any], now: datetime) -> Incoming | None:
        """An Update from the webhook. None when there is nothing a person said; ValueError if not an Update."""
        update_id = payload.get("update_id") if isinstance(payload, Mapping) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool) or not 0 <= update_id < 2**63:
            raise ValueError("not a Telegram Update: no integer update_id")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # PTB warns about fields it does not know yet
                update = Update.de_json(dict(payload), self.bot)
                incoming = incoming_from(update, now)
        except Exception as error:  # a field of the wrong type makes PTB or us raise anything at all
            raise ValueError(f"not a Telegram Update: {error!r}") from error
        if incoming is not None and len(incoming.address) > 32:  # ids are 52-bit integers
            raise ValueError("not a Telegram Update: chat id out of range")
        return incoming


class TokenRedaction(logging.Filter):
    """Replaces bot tokens in log records: httpx logs every request's URL, and the Bot API puts the token there.

    Quieting httpx to WARNING is not enough on its own: any logging set-up (gunicorn's, an operator's
    DEBUG) brings the INFO lines back, and a token in a log file is a stolen bot.
    """

    def __init__(self) -> None:
        super().__init__()
        self.tokens: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        """Let the record through with any bot token in it masked."""
        if self.tokens:
            message = record.getMessage()
            if any(token in message for token in self.tokens):
                for token in self.tokens:
                    message = message.replace(token, "<bot-token>")
                record.msg, record.args = message, None
        return True


TOKEN_REDACTION = TokenRedaction()
# The loggers that see request URLs: httpx's request lines, PTB's own debug and error lines.
URL_LOGGERS = ("httpx", "httpcore", "telegram", "telegram.ext", "telegram._bot")


def hide_in_logs(token: str | None) -> None:
    """Every record of the loggers that may print a Bot API URL has `token` replaced."""
    if not token:
        return
    TOKEN_REDACTION.tokens.add(token)
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if TOKEN_REDACTION not in logger.filters:
            logger.addFilter(TOKEN_REDACTION)


def chat_id_of(address: str) -> int | str:
    """Chat ids are integers (negative for groups); anything else (an @channel name) goes as it is."""
    stripped = address.strip()
    return int(stripped) if stripped.lstrip("-").isdigit() else stripped


def contact_keyboard() -> ReplyKeyboardMarkup:
    """A single button that sends the person's own contact: Telegram never tells a bot the phone otherwise."""
    button = KeyboardButton("Bagikan nomor HP saya / Share my phone number", request_contact=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


def keyboard(choices: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup | None:
    """One button per row: the labels are short sentences that a two-column layout would cut."""
    if not choices:
        return None
    rows = [[InlineKeyboardButton(str(label)[:64], callback_data=str(key)[:64])] for key, label in choices]
    return InlineKeyboardMarkup(rows)


def failure_from(error: TelegramError) -> SendFailure:
    """The Bot API's refusal, as the sender understands it (retry later, or give up)."""
    detail = f"{type(error).__name__}: {error.message}"
    if isinstance(error, Forbidden):  # blocked, kicked from the group, user deactivated
        return SendFailure(detail, code="403", retryable=False, opted_out=True)
    if isinstance(error, RetryAfter):
        return SendFailure(detail, code="429", retryable=True, retry_after=retry_after_seconds(error))
    if isinstance(error, BadRequest):  # chat not found, text too long...: the same request fails again
        gone = "chat not found" in error.message.lower()  # no such chat: stop reminding this address
        return SendFailure(detail, code="400", retryable=False, opted_out=gone)
    if isinstance(error, InvalidToken):  # the token was revoked: nothing will go until an operator acts
        return SendFailure(detail, code="401", retryable=False)
    if isinstance(error, ChatMigrated):
        return SendFailure(detail, code="migrated", retryable=False)
    if isinstance(error, NetworkError | TimedOut | Conflict):
        return SendFailure(detail, code="network", retryable=True)
    return SendFailure(detail, retryable=True)


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for in a 429, in seconds, whichever form PTB gives it in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22.2+ warns that the int form will become a timedelta
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _log_failure(future: Future[Any]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None:
        log.info("answerCallbackQuery failed: %s", error)
