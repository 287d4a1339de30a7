"""Provider webhooks: Telegram and WhatsApp (Twilio). Wrong signature: 403 and nothing stored."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("webhooks", __name__, url_prefix="/webhooks")
