"""GET /healthz: 200 when the database answers, 503 otherwise (for load balancers and monitors)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from web import runtime

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    rt = runtime()
    try:
        with rt.reading() as session:
            session.execute(text("SELECT 1"))
    except Exception as error:  # any database failure means "not ready"
        return jsonify(status="unavailable", database=type(error).__name__), 503
    return jsonify(status="ok", database=rt.engine.dialect.name, channels=sorted(rt.sender.channels))
