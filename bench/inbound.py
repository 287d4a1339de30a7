"""Inbound messages under gunicorn: acknowledgements per second, and end to end (webhook in -> reply at the
fake provider), each next to the same server's bare /healthz in the same run.

    .venv/bin/python bench/inbound.py [-n 2000] [--rate 100] [--paced 10] [--clients 8] [--workers 2]
                                      [--threads 8] [--channels whatsapp,telegram] [--database-url URL]
                                      [--dedicated N [--nice 10] [--acks-alone]]

For each channel (WhatsApp: signed Twilio forms; Telegram: JSON updates with the secret header) and each
database (a fresh SQLite file; PostgreSQL too with --database-url or TEST_DATABASE_URL), it starts the
provider's fake in its own process and `gunicorn app:create_app()` as `make run` does (gthread), whose
workers answer in the background (BACKGROUND_WORK=1). Then:

1. bare: `-n` GET /healthz from `--clients` clients;
2. burst: `-n` webhooks as fast as the clients go: the acknowledgement rate and latency, and the end-to-end
   rate (messages over the time from the first post to the last reply arriving at the fake);
3. paced: `--rate` webhooks a second for `--paced` seconds, open loop: reply latency p50/p99 (post sent ->
   reply received by the fake, matched per chat in order).

`--dedicated N` answers in N `flask --app app worker` processes (niced) instead of in gunicorn's workers
(BACKGROUND_WORK=0 there); with `--acks-alone` they are paused (SIGSTOP) during the burst, which measures the
path in with nothing else running: the ceiling of the acknowledgement rate on this machine.
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
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sqlalchemy import text  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from models.db import make_engine  # noqa: E402
from models.schema import migrate  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM  # noqa: E402

BODIES = ("MENU", "BANTUAN", "HALO")  # what people type most; each gets exactly one reply
WARM_UP = 50
SENDERS = 200  # distinct chats: mostly different chats, some on the same chat at once
TELEGRAM_TOKEN = "123456:TEST-token"  # the fake Bot API's
TELEGRAM_SECRET = "bench-secret"

Request = tuple[str, str, bytes, dict[str, str], str]  # method, path, body, headers, recipient


@dataclass
class Run:
    """One phase: when each request went and how long it took, and what failed."""

    latencies: list[float] = field(default_factory=list)
    sent: list[tuple[str, float]] = field(default_factory=list)  # (recipient, wall-clock time posted)
    failures: dict[str, int] = field(default_factory=dict)
    started: float = 0.0  # wall clock
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0.99: the 99th percentile), in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


def one(port: int, request: Request, run: Run, lock: threading.Lock) -> None:
    """Post one request on a fresh connection; record when it went, how long it took, or why it failed."""
    method, path, body, headers, recipient = request
    posted = time.time()
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        outcome = "" if response.status == 200 else f"HTTP {response.status}"
    except OSError as error:
        outcome = type(error).__name__
    elapsed = time.perf_counter() - started
    with lock:
        if outcome:
            run.failures[outcome] = run.failures.get(outcome, 0) + 1
        else:
            run.latencies.append(elapsed)
            run.sent.append((recipient, posted))


def burst(port: int, requests: list[Request], clients: int) -> Run:
    """Closed loop: `clients` threads, each posting its next request as soon as the last is answered."""
    run, lock, cursor = Run(), threading.Lock(), itertools.count()

    def client() -> None:
        while (index := next(cursor)) < len(requests):
            one(port, requests[index], run, lock)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    run.started = time.time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def paced(port: int, requests: list[Request], rate: float) -> Run:
    """Open loop: request i goes at i / rate seconds, whatever the server's pace."""
    run, lock = Run(), threading.Lock()
    run.started = time.time()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for index, request in enumerate(requests):
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, port, request, run, lock)
    run.seconds = time.perf_counter() - started
    return run


