"""KaderBot JKN: the application factory, and `python app.py` (what `make run` starts).

Everything is wired here and nowhere else: settings -> database -> channels -> sender -> handlers -> web.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from bot.channels import OutboundChannel
from bot.channels.web import WebChannel
from bot.clock import Clock
from bot.runtime import Runtime
from bot.sender import Sender
from bot.settings import Settings
from models.arrears import load_rules
from models.db import make_engine, make_reader_factory, make_session_factory


def build_runtime(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings.from_env()
    import handlers

    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    clock = Clock(settings.frozen_now)
    channels: dict[str, OutboundChannel] = {"web": WebChannel()}
    if settings.telegram_enabled:
        from bot.channels.telegram import TelegramChannel

        channels["telegram"] = TelegramChannel(settings)
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp import WhatsAppChannel

        channels["whatsapp"] = WhatsAppChannel(settings)
    services: dict[str, Any] = {"settings": settings,
                                "rules": load_rules(settings.instance_path / "rules.json")}
    return Runtime(settings=settings, clock=clock, engine=engine, sessions=sessions,
                   readers=make_reader_factory(engine),
                   sender=Sender(sessions, channels, clock), handle=handlers.handle, services=services)


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    runtime = runtime or build_runtime(settings)
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config["SECRET_KEY"] = runtime.settings.secret_key
    app.extensions["kaderbot"] = runtime

    from web import cli, health, webchat, webhooks

    app.register_blueprint(health.blueprint)
    app.register_blueprint(webhooks.blueprint)
    app.register_blueprint(webchat.blueprint)
    cli.register(app)
    return app


def main() -> None:
    """`make run`: migrate, load the demo when empty, then serve with the scheduler and sender running."""
    from werkzeug.serving import run_simple

    from reminders.scheduler import start_scheduler
    from web.cli import prepare_database

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app()
    runtime: Runtime = app.extensions["kaderbot"]
    prepare_database(runtime, seed_when_empty=True)
    scheduler = start_scheduler(runtime)
    settings = runtime.settings
    print(f"KaderBot JKN on http://{settings.host}:{settings.port}  (web chat at /, health at /healthz)")
    try:
        run_simple(settings.host, settings.port, app, threaded=True, use_reloader=False)
    finally:
        scheduler.shutdown(wait=False)


if __name__ == "__main__":
    main()
