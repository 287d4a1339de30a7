"""How many signed WhatsApp webhooks per second the real app answers under gunicorn, next to its bare /healthz.

    .venv/bin/python bench/inbound.py [-n 2000] [--clients 8] [--workers 2] [--threads 1] [--database-url URL]

Starts the fake Twilio REST API in its own process, then `gunicorn app:create_app()` with WhatsApp pointed
at it, a fresh SQLite database in a temporary directory (or --database-url, migrated first) and
PUBLIC_BASE_URL matching the server. Each webhook is a whole round trip of the product: signature check,
dedupe insert, chat state, the handler, the reply queued in the outbox, committed, sent to the fake Twilio
through the real twilio client, and its outcome committed. /healthz (one `SELECT 1`) is measured on the same
server in the same run, so the ratio says what a message costs beyond the HTTP stack itself.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sqlalchemy import func, select  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from models import OutboxMessage  # noqa: E402
from models.db import make_engine  # noqa: E402
from models.schema import migrate  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM  # noqa: E402

BODIES = ("MENU", "BANTUAN", "HALO", "SIAPA", "BAHASA ID")  # what people type most, each answered at once
WARM_UP = 50  # webhooks before measuring, so each worker has opened its pools
SENDERS = 200  # distinct WhatsApp numbers: mostly different chats, some concurrency on the same chat


@dataclass
class Run:
    """Timings of one phase: how long each request took, and which did not answer as expected."""

    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """The latency at `fraction` (0.99: the 99th percentile), in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else 0.0


Request = tuple[str, str, bytes, dict[str, str]]  # method, path, body, headers


def drive(port: int, requests: list[Request], clients: int, expect: int = 200) -> Run:
    """Send `requests` from `clients` threads, one connection per request (gunicorn's sync workers close)."""
    run = Run()
    lock = threading.Lock()
    cursor = itertools.count()

    def client() -> None:
        mine: list[float] = []
        failed: dict[str, int] = {}
        while (index := next(cursor)) < len(requests):
            method, path, body, headers = requests[index]
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                outcome = "" if response.status == expect else f"HTTP {response.status}"
            except OSError as error:
                outcome = type(error).__name__
            if outcome:
                failed[outcome] = failed.get(outcome, 0) + 1
            else:
                mine.append(time.perf_counter() - started)
        with lock:
            run.latencies.extend(mine)
            for key, count in failed.items():
                run.failures[key] = run.failures.get(key, 0) + count

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def webhooks(count: int, public_base_url: str, salt: str) -> list[Request]:
    """Signed inbound WhatsApp forms, as Twilio posts them, each with its own MessageSid."""
    validator = RequestValidator(AUTH_TOKEN)
    url = public_base_url + "/webhooks/whatsapp"
    requests: list[Request] = []
    for number in range(count):
        sid = f"SM{salt}{number:024x}"
        phone = f"+62812{number % SENDERS:07d}"
        form = {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": f"Peserta {number % SENDERS}",
                "MessageType": "text", "SmsSid": sid, "WaId": phone[1:], "SmsStatus": "received",
                "Body": BODIES[number % len(BODIES)], "To": SANDBOX_FROM, "NumSegments": "1",
                "ReferralNumMedia": "0", "MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{phone}",
                "ApiVersion": "2010-04-01"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": validator.compute_signature(url, form)}
        requests.append(("POST", "/webhooks/whatsapp", urlencode(form).encode(), headers))
    return requests


def healthz(count: int) -> list[Request]:
    """`count` GET /healthz requests."""
    return [("GET", "/healthz", b"", {})] * count


def free_port() -> int:
    """A TCP port free on the loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `check` every 0.1 s (connection errors count as not yet); exit the bench after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up within {seconds:.0f} s")


def answers(port: int, path: str) -> bool:
    """Whether GET `path` answers 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    connection.request("GET", path)
    ok = connection.getresponse().status == 200
    connection.close()
    return ok


def fake_twilio_requests(url: str) -> int:
    """How many requests the fake Twilio has received."""
    with urlopen(url + "/_fake/stats", timeout=5) as response:  # noqa: S310 (loopback, our own fake)
        return int(json.load(response)["requests"])


def report(name: str, run: Run) -> str:
    """One line of figures for a phase."""
    failures = ", ".join(f"{key}: {count}" for key, count in sorted(run.failures.items())) or "none"
    return (f"{name:<22} {len(run.latencies):>6} ok in {run.seconds:6.2f} s  {run.rate:8.1f} /s  "
            f"p50 {run.percentile(0.50):6.1f} ms  p99 {run.percentile(0.99):6.1f} ms  failures: {failures}")


def main() -> None:
    """Parse the command line, start the fake Twilio and gunicorn, then measure each phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1 uses gthread)")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in a temp directory")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kaderbot-bench-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.db"
        engine = make_engine(database_url)
        migrate(engine)
        with engine.connect() as connection:
            outbox_before = connection.execute(select(func.count(OutboxMessage.id))).scalar_one()

        fake = subprocess.Popen([sys.executable, "-c", "from tests.fakes.twilio_api import main; main()"], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        assert fake.stdout is not None
        twilio_url = fake.stdout.readline().strip()
        port = free_port()
        public = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": database_url, "KADERBOT_INSTANCE": tmp, "SECRET_KEY": "bench",
               "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
               "TWILIO_WHATSAPP_FROM": SANDBOX_FROM, "TWILIO_API_URL": twilio_url, "PUBLIC_BASE_URL": public}
        for name in ("TELEGRAM_BOT_TOKEN", "KADERBOT_NOW"):
            env.pop(name, None)
        command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers),
                   "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048"]
        if args.threads > 1:
            command += ["--threads", str(args.threads), "--worker-class", "gthread"]
        server = subprocess.Popen([*command, "app:create_app()"], cwd=ROOT, env=env)
        try:
            wait_until(lambda: answers(port, "/healthz"), 60, "gunicorn")
            salt = secrets.token_hex(2)
            drive(port, healthz(100), args.clients)  # warm: every worker has its pools and imports
            drive(port, webhooks(WARM_UP, public, salt + "ff"), args.clients)
            before = fake_twilio_requests(twilio_url)

            health = drive(port, healthz(args.messages), args.clients)
            inbound = drive(port, webhooks(args.messages, public, salt + "00"), args.clients)
            replayed = drive(port, webhooks(min(args.messages, 500), public, salt + "00"), args.clients)

            replies = fake_twilio_requests(twilio_url) - before
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
            fake.terminate()
            fake.wait(10)
        with engine.connect() as connection:
            statuses = dict(connection.execute(
                select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)).all())
            rows = sum(statuses.values()) - outbox_before - WARM_UP
        engine.dispose()

    dialect = database_url.split(":", 1)[0]
    mode = f"{args.workers} sync workers" if args.threads <= 1 else f"{args.workers}x{args.threads} gthread"
    print(f"gunicorn {mode}, {args.clients} clients, {dialect}, {args.messages} messages, {os.cpu_count()} CPUs")
    print(report("GET /healthz", health))
    print(report("POST /webhooks/whatsapp", inbound))
    print(report("  same MessageSids again", replayed))
    ratio = inbound.rate / health.rate if health.rate else 0.0
    print(f"messages/s over healthz/s: {ratio:.2f} ({1 / ratio if ratio else 0:.1f}x the cost of a bare request)")
    print(f"replies at the fake Twilio: {replies} for {args.messages} new messages "
          f"(duplicates answered: {replies - args.messages}); outbox rows added: {rows}, by status: {statuses}")


if __name__ == "__main__":
    main()
