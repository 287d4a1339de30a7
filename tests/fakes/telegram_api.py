"""A fake Telegram Bot API: a real HTTP server on loopback that records calls and answers like Telegram.

Reached by the real python-telegram-bot through TELEGRAM_API_URL (`{url}/bot{token}/{method}`). PTB posts
form-encoded parameters (nested objects such as `reply_markup` as JSON strings) and sometimes multipart;
other clients post JSON: all three are read. Failures are scripted per method, in the Bot API's own
error shape (`{"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}`).
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.json_http import JSONHandler, LoopbackServer

BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "KaderBot JKN", "username": "KaderBotJKN_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
NESTED = {"reply_markup", "entities", "allowed_updates", "link_preview_options", "reply_parameters"}


@dataclass
class Call:
    """One Bot API request as the fake received it."""

    method: str
    token: str
    params: dict[str, Any]
    content_type: str
    failed: bool = False  # answered with a scripted failure: Telegram did not take it

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of an inline keyboard, row by row."""
        markup = self.params.get("reply_markup") or {}
        return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None = None


@dataclass
class FakeTelegramAPI(LoopbackServer):
    """The server's state; tests read `calls` and script `fail_next`."""

    token: str = "123456:TEST-token"
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    webhook: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    max_poll_wait: float = 0.5  # long polls are cut short so tests stay quick
    record: bool = True  # the benchmark keeps only a count
    requests: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _server: ThreadingHTTPServer | None = None

    # --- for tests -----------------------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """What TELEGRAM_API_URL is set to."""
        return self.url

    def fail_next(self, method: str, status: int, description: str, retry_after: int | None = None,
                  times: int = 1) -> None:
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        with self._changed:
            self.failures.setdefault(method, []).extend([Failure(status, description, parameters)] * times)

    def block_bot(self, times: int = 1) -> None:
        """The person blocked the bot: sendMessage answers 403 as Telegram does."""
        self.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", times=times)

    def flood(self, retry_after: int, times: int = 1) -> None:
        self.fail_next("sendMessage", 429, f"Too Many Requests: retry after {retry_after}", retry_after, times)

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling mode)."""
        with self._changed:
            self.updates.append(update)
            self._changed.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def sent(self) -> list[Call]:
        return self.calls_to("sendMessage")

    def delivered(self) -> list[Call]:
        """sendMessage calls Telegram took (not those answered with a scripted failure)."""
        return [call for call in self.sent() if not call.failed]

    def texts(self) -> list[str]:
        return [call["text"] for call in self.sent()]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Calls made from another thread (a callback answered without waiting) may land a moment later."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [call for call in self.calls if call.method == method]
                if len(found) >= count or time.monotonic() >= deadline:
                    return found
                self._changed.wait(max(0.0, deadline - time.monotonic()))

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self.failures.clear()

    # --- the server ----------------------------------------------------------------------------------------

    def start(self, port: int = 0) -> FakeTelegramAPI:
        self._serve(_handler_for(self), port, "fake-telegram")
        return self

    # --- the Bot API ---------------------------------------------------------------------------------------

    def answer(self, method: str, token: str, params: dict[str, Any], content_type: str) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        with self._changed:
            self.requests += 1
            scripted = self.failures.get(method)
            failure = scripted.pop(0) if scripted else None
            if self.record:
                self.calls.append(Call(method, token, params, content_type, failed=failure is not None))
            self._changed.notify_all()
        if failure is not None:
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            return failure.status, body
        handler = getattr(self, "api_" + method.lower(), None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        result = handler(params)
        if isinstance(result, tuple):
            return result
        return 200, {"ok": True, "result": result}

    def api_getme(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    def api_sendmessage(self, params: dict[str, Any]) -> Any:
        if not str(params.get("text") or "").strip():
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        chat_id = params.get("chat_id")
        try:
            chat_id = int(chat_id)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "date": int(time.time()),
            "text": params["text"],
        }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:  # Telegram returns inline keyboards only
            message["reply_markup"] = markup
        return message

    def api_answercallbackquery(self, params: dict[str, Any]) -> Any:
        return True

    def api_setwebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    def api_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {}
        return True

    def api_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    def api_getupdates(self, params: dict[str, Any]) -> Any:
        if self.webhook.get("url"):
            return 409, {"ok": False, "error_code": 409,
                         "description": "Conflict: can't use getUpdates method while webhook is active; "
                                        "use deleteWebhook to delete the webhook first"}
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
        deadline = time.monotonic() + wait
        with self._changed:
            if offset:  # an offset confirms every update before it: Telegram forgets them
                self.updates[:] = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            limit = int(params.get("limit") or 100)
            return list(self.updates[:limit])


def _handler_for(api: FakeTelegramAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(JSONHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path == "/_fake/stats":  # not the Bot API's: how many calls arrived (the benchmark asks)
                self._reply(200, {"requests": api.requests})
                return
            self._handle(b"", "")

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            self._handle(self.rfile.read(length), self.headers.get("Content-Type") or "")

        def _handle(self, body: bytes, content_type: str) -> None:
            parts = urlsplit(self.path)
            segments = parts.path.strip("/").split("/")
            if len(segments) != 2 or not segments[0].startswith("bot"):
                self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            params = dict(parse_qsl(parts.query))
            params.update(read_params(body, content_type))
            status, answer = api.answer(segments[1], segments[0][3:], params, content_type.split(";")[0])
            self._reply(status, answer)

    return Handler


def read_params(body: bytes, content_type: str) -> dict[str, Any]:
    """Bot API parameters from JSON, a form, or multipart; nested objects decoded from their JSON text."""
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if kind == "application/json":
        loaded = json.loads(body)
        return dict(loaded) if isinstance(loaded, dict) else {}
    if kind == "multipart/form-data":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        raw = {part.get_param("name", header="content-disposition"): part.get_content()
               for part in message.iter_parts()}
    else:
        raw = dict(parse_qsl(body.decode(), keep_blank_values=True))
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in NESTED and isinstance(value, str):
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[str(key)] = value
    return params


def main() -> None:
    """Run the fake alone (the benchmark starts it in its own process); prints its URL on the first line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    api = FakeTelegramAPI(record=False).start(args.port)
    print(api.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        api.stop()


if __name__ == "__main__":
    main()
