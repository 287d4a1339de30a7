"""Menu entries whose pages are not built yet answer with a short notice, not a 404."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from web.admin.core import blueprint, require_role
from web.admin.nav import STAFF

PENDING = {"rehab": "/rehab", "tickets": "/tiket", "broadcasts": "/siaran", "imports": "/impor"}


def _pending(key: str) -> ResponseReturnValue:
    return render_template("admin/pending.html", page=key)


for _key, _path in PENDING.items():
    blueprint.add_url_rule(_path, endpoint=f"pending_{_key}",
                           view_func=require_role(*STAFF)(lambda key=_key: _pending(key)))
