"""A fake Twilio REST API (Messages): a real HTTP server on loopback that records and answers like Twilio.

Reached by the real `twilio.rest.Client` through TWILIO_API_URL. It checks HTTP basic auth like Twilio
(account SID and auth token), answers `POST /2010-04-01/Accounts/{sid}/Messages.json` with a message
resource and a fresh `SM...` sid, and plays scripted failures in Twilio's error JSON
(`{"code": 21610, "message": ..., "more_info": ..., "status": 400}`).

It honours I-Twilio-Idempotency-Token (a repeated token gets the first answer again, nothing new is
recorded; `honour_idempotency=False` plays a Twilio that ignores it), and fails on demand: `fail_next` for
single answers, `down("500" | "429" | "timeout")` until `up()` for an outage, `hold` for a provider that
stops answering. A "timeout" takes the message and then answers too late: the worst case for a client.

`main()` runs it alone (the benchmark starts it in its own process, so that the fake's work does not share
a process with the load it measures); it prints its URL on the first line.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.json_http import JSONHandler, LoopbackServer

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
SANDBOX_FROM = "whatsapp:+14155238886"

# The messages Twilio gives for the codes the service acts on (https://www.twilio.com/docs/api/errors).
ERRORS = {
    20429: (429, "Too Many Requests"),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    63016: (400, "Failed to send freeform message because you are outside the allowed window. "
                 "If you are using WhatsApp, please use a Message Template."),
    20003: (401, "Authenticate"),
    21211: (400, "The 'To' number is not a valid phone number."),
    20500: (500, "Internal Server Error"),
    20404: (404, "The requested resource was not found"),
}


@dataclass
class SentMessage:
    """One Messages.create as the fake received it (Twilio's parameter names)."""

    sid: str
    account_sid: str
    params: dict[str, str]
    idempotency_token: str | None = None

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.params.get(key, default)

    @property
    def body(self) -> str:
        return self.params.get("Body", "")

    @property
    def to(self) -> str:
        return self.params.get("To", "")

    @property
    def content_variables(self) -> dict[str, Any]:
        return json.loads(self.params.get("ContentVariables") or "{}")


@dataclass
class FakeTwilioAPI(LoopbackServer):
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    messages: list[SentMessage] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    failures_to: dict[str, list[int]] = field(default_factory=dict)
    requests: int = 0
    url: str = ""
    record: bool = True  # the benchmark keeps only a count
    hold_after: int | None = None  # requests after this many hang, unanswered, until released
    hold_processed: bool = False  # held requests were taken (recorded) before the answer was lost
    honour_idempotency: bool = True
    outage: str | None = None  # "500", "429" or "timeout" for every create until `up()`
    stall: float = 2.0  # seconds a "timeout" answer takes (longer than the client waits)
    latency: float = 0.0  # seconds every create takes, as a real API's round trip does
    repeats: int = 0  # creates answered from the idempotency record (a retry of something taken)
    _answers: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # --- for tests -----------------------------------------------------------------------------------------

    def fail_next(self, code: int, times: int = 1) -> None:
        """The next Messages.create calls answer Twilio's error `code` (20429, 21610, 63016, 20500...)."""
        with self._lock:
            self.failures.extend([code] * times)

    def fail_to(self, to: str, code: int, times: int = 1) -> None:
        """The next creates to `to` ("whatsapp:+62...") answer Twilio's error `code`, whatever the order."""
        with self._lock:
            self.failures_to.setdefault(to, []).extend([code] * times)

    def bodies(self) -> list[str]:
        with self._lock:
            return [message.body for message in self.messages]

    def last(self) -> SentMessage:
        with self._lock:
            return self.messages[-1]

    def hold(self, after: int, processed: bool = False) -> None:
        """Requests after the `after`th hang, as when a provider stops answering: not processed, or, with
        `processed`, taken first and then never answered (a sender killed meanwhile never learns of them;
        `release` lets the hanging handlers go)."""
        with self._lock:
            self.hold_after = self.requests + after
            self.hold_processed = processed
            self._release.clear()

    def down(self, mode: str) -> None:
        """An outage: every create answers 500 ("500"), 429 ("429"), or takes the message and answers too
        late ("timeout"), until `up()`."""
        with self._lock:
            self.outage = mode

    def up(self) -> None:
        with self._lock:
            self.outage = None

    def release(self) -> None:
        with self._lock:
            self.hold_after = None
        self._release.set()

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.failures.clear()
            self.failures_to.clear()
            self._answers.clear()
            self.outage = None
            self.honour_idempotency = True
            self.repeats = 0
            self.latency = 0.0
        self.release()

    # --- the server ----------------------------------------------------------------------------------------

    def start(self, port: int = 0) -> FakeTwilioAPI:
        self._serve(_handler_for(self), port, "fake-twilio")
        return self

    # --- the REST API --------------------------------------------------------------------------------------

    def create_message(self, account: str, authorization: str, form: dict[str, str],
                       token: str | None = None) -> tuple[int, dict[str, Any]]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if account != self.account_sid or authorization != expected:
            return error(20003)
        if not form.get("To") or not (form.get("From") or form.get("MessagingServiceSid")):
            return error(21211)
        if not (form.get("Body") or form.get("ContentSid") or form.get("MediaUrl")):
            return 400, {"code": 21619, "message": "A text message body or media urls must be specified.",
                         "more_info": "https://www.twilio.com/docs/errors/21619", "status": 400}
        with self._lock:
            self.requests += 1
            held = self.hold_after is not None and self.requests > self.hold_after
            outage = self.outage
        if held and not self.hold_processed:  # never processed: the client gets no answer it could act on
            self._release.wait(30)
            return error(20500)
        if outage in ("500", "429"):
            return error(20500 if outage == "500" else 20429)
        with self._lock:
            if token is not None and self.honour_idempotency and token in self._answers:
                self.repeats += 1
                return self._answers[token]  # taken before: the same message, not a second one
            code = None if held or outage else self._scripted_failure(form["To"])
            sid = f"SM{next(self._serial):08x}{secrets.token_hex(12)}"
            if code is None and self.record:
                self.messages.append(SentMessage(sid, account, dict(form), token))
            answer = error(code) if code is not None else (201, message_resource(sid, account, form))
            if token is not None and code is None and self.record:  # the benchmark's fake keeps counts only
                self._answers[token] = answer
        if held:
            self._release.wait(30)
        elif outage == "timeout":
            time.sleep(self.stall)
        elif self.latency:
            time.sleep(self.latency)
        return answer


    def _scripted_failure(self, to: str) -> int | None:
        if self.failures_to.get(to):
            return self.failures_to[to].pop(0)
        return self.failures.pop(0) if self.failures else None


def error(code: int) -> tuple[int, dict[str, Any]]:
    status, message = ERRORS.get(code, (400, f"Error {code}"))
    return status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                    "status": status}