def whatsapp_requests(count: int, public: str, salt: str, senders: int = SENDERS) -> list[Request]:
    """Signed inbound WhatsApp forms, as Twilio posts them, each with its own MessageSid."""
    validator = RequestValidator(AUTH_TOKEN)
    url = public + "/webhooks/whatsapp"
    requests: list[Request] = []
    for number in range(count):
        sid = f"SM{salt}{number:024x}"
        phone = f"+62812{number % senders:07d}"
        form = {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": f"Peserta {number % senders}",
                "MessageType": "text", "SmsSid": sid, "WaId": phone[1:], "SmsStatus": "received",
                "Body": BODIES[number % len(BODIES)], "To": SANDBOX_FROM, "NumSegments": "1",
                "ReferralNumMedia": "0", "MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{phone}",
                "ApiVersion": "2010-04-01"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": validator.compute_signature(url, form)}
        requests.append(("POST", "/webhooks/whatsapp", urlencode(form).encode(), headers, f"whatsapp:{phone}"))
    return requests


def telegram_requests(count: int, first_update: int, senders: int = SENDERS) -> list[Request]:
    """Telegram Updates with the webhook secret, each with its own update_id."""
    requests: list[Request] = []
    for number in range(count):
        chat = 700_000_000 + number % senders
        update = {"update_id": first_update + number,
                  "message": {"message_id": number + 1, "date": 1748829600, "text": BODIES[number % len(BODIES)],
                              "from": {"id": chat, "is_bot": False, "first_name": "Peserta", "language_code": "id"},
                              "chat": {"id": chat, "first_name": "Peserta", "type": "private"}}}
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
        requests.append(("POST", "/webhooks/telegram", json.dumps(update).encode(), headers, str(chat)))
    return requests


def healthz(count: int) -> list[Request]:
    """Bare health checks: the same server's baseline."""
    return [("GET", "/healthz", b"", {}, "")] * count


def arrivals(fake_url: str) -> list[tuple[str, float]]:
    """(recipient, wall-clock time) of every message the fake received."""
    with urlopen(fake_url + "/_fake/arrivals", timeout=30) as response:  # noqa: S310 (loopback, our own fake)
        return [(str(to), float(at)) for to, at in json.load(response)["arrivals"]]


def wait_for_replies(fake_url: str, count: int, seconds: float = 300) -> list[tuple[str, float]]:
    """The fake's arrivals once there are `count` (or after `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        found = arrivals(fake_url)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def reply_latencies(run: Run, replies: list[tuple[str, float]]) -> list[float]:
    """Per chat, the k-th reply answers the k-th message (each chat's order is kept)."""
    waiting: dict[str, deque[float]] = defaultdict(deque)
    for recipient, posted in sorted(run.sent, key=lambda pair: pair[1]):
        waiting[recipient].append(posted)
    latencies = []
    for recipient, at in sorted(replies, key=lambda pair: pair[1]):
        if waiting[recipient]:
            latencies.append(at - waiting[recipient].popleft())
    return latencies


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    """Wait for `check`, or stop the benchmark saying what did not come up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up within {seconds:.0f} s")


def answers(port: int) -> bool:
    """Whether the server answers /healthz."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    connection.request("GET", "/healthz")
    ok = connection.getresponse().status == 200
    connection.close()
    return ok


def measure(channel: str, database_url: str, args: argparse.Namespace, tmp: str) -> dict[str, float]:
    """One server, one channel, one database: the three phases."""
    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()
    fake_module = "twilio_api" if channel == "whatsapp" else "telegram_api"
    fake = subprocess.Popen([sys.executable, "-c", f"from tests.fakes.{fake_module} import main; main()"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert fake.stdout is not None
    fake_url = fake.stdout.readline().strip()
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "KADERBOT_INSTANCE": tmp, "SECRET_KEY": "bench",
           "PUBLIC_BASE_URL": public, "BACKGROUND_WORK": "1", "SEND_LIMIT_WHATSAPP": "off",
           "SEND_LIMIT_TELEGRAM": "off", "SEND_LIMIT_TELEGRAM_CHAT": "off"}
    for name in ("TELEGRAM_BOT_TOKEN", "TWILIO_ACCOUNT_SID", "KADERBOT_NOW", "WEBCHAT"):
        env.pop(name, None)
    if channel == "whatsapp":
        env.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_WHATSAPP_FROM=SANDBOX_FROM,
                   TWILIO_API_URL=fake_url)
    else:
        env.update(TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN, TELEGRAM_API_URL=fake_url,
                   TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET)
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers), "--threads",
               str(args.threads), "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "--backlog", "2048", "app:create_app()"]
    if args.dedicated:  # answering in processes of their own, niced, so the path in goes first
        env["BACKGROUND_WORK"] = "0"
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    workers = [subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "app", "worker"], cwd=ROOT,
                                env=env, preexec_fn=lambda: os.nice(args.nice))  # noqa: PLW1509
               for _ in range(args.dedicated)]
    salt = secrets.token_hex(2)
    first_update = int.from_bytes(secrets.token_bytes(3), "big") * 1000

    def requests(count: int, offset: int, senders: int = SENDERS) -> list[Request]:
        if channel == "whatsapp":
            return whatsapp_requests(count, public, f"{salt}{offset:02x}", senders)
        return telegram_requests(count, first_update + offset * 100_000, senders)

    try:
        wait_until(lambda: answers(port), 60, "gunicorn")
        burst(port, healthz(200), args.clients)
        burst(port, requests(WARM_UP, 1), args.clients)
        wait_for_replies(fake_url, WARM_UP, 60)
        bare = burst(port, healthz(args.messages), args.clients)

        before = len(arrivals(fake_url))
        for worker in workers if args.acks_alone else ():
            worker.send_signal(signal.SIGSTOP)  # the path in alone: nothing answers until the burst is in
        acks = burst(port, requests(args.messages, 2), args.clients)
        for worker in workers if args.acks_alone else ():
            worker.send_signal(signal.SIGCONT)
        replies = wait_for_replies(fake_url, before + len(acks.latencies))
        last_reply = max(at for _to, at in replies[before:]) if len(replies) > before else float("nan")
        end_to_end = len(replies[before:]) / (last_reply - acks.started)

        before = len(replies)
        count = int(args.rate * args.paced)
        steady = paced(port, requests(count, 3, senders=max(int(args.rate * 2), 1)), args.rate)
        replies = wait_for_replies(fake_url, before + len(steady.latencies))
        latencies = reply_latencies(steady, replies[before:])
    finally:
        for process in (server, *workers):
            process.send_signal(signal.SIGTERM)
        for process in (server, *workers):
            process.wait(30)
        fake.terminate()
        fake.wait(10)
    failures = {**acks.failures, **steady.failures}
    return {"bare": bare.rate, "acks": acks.rate, "ack_p50": percentile(acks.latencies, 0.5),
            "ack_p99": percentile(acks.latencies, 0.99), "e2e": end_to_end,
            "steady_acks": len(steady.latencies), "steady_replies": len(latencies), "sent": count,
            "reply_p50": percentile(latencies, 0.5), "reply_p99": percentile(latencies, 0.99),
            "failures": sum(failures.values())}


