"""The Flask edge: webhooks, the web chat, the dashboard and the CLI. Each request owns its session.

webhooks: Telegram and WhatsApp (signatures checked); webchat: the chat at `/`; health: /healthz; edge:
body limits and security headers for every request; cli: the operator's commands; serving: gunicorn and the
scheduler for `make run`; admin/: the branch dashboard at /admin.
"""

from __future__ import annotations

from flask import current_app

from bot.runtime import Runtime


def runtime() -> Runtime:
    """The service's runtime (settings, rules, session factory) that app.py stored on the Flask app."""
    found: Runtime = current_app.extensions["kaderbot"]
    return found