def message_resource(sid: str, account: str, form: dict[str, str]) -> dict[str, Any]:
    """The Message resource Twilio answers a create with (fields as in its API reference)."""
    now = formatdate(time.time(), usegmt=True).replace("GMT", "+0000")
    uri = f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"
    return {
        "account_sid": account, "api_version": "2010-04-01", "body": form.get("Body", ""),
        "date_created": now, "date_sent": None, "date_updated": now, "direction": "outbound-api",
        "error_code": None, "error_message": None, "from": form.get("From"),
        "messaging_service_sid": form.get("MessagingServiceSid"), "num_media": "0", "num_segments": "1",
        "price": None, "price_unit": "USD", "sid": sid, "status": "queued",
        "subresource_uris": {"media": uri.replace(".json", "/Media.json")}, "to": form.get("To"), "uri": uri,
    }


def _handler_for(api: FakeTwilioAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(JSONHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path == "/_fake/stats":  # not Twilio's: how many creates arrived (the benchmark asks)
                self._reply(200, {"requests": api.requests, "messages": len(api.messages)})
            else:
                self._reply(404, error(20404)[1])

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            segments = urlsplit(self.path).path.strip("/").split("/")
            if len(segments) == 4 and segments[:2] == ["2010-04-01", "Accounts"] and segments[3] == "Messages.json":
                form = {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}
                status, answer = api.create_message(segments[2], self.headers.get("Authorization") or "", form,
                                                    self.headers.get("I-Twilio-Idempotency-Token"))
            else:
                status, answer = error(20404)
            self._reply(status, answer)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    api = FakeTwilioAPI(record=False).start(args.port)
    print(api.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        api.stop()


if __name__ == "__main__":
    main()
