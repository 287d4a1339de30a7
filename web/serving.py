"""`make run`'s server: gunicorn with threaded workers, started from Python, and the scheduler beside it.

Why gunicorn's `gthread` workers and not the development server or sync workers: a sync worker is held
for as long as its client takes to send a request, so two clients sending one byte a second stopped a
two-worker service (/healthz took 18 s). A gthread worker only hands a connection to a thread once data
is there, and defers a client that stalls, so slow clients cost a socket, not the service.

Workers load the app after the fork (no preload): database connections, the Telegram adapter's loop
thread and any background threads are made in the process that uses them. The scheduler runs as its own
process (`flask --app app scheduler`) rather than as a thread in gunicorn's master, since the master forks
a new worker whenever one dies, and forking a process with running threads can copy a held lock.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
THREADS = 8


def gunicorn_options(host: str, port: int, workers: int = WORKERS, threads: int = THREADS) -> dict[str, Any]:
    """The production settings `make run` uses; the README's gunicorn line says the same."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,  # a worker that stops answering its master for a minute is replaced
        "graceful_timeout": 5,  # Ctrl-C / SIGTERM: requests in flight get 5 s, then everything stops
        "keepalive": 5,
        "accesslog": "-",  # URLs carry no secret (the web chat's chat lives in its cookie)
        "preload_app": False,
    }


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn run from Python: `load` builds the app in each worker."""

    def __init__(self, load: Callable[[], Flask], options: dict[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        """gunicorn's settings from the options given."""
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The app, built in each worker."""
        return self._load()


def start_scheduler_process() -> subprocess.Popen[bytes]:
    """`flask --app app scheduler` beside the server: the same settings, read from the same environment."""
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler"], cwd=ROOT)


def serve(load: Callable[[], Flask], host: str, port: int) -> None:
    """Serve until Ctrl-C or SIGTERM, with the scheduler running; either signal stops both."""
    scheduler = start_scheduler_process()
    try:
        Server(load, gunicorn_options(host, port)).run()
    finally:
        # Ctrl-C in a terminal reaches the scheduler too (same process group); SIGTERM to us alone does not.
        if scheduler.poll() is None:
            scheduler.send_signal(signal.SIGTERM)
        try:
            scheduler.wait(10)
        except subprocess.TimeoutExpired:
            scheduler.kill()
