"""Ringkasan: the programme's figures for a month and the year to date (filled in by the figures module)."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from web.admin.core import blueprint, require_role
from web.admin.nav import ALL_ROLES


@blueprint.get("/")
@require_role(*ALL_ROLES)
def overview() -> ResponseReturnValue:
    """The overview page."""
    return render_template("admin/overview.html", active="overview")
