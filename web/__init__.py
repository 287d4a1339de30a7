"""The Flask edge: webhooks, the web chat, the dashboard and the CLI. Each request owns its session."""

from __future__ import annotations

from flask import current_app

from bot.runtime import Runtime


def runtime() -> Runtime:
    """The service's runtime (settings, rules, session factory) that app.py stored on the Flask app."""
    found: Runtime = current_app.extensions["kaderbot"]
    return found
