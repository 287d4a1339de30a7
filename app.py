"""KaderBot JKN: the application factory, and `python app.py` (what `make run` starts).

Everything is wired here and nowhere else: settings -> database -> channels -> sender -> handlers -> web.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask

import handlers
from bot.channels import OutboundChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.web import WebChannel
from bot.channels.whatsapp import WhatsAppChannel
from bot.clock import Clock
from bot.limiter import SendLimiter
from bot.runtime import Runtime
from bot.sender import Sender
from bot.settings import Settings
from models.db import make_engine, make_reader_factory, make_session_factory
from reminders.templates import WhatsAppTemplates
from rules.programme import DEFAULT_RULES, ProgrammeRules
from web import admin, cli, edge, health, webchat, webhooks
from web.admin import first_accounts
from web.cli import connect_telegram, demo_loaded, prepare_database
from web.serving import serve


def load_rules(path: Path) -> ProgrammeRules:
    """The branch's programme rules: a JSON object of overrides; the defaults when the file does not exist."""
    if not path.exists():
        return DEFAULT_RULES
    overrides = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(overrides, dict):
        raise ValueError(f"{path}: expected a JSON object of rule overrides")
    return ProgrammeRules.from_mapping(overrides)


def build_runtime(settings: Settings | None = None) -> Runtime:
    """Wire the service's parts from the settings (the environment's when none are given)."""
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    clock = Clock(settings.frozen_now)
    channels: dict[str, OutboundChannel] = {"web": WebChannel()}
    if settings.telegram_enabled:
        channels["telegram"] = TelegramChannel(settings)
    if settings.whatsapp_enabled:
        channels["whatsapp"] = WhatsAppChannel(settings, connections=settings.send_concurrency)
    services: dict[str, Any] = {"settings": settings,
                                "rules": load_rules(settings.instance_path / "rules.json"),
                                "templates": load_templates(settings.instance_path / "whatsapp_templates.json")}
    return Runtime(settings=settings, clock=clock, engine=engine, sessions=sessions,
                   readers=make_reader_factory(engine),
                   sender=Sender(sessions, channels, clock, send_limiter(settings, channels),
                                 concurrency=settings.send_concurrency),
                   handle=handlers.handle, services=services)


def send_limiter(settings: Settings, channels: Mapping[str, OutboundChannel]) -> SendLimiter | None:
    """Each channel's limit for one sender identity (the bot, the WhatsApp number), and Telegram's per chat."""
    limits = settings.send_limits
    senders = {"telegram": (settings.telegram_bot_token or "").split(":")[0],
               "whatsapp": settings.twilio_whatsapp_from or ""}
    limiter = SendLimiter({name: limits.get(name) for name in channels},
                          per_chat={"telegram": limits.get("telegram_chat")}, senders=senders,
                          storage_url=settings.rate_limit_storage_url)
    return limiter if limiter.active else None


def load_templates(path: Path) -> WhatsAppTemplates:
    """The approved WhatsApp templates per reminder kind (ContentSid and variables); none when no file."""
    if not path.exists():
        return WhatsAppTemplates({})
    return WhatsAppTemplates.from_mapping(json.loads(path.read_text(encoding="utf-8")))


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    """The Flask app (what gunicorn serves): the runtime built from the settings unless one is given."""
    runtime = runtime or build_runtime(settings)
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config["SECRET_KEY"] = runtime.settings.secret_key
    app.config["WEBCHAT"] = runtime.settings.webchat or "off"  # `make run` decides "demo" before this
    app.extensions["kaderbot"] = runtime

    edge.install(app, runtime.settings)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(webhooks.blueprint)
    app.register_blueprint(webchat.blueprint)
    admin.register(app)
    cli.register(app)
    if runtime.settings.admin_username:  # gunicorn deployments start here: the first admin, if none yet
        admin.create_first_admin(runtime)
    return app


def main() -> None:
    """`make run`: migrate, load the demo when empty, connect Telegram, then serve (gunicorn) with the scheduler.

    The web chat is `demo` here when the database holds the demo branch and WEBCHAT is unset; everywhere
    else (gunicorn on `app:create_app()`, the CLI) an unset WEBCHAT means off.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore"):  # a line per Bot API call, with its URL: only trouble is worth showing
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = Settings.from_env()
    runtime = build_runtime(settings)
    prepare_database(runtime, seed_when_empty=True)
    demo = demo_loaded(runtime)
    webchat = settings.webchat or ("demo" if demo else "off")
    for line in first_accounts(runtime, demo):
        print(line, flush=True)
    connect_telegram(runtime)
    close_runtime(runtime)  # gunicorn forks its workers next: no connection or thread may cross the fork
    serving = replace(settings, webchat=webchat)
    print(f"KaderBot JKN on http://{settings.host}:{settings.port}  (health at /healthz; web chat at /: "
          f"WEBCHAT={webchat}; dashboard at /admin)", flush=True)
    serve(lambda: create_app(serving), settings.host, settings.port)


def close_runtime(runtime: Runtime) -> None:
    """Channels' threads and connections, then the database pool: nothing of them may cross a fork."""
    for channel in runtime.sender.channels.values():
        close = getattr(channel, "close", None)
        if close is not None:
            close()
    runtime.engine.dispose()


if __name__ == "__main__":
    main()
