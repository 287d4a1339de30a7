"""The Flask edge: webhooks, the web chat, the dashboard and the CLI. Each request owns its session."""

from __future__ import annotations

from flask import current_app

from bot.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["kaderbot"]
