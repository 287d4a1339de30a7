"""The operator's commands: `flask --app app COMMAND` (names and meanings: shared/docs/contract.md)."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from flask import Flask
from sqlalchemy import func, select

from bot.runtime import Runtime
from models import Family
from models.schema import migrate
from web import runtime


def prepare_database(rt: Runtime, seed_when_empty: bool = False) -> None:
    """Create or migrate the schema; load the demo branch into an empty database if asked."""
    migrate(rt.engine)
    if seed_when_empty:
        with rt.sessions.begin() as session:
            empty = session.execute(select(func.count(Family.id))).scalar_one() == 0
        if empty:
            from models.demo import seed_demo

            with rt.sessions.begin() as session:
                summary = seed_demo(session, rt.clock.now().date())
            click.echo(f"Loaded the demo branch: {summary}")


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or migrate the schema (Alembic)."""
        migrate(runtime().engine)
        click.echo(f"Database ready: {runtime().engine.url.render_as_string(hide_password=True)}")

    @app.cli.command("import")
    @click.argument("kind", type=click.Choice(["members", "payments", "cadres", "assignments"]))
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_command(kind: str, path: str) -> None:
        """Load a CSV file: members, payments, cadres or assignments."""
        from models.imports import import_file

        rt = runtime()
        migrate(rt.engine)
        report = import_file(rt.sessions, kind, path, today=rt.clock.now().date(),
                             progress=sys.stderr.isatty(), rules=rt.services["rules"])
        click.echo(report.summary())
        for line, reason in report.rejected:
            click.echo(f"  line {line}: {reason}")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load the demo branch (families in Surakarta, Samarinda and Jayapura, cadres, payments)."""
        from models.demo import seed_demo

        rt = runtime()
        migrate(rt.engine)
        with rt.sessions.begin() as session:
            summary = seed_demo(session, rt.clock.now().date())
        click.echo(f"Loaded the demo branch: {summary}")

    @app.cli.command("scheduler")
    def scheduler_command() -> None:
        """Run the reminder scheduler and the outbox sender until stopped."""
        from reminders.scheduler import run_forever

        run_forever(runtime())

    @app.cli.command("telegram-poll")
    def telegram_poll_command() -> None:
        """Answer Telegram by long polling (getUpdates) instead of the webhook: no public URL needed."""
        from bot.channels.telegram import poll_forever

        rt = runtime()
        migrate(rt.engine)
        click.echo("Polling Telegram for updates (the webhook is removed while polling); Ctrl-C stops.")
        poll_forever(rt)

    @app.cli.command("remind")
    @click.option("--at", "at", default=None, help="ISO 8601 moment to plan for (default: now)")
    @click.option("--dry-run", is_flag=True, help="plan and count, send nothing")
    def remind_command(at: str | None, dry_run: bool) -> None:
        """One pass: plan the reminders due at that moment and send those inside their window."""
        from reminders.scheduler import remind_once

        moment = datetime.fromisoformat(at) if at else None
        click.echo(remind_once(runtime(), moment, dry_run=dry_run))
