"""Telegram through python-telegram-bot 22: parse an Update into an Incoming, send outbox rows, poll.

PTB is async and the service is sync (Flask, gunicorn, the scheduler), so the adapter keeps asyncio to
itself: one `telegram.Bot` per process, initialised once (its `initialize()` calls getMe) on one event loop
that runs in a daemon thread. Callers hand coroutines to that loop with `run_coroutine_threadsafe` and wait.
A Bot per message, or `asyncio.run` per message, would open a new HTTP pool and call getMe every time.

Decisions where the Bot API leaves a choice:
- `edited_message` is ignored. Handling an edit as a new message would repeat its side effects (a second
  visit report, a second promise); a person corrects with UBAH or BATAL, or simply types again.
- Channel posts, inline queries, chat-member changes and service messages (someone joined a group) are
  ignored: they are not something a person said to the bot.
- A row with `ask_contact` gets a one-button reply keyboard that shares the person's own phone number (how
  cadres are recognised on Telegram); its choices, if any, are then left to the text.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import MessageAttachmentType
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
from bot.messages import Incoming, Outbound, printable
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_TEXT = 4096  # Bot API limit for sendMessage text
SEND_TIMEOUT = 30.0  # seconds to wait for the loop thread; PTB's own timeouts (5 s each) come first
# What the person sent that the bot cannot read, by the name Telegram gives it. Anything else that is an
# attachment (an invoice, a giveaway...) becomes "other", which also keeps the name short for the database.
MEDIA_KINDS = {"animation", "audio", "document", "photo", "sticker", "video", "video_note", "voice", "dice",
               "poll", "game", "story"}


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


def incoming_from(update: Update, now: datetime) -> Incoming | None:
    """What a person said in one Update, or None (see the module's notes for what is ignored)."""
    provider_id = str(update.update_id)
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        address = str(chat.id if chat is not None else query.from_user.id)  # private chat id == user id
        return Incoming(channel="telegram", address=address, provider_id=provider_id, received_at=now,
                        choice=printable(query.data) if query.data is not None else None,
                        callback_id=query.id, sender_name=printable(query.from_user.first_name) or None)
    message = update.message
    if message is None:  # edited_message, channel_post, inline_query, my_chat_member, ...
        return None
    return _incoming_from_message(message, provider_id, now)


def _incoming_from_message(message: Message, provider_id: str, now: datetime) -> Incoming | None:
    sender = message.from_user
    base: dict[str, Any] = {
        "channel": "telegram", "address": str(message.chat.id), "provider_id": provider_id,
        "received_at": now, "text": printable(message.text or message.caption or "")[:5000],
        "sender_name": (printable(sender.first_name) or None) if sender else None,
    }
    if message.contact is not None:
        contact = message.contact
        is_sender = bool(sender and contact.user_id is not None and contact.user_id == sender.id)
        return Incoming(**base, contact_phone=e164(contact.phone_number) or None, contact_is_sender=is_sender)
    if message.location is not None:  # a venue carries its location too
        return Incoming(**base, location=(message.location.latitude, message.location.longitude))
    media = attachment_kind(message)
    if media is not None:
        return Incoming(**base, media=media)
    if message.text is None:  # a service message: someone joined, a pinned message, a new chat title
        return None
    return Incoming(**base)


def attachment_kind(message: Message) -> str | None:
    """What a message carries besides text ("photo", "sticker", ..., "other"), or None for plain text."""
    for kind in MessageAttachmentType:
        if kind in (MessageAttachmentType.CONTACT, MessageAttachmentType.LOCATION):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # successful_payment's deprecation note
            present = getattr(message, str(kind), None)
        if present:
            return str(kind) if str(kind) in MEDIA_KINDS else "other"
    return None



def e164(phone: str) -> str:
    """Telegram sends contacts' numbers without '+' ("6281234567890"); an Indonesian 08... is local."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return "+" + digits if digits else ""


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
