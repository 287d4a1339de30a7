"""`make run`'s server on real loopback sockets: `python app.py` as a newcomer starts it.

Two clients sending a byte every half second must not hold it (/healthz stays fast), bodies too large or of
unknown size get 413 before they are read, the demo branch opens the web chat as `demo`, the scheduler runs
beside the workers, and Ctrl-C stops every process. Takes a few seconds (the server starts once).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROVIDERS = ("DATABASE_URL", "WEBCHAT", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TWILIO_ACCOUNT_SID",
             "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "PUBLIC_BASE_URL", "SECRET_KEY", "HOST", "PORT")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(port: int, method: str, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def group_processes(group: int) -> list[str]:
    """The command lines of every live process in a process group (what Ctrl-C in a terminal reaches)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == group:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to see the server's processes")
    instance = tmp_path_factory.mktemp("served")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in PROVIDERS}
    env.update(KADERBOT_INSTANCE=str(instance), HOST="127.0.0.1", PORT=str(port))
    with open(instance / "output.log", "wb") as output:
        process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("make run did not start:\n" + (instance / "output.log").read_text())
            time.sleep(0.2)
        yield port, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def trickle(port: int, data: bytes, stop: threading.Event) -> None:
    """A client sending one byte every half second (slower than any real client, faster than a timeout)."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        for byte in data:
            if stop.wait(0.5):
                return
            client.send(bytes([byte]))


def test_two_slow_clients_do_not_hold_the_server(served):
    port, _ = served
    stop = threading.Event()
    slow_headers = b"POST /webhooks/whatsapp HTTP/1.1\r\nHost: kaderbot\r\nContent-Length: 5\r\n\r\nhello"
    slow_body = b"x" * 200
    started = [threading.Thread(target=trickle, args=(port, slow_headers, stop), daemon=True),
               threading.Thread(target=trickle, daemon=True, args=(port, b"POST /chat/messages HTTP/1.1\r\n"
                                b"Host: kaderbot\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                                + slow_body, stop))]
    for thread in started:
        thread.start()
    try:
        time.sleep(1.0)  # both are now mid-request
        timings = []
        for _ in range(10):
            began = time.perf_counter()
            assert request(port, "GET", "/healthz")[0] == 200
            timings.append(time.perf_counter() - began)
    finally:
        stop.set()
    print(f"/healthz beside two 2-byte/s clients: median {sorted(timings)[5] * 1000:.1f} ms, "
          f"max {max(timings) * 1000:.1f} ms")
    assert max(timings) < 5.0, timings  # sync workers took 18 s here; a loaded machine may take 1-2


def test_a_chunked_or_oversized_body_is_refused_before_it_is_sent(served):
    port, _ = served
    heads = [b"POST /webhooks/telegram HTTP/1.1\r\nHost: kaderbot\r\nContent-Type: application/json\r\n"
             b"Transfer-Encoding: chunked\r\n\r\n1000\r\n" + b"[" * 4096,
             b"POST /chat/messages HTTP/1.1\r\nHost: kaderbot\r\nContent-Type: application/json\r\n"
             b"Content-Length: 300000000\r\n\r\n"]
    for head in heads:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(head)  # and never the other 300 MB
            status_line = client.recv(4096).split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 413"), status_line


def test_make_run_on_the_demo_branch_serves_the_web_chat_as_demo(served):
    port, _ = served
    status, body = request(port, "GET", "/chat/personas")
    assert status == 200 and b'"mode":"demo"' in body.replace(b" ", b"")


def test_ctrl_c_stops_the_workers_and_the_scheduler(served):
    port, process = served
    processes = group_processes(process.pid)
    assert any("scheduler" in line for line in processes), processes
    assert len([line for line in processes if "app.py" in line]) == 3, processes  # gunicorn's master, 2 workers
    os.killpg(process.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole foreground group
    process.wait(20)
    deadline = time.monotonic() + 10
    while group_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_processes(process.pid) == []
