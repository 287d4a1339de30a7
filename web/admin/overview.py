"""Ringkasan: the programme's figures for a chosen month and the year to date, each with a 12-month chart."""

from __future__ import annotations

from datetime import date

from flask import abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from web import runtime
from web.admin.cadres import chart_scope
from web.admin.core import blueprint, figure_scope, require_role, t
from web.admin.figures import overview as overview_figures
from web.admin.figures import series, this_month
from web.admin.nav import ALL_ROLES

# The charts: which figures each draws (the names of models/figures.py, plus reporting and complaints).
CHARTS = {
    "active": ("reporting",),
    "households": ("households",),
    "money": ("collected", "payments_amount"),
    "families": ("families_reached", "paid_after_visit"),
    "rehab": ("rehab_opened", "rehab_running", "rehab_completed", "rehab_overdue"),
    "reminders": ("reminders_sent", "reminders_delivered", "reminders_read", "reminders_failed"),
    "complaints": ("complaints_open", "complaints_closed"),
}


def chosen_month() -> date:
    """?bulan=YYYY-MM, else the branch's current month (a month that cannot be read is a 400)."""
    value = request.args.get("bulan", "")
    if not value:
        return this_month(runtime().clock.now())
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        abort(400, "bulan=YYYY-MM")


@blueprint.get("/")
@require_role(*ALL_ROLES)
def overview() -> ResponseReturnValue:
    """The month's figures and the year to date, for the branch (a supervisor: their team)."""
    rt = runtime()
    month = chosen_month()
    rules = rt.services["rules"]
    chosen, year = overview_figures(rt.sessions, month, figure_scope(), rules, rt.clock.now())
    return render_template("admin/overview.html", active="overview", month=month, spans=(chosen, year),
                           rules_visits=rules.cadre_period_visits, rules_months=rules.cadre_period_months,
                           rules_collection=rules.cadre_monthly_collection)


@blueprint.get("/data/<chart>.json")
@require_role(*ALL_ROLES)
def chart_data(chart: str) -> ResponseReturnValue:
    """One chart's 12 months: {"labels": ["2025-01", ...], "series": [{"label", "values"}]}."""
    figures = CHARTS.get(chart)
    if figures is None:
        abort(404)
    rt = runtime()
    scope = chart_scope(request.args.get("kader")) if request.args.get("kader") else figure_scope()
    months, values = series(rt.sessions, chosen_month(), figures, scope, rt.clock.now())
    return jsonify(labels=[f"{m:%Y-%m}" for m in months],
                   series=[{"label": t(f"fig.{name}"), "values": values[name]} for name in figures])
