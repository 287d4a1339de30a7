"""The Impor/Ekspor page: upload the branch's CSV files (imported in the background, progress polled as
JSON, the CLI's line-level report at the end) and download CSVs ready for Excel.

Uploads may be large (a branch's members file is tens of megabytes), so the upload route alone lifts the
service's body limit (web/edge.py) to MAX_UPLOAD; the file goes to disk as it arrives, never into memory.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue

from ingest.source import KINDS
from models import ImportJob
from web import runtime
from web.admin import operations_exports as exports
from web.admin import operations_imports as imports
from web.admin.core import blueprint, current_account, db, figure_scope, require_role, t
from web.admin.nav import ALL_ROLES, STAFF
from web.admin.operations_pages import actor, branch_today, chosen_month, current_scope

MAX_UPLOAD = 512 * 1024 * 1024  # a million members is about 150 MB of CSV


@blueprint.record_once
def lift_upload_limit(state: BlueprintSetupState) -> None:
    """The upload route's own body limit (web/edge.py reads UPLOAD_LIMITS by endpoint)."""
    state.app.config.setdefault("UPLOAD_LIMITS", {})["admin.upload_import"] = MAX_UPLOAD


@blueprint.get("/impor")
@require_role(*ALL_ROLES)
def imports_page() -> ResponseReturnValue:
    """The upload form and recent imports (admins), and the exports: lists for staff within their scope,
    the programme's figures for everyone."""
    today = branch_today()
    return render_template("admin/imports.html", active="imports", kinds=KINDS, jobs=imports.recent_jobs(db()),
                           today=today, month_start=today.replace(day=1), year=today.year)


@blueprint.post("/impor")
@require_role("admin")
def upload_import() -> ResponseReturnValue:
    """Save the upload and start importing it; the job's page shows the progress."""
    rt = runtime()
    upload = request.files.get("file")
    kind = request.form.get("kind", "")
    if upload is None or not upload.filename:
        flash(t("imports.no_file"))
        return redirect(url_for("admin.imports_page"))
    try:
        started = imports.start_import(rt.sessions, rt.settings.instance_path / "uploads", kind, upload.filename,
                                       upload.stream, actor=actor(), now=rt.clock.now(), today=branch_today(),
                                       rules=rt.services.rules, clock=rt.clock.now)
    except imports.UploadError as problem:
        flash(str(problem))
        return redirect(url_for("admin.imports_page"))
    return redirect(url_for("admin.import_job", job_id=started.job_id))


def _job(job_id: int) -> ImportJob:
    job = db().get(ImportJob, job_id)
    if job is None:
        abort(404)
    return job


@blueprint.get("/impor/<int:job_id>")
@require_role("admin")
def import_job(job_id: int) -> ResponseReturnValue:
    """One import: its progress bar (the page's script polls the JSON) and, when done, the report."""
    job = _job(job_id)
    return render_template("admin/import_job.html", active="imports", job=job, state=imports.job_state(job))


@blueprint.get("/impor/<int:job_id>.json")
@require_role("admin")
def import_job_state(job_id: int) -> ResponseReturnValue:
    """What the progress bar polls."""
    return jsonify(imports.job_state(_job(job_id)))


@blueprint.get("/impor/<int:job_id>/laporan.txt")
@require_role("admin")
def import_report(job_id: int) -> ResponseReturnValue:
    """The report as the CLI prints it."""
    job = _job(job_id)
    return Response(imports.report_text(job), mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="impor-{job.id}.txt"'})


def _day(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return default


@blueprint.get("/ekspor/<name>.csv")
@require_role(*ALL_ROLES)
def export_csv(name: str) -> ResponseReturnValue:
    """A CSV download: the programme's figures (every role), reports, collections, rehab (staff);
    `?sep=semicolon` for Excel in Indonesia."""
    scope = current_scope()
    today = branch_today()
    account = current_account()
    if name != "angka" and (account is None or account.role not in STAFF):
        abort(403)
    if name == "angka":
        rt = runtime()
        month = chosen_month(request.args.get("month"), today)
        table = exports.programme_figures(rt.sessions, figure_scope(), month, rt.services.rules,
                                          rt.clock.now())
    elif name == "laporan":
        first = _day("from", today.replace(day=1))
        last = min(_day("to", today), first + timedelta(days=366))
        table = exports.visit_reports(db(), scope, first, last)
    elif name == "setoran":
        year = request.args.get("year", "")
        rt = runtime()
        table = exports.collections_per_cadre(rt.sessions, scope, int(year) if year.isdigit() else today.year,
                                              rt.services.rules, rt.clock.now())
    elif name == "rehab":
        table = exports.rehab_plans(db(), scope, today)
    else:
        abort(404)
    separator = exports.SEPARATORS.get(request.args.get("sep", "comma"), ",")
    return Response(exports.to_csv(table, separator), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{table.filename}"'})
