"""The provider libraries alone: CPU per message sent, the floor under any sender built on them.

    .venv/bin/python bench/provider_clients.py [--messages 4000] [--in-flight 16]

Sends `--messages` messages to each fake provider (each in its own process, on loopback) with nothing else
in this process: no database, no outbox, no sender. python-telegram-bot's `Bot.send_message` runs on one
event loop, `--in-flight` at a time; twilio's `messages.create` runs on `--in-flight` threads over the
sender's own pooled client (bot/channels/whatsapp.py). Prints each library's rate and its CPU time per
message (this process only). A sender's CPU per message (README: Sending) can be set against these.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

import telegram  # noqa: E402
from twilio.rest import Client  # noqa: E402

from bench.reminders import TELEGRAM_TOKEN, start_fake  # noqa: E402
from bot.channels.whatsapp import PooledHttpClient  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_FROM  # noqa: E402

TEXT = "Iuran JKN keluarga 3372********0001 belum dibayar: Rp105.000. Bayar ke VA 8888..."
WARM_UP = 200  # first connections and first-call costs, not counted


def report(library: str, messages: int, wall: float, cpu: float) -> None:
    """One line: the rate, and this process's CPU time per message."""
    print(f"{library:22s} {messages:,} messages in {wall:5.2f} s = {messages / wall:5.0f}/s; "
          f"CPU {1000 * cpu / messages:.2f} ms a message")


def telegram_alone(url: str, messages: int, in_flight: int) -> None:
    """sendMessage through one initialised Bot, `in_flight` at a time on one event loop."""
    async def run() -> None:
        bot = telegram.Bot(TELEGRAM_TOKEN, base_url=f"{url}/bot")
        await bot.initialize()
        gate = asyncio.Semaphore(in_flight)

        async def one(number: int) -> None:
            async with gate:
                await bot.send_message(chat_id=1000 + number % 500, text=TEXT)

        await asyncio.gather(*(one(number) for number in range(WARM_UP)))
        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(number) for number in range(messages)))
        report("python-telegram-bot", messages, time.perf_counter() - wall, time.process_time() - cpu)
        await bot.shutdown()

    asyncio.run(run())


def twilio_alone(url: str, messages: int, in_flight: int) -> None:
    """messages.create through the sender's pooled client, on `in_flight` threads."""
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=PooledHttpClient(url, connections=in_flight))

    def one(number: int) -> None:
        client.messages.create(from_=f"whatsapp:{SANDBOX_FROM}", to=f"whatsapp:+62812{number % 500:07d}", body=TEXT)

    with ThreadPoolExecutor(in_flight) as pool:
        list(pool.map(one, range(WARM_UP)))
        wall, cpu = time.perf_counter(), time.process_time()
        list(pool.map(one, range(messages)))
        report("twilio", messages, time.perf_counter() - wall, time.process_time() - cpu)


def main() -> None:
    """Parse the command line, then time each library against its fake."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--in-flight", type=int, default=16)
    args = parser.parse_args()
    for module, alone in (("tests.fakes.telegram_api", telegram_alone), ("tests.fakes.twilio_api", twilio_alone)):
        fake, url = start_fake(module)
        try:
            alone(url, args.messages, args.in_flight)
        finally:
            fake.terminate()


if __name__ == "__main__":
    main()