def main() -> None:
    """Every channel on every database, one line each."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0, help="messages per second in the paced phase")
    parser.add_argument("--paced", type=float, default=10.0, help="seconds of the paced phase")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients in the bursts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (gthread)")
    parser.add_argument("--channels", default="whatsapp,telegram")
    parser.add_argument("--dedicated", type=int, default=0,
                        help="answer in this many `flask worker` processes (BACKGROUND_WORK=0 in gunicorn)")
    parser.add_argument("--nice", type=int, default=10, help="the dedicated workers' nice increment")
    parser.add_argument("--acks-alone", action="store_true",
                        help="with --dedicated: pause the workers during the burst (the acknowledgement's ceiling)")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="PostgreSQL as well (default: TEST_DATABASE_URL); SQLite always")
    args = parser.parse_args()

    print(f"gunicorn {args.workers}x{args.threads} gthread, background work in each worker, {args.clients} "
          f"clients, {args.messages} messages a burst, paced {args.rate:.0f}/s for {args.paced:.0f} s, "
          f"{os.cpu_count()} CPUs")
    print(f"{'database':<10} {'channel':<9} {'bare/s':>7} {'acks/s':>7} {'ratio':>5} {'ack p50/p99 ms':>15} "
          f"{'e2e/s':>6} {'ratio':>5} {'reply p50/p99 ms at rate':>25} {'replies':>9} {'failed':>6}")
    for database in ["sqlite"] + (["postgresql"] if args.database_url else []):
        for channel in args.channels.split(","):
            with tempfile.TemporaryDirectory(prefix="kaderbot-bench-") as tmp:
                url = f"sqlite:///{tmp}/bench.db" if database == "sqlite" else str(args.database_url)
                if database == "postgresql":
                    reset_postgresql(url)
                got = measure(channel, url, args, tmp)
            if args.acks_alone:  # the workers were paused for part of it: no end-to-end figure
                got["e2e"] = float("nan")
            print(f"{database:<10} {channel:<9} {got['bare']:7.0f} {got['acks']:7.0f} "
                  f"{got['acks'] / got['bare']:5.2f} {got['ack_p50']:7.1f}/{got['ack_p99']:<7.1f} "
                  f"{got['e2e']:6.0f} {got['e2e'] / got['bare']:5.2f} "
                  f"{got['reply_p50']:12.1f}/{got['reply_p99']:<12.1f} "
                  f"{got['steady_replies']:>4}/{got['sent']:<4} {got['failures']:>6}", flush=True)


def reset_postgresql(url: str) -> None:
    """An empty schema, so each run starts from the same tables."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    main()
