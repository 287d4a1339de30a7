"""The operator's commands: `flask --app app COMMAND` (names and meanings: docs/interface.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

import click
from flask import Flask
from sqlalchemy import func, select

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_polling import poll_forever
from bot.runtime import Runtime
from bot.worker import run_forever as run_worker
from bot.worker import start_background
from ingest import import_file
from ingest.demo import demo_personas, seed_demo
from models import Family
from models.accounts import ROLES, AccountError, create_account
from models.schema import migrate
from reminders.broadcasts import REPEATS, BroadcastError, cancel, create, listing, recipients
from reminders.scheduler import cadre_mornings_once, remind_once, run_forever
from reminders.segments import Segment, SegmentError
from web import runtime
from web.admin import create_first_admin


def prepare_database(rt: Runtime, seed_when_empty: bool = False) -> None:
    """Create or migrate the schema; load the demo branch into an empty database if asked."""
    migrate(rt.engine)
    if seed_when_empty:
        with rt.sessions.begin() as session:
            empty = session.execute(select(func.count(Family.id))).scalar_one() == 0
        if empty:
            with rt.sessions.begin() as session:
                summary = seed_demo(session, rt.clock.now().date())
            click.echo(f"Loaded the demo branch: {summary}")


def demo_loaded(rt: Runtime) -> bool:
    """Whether the database holds the demo branch (its personas): `make run` then opens the web chat as `demo`."""
    with rt.reading() as session:
        return bool(demo_personas(session))


def register_telegram_webhook(rt: Runtime) -> str:
    """setWebhook at PUBLIC_BASE_URL/webhooks/telegram with the secret; returns the URL registered."""
    channel = rt.sender.channels.get("telegram")
    if not isinstance(channel, TelegramChannel):
        raise click.ClickException("Telegram is not configured: set TELEGRAM_BOT_TOKEN")
    settings = rt.settings
    if not settings.public_base_url.startswith("https://"):
        raise click.ClickException(
            f"PUBLIC_BASE_URL ({settings.public_base_url}) is not an https:// address, and Telegram calls only "
            "HTTPS webhooks. Set it to the service's public address, or answer by polling: "
            "flask --app app telegram-poll")
    if not settings.telegram_webhook_secret:
        raise click.ClickException("no webhook secret: set TELEGRAM_WEBHOOK_SECRET")
    url = settings.public_base_url + "/webhooks/telegram"
    channel.set_webhook(url, settings.telegram_webhook_secret)
    return url


def connect_telegram(rt: Runtime, echo: Callable[[str], None] = click.echo) -> None:
    """`make run` with a token: register the webhook when Telegram can reach an HTTPS address, else say how
    to poll. The webhook route refuses anything without the secret either way."""
    if not rt.settings.telegram_enabled:
        return
    if not rt.settings.public_base_url.startswith("https://"):
        echo("Telegram: PUBLIC_BASE_URL is not https://, so Telegram cannot call this service. To answer "
             "Telegram, run `.venv/bin/flask --app app telegram-poll` next to `make run`.")
        return
    try:
        url = register_telegram_webhook(rt)
    except Exception as error:  # the Bot API or the network: serve anyway, and say what to run later
        echo(f"Telegram: registering the webhook failed ({error}). Run `.venv/bin/flask --app app "
             "telegram-webhook` once Telegram is reachable, or `telegram-poll`.")
        return
    echo(f"Telegram: webhook registered at {url} (with its secret)")


def register(app: Flask) -> None:
    """Add the operator's commands (init-db, import, seed-demo, scheduler, telegram-*, remind, broadcast)."""
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or migrate the schema (Alembic); the first admin from ADMIN_USERNAME/ADMIN_PASSWORD."""
        migrate(runtime().engine)
        click.echo(f"Database ready: {runtime().engine.url.render_as_string(hide_password=True)}")
        created = create_first_admin(runtime())
        if created:
            click.echo(created)

    @app.cli.command("import")
    @click.argument("kind", type=click.Choice(["members", "payments", "cadres", "assignments"]))
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_command(kind: str, path: str) -> None:
        """Load a CSV file: members, payments, cadres or assignments."""
        rt = runtime()
        migrate(rt.engine)
        report = import_file(rt.sessions, kind, path, today=rt.clock.now().date(),
                             progress=sys.stderr.isatty(), rules=rt.services.rules)
        click.echo(report.summary())
        for line, reason in report.rejected:
            click.echo(f"  line {line}: {reason}")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load the demo branch (families in Surakarta, Samarinda and Jayapura, cadres, payments)."""
        rt = runtime()
        migrate(rt.engine)
        with rt.sessions.begin() as session:
            summary = seed_demo(session, rt.clock.now().date())
        click.echo(f"Loaded the demo branch: {summary}")

    @app.cli.command("scheduler")
    def scheduler_command() -> None:
        """Run the reminder scheduler and the outbox sender until stopped."""
        run_forever(runtime())

    @app.cli.command("worker")
    def worker_command() -> None:
        """Answer stored inbound messages and send due outbox rows until stopped (for BACKGROUND_WORK=0)."""
        click.echo("Answering inbound messages and sending the outbox; Ctrl-C stops.")
        run_worker(runtime())

    @app.cli.command("telegram-poll")
    def telegram_poll_command() -> None:
        """Answer Telegram by long polling (getUpdates) instead of the webhook: no public URL needed."""
        rt = runtime()
        migrate(rt.engine)
        start_background(rt)  # the updates it stores are answered here too, unless BACKGROUND_WORK=0
        click.echo("Polling Telegram for updates (the webhook is removed while polling); Ctrl-C stops.")
        poll_forever(rt)

    @app.cli.command("telegram-webhook")
    def telegram_webhook_command() -> None:
        """Register PUBLIC_BASE_URL/webhooks/telegram with the webhook secret at Telegram (setWebhook)."""
        url = register_telegram_webhook(runtime())
        click.echo(f"Telegram will post updates to {url} with the secret header.")

    @app.cli.command("remind")
    @click.option("--at", "at", default=None, help="ISO 8601 moment to plan for (default: now)")
    @click.option("--dry-run", is_flag=True, help="plan and count, send nothing")
    def remind_command(at: str | None, dry_run: bool) -> None:
        """One pass: plan the reminders due at that moment and send those inside their window."""
        click.echo(remind_once(runtime(), _moment(at) if at else None, dry_run=dry_run))

    @app.cli.command("cadre-morning")
    @click.option("--at", "at", default=None, help="ISO 8601 moment to plan for (default: now)")
    @click.option("--dry-run", is_flag=True, help="plan and count, queue and send nothing")
    def cadre_morning_command(at: str | None, dry_run: bool) -> None:
        """One pass of the cadres' mornings: TUGAS lists, supervisors' digests and flags; then send them."""
        click.echo(cadre_mornings_once(runtime(), _moment(at) if at else None, dry_run=dry_run))

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), default="admin", show_default=True)
    @click.option("--cadre", "cadre_code", default=None, help="a supervisor's cadre code: their team is who they see")
    def create_admin_command(username: str, role: str, cadre_code: str | None) -> None:
        """A dashboard account; the password is asked (or read from ADMIN_PASSWORD)."""
        rt = runtime()
        migrate(rt.engine)
        password = rt.settings.admin_password or click.prompt("Password", hide_input=True,
                                                              confirmation_prompt=True)
        try:
            with rt.sessions.begin() as session:
                account = create_account(session, username, password, datetime.now(UTC), role=role,
                                         cadre_code=cadre_code)
                click.echo(f"Dashboard account {account.username!r} ({account.role}) created: sign in at /admin")
        except AccountError as error:
            raise click.UsageError(str(error)) from None

    register_broadcasts(app)


def _families(count: int) -> str:
    return f"{count} family" if count == 1 else f"{count} families"


def _moment(value: str) -> datetime:
    """An ISO 8601 moment from the command line; without a zone it is read as UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 moment, e.g. 2025-06-20T09:00+07:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register_broadcasts(app: Flask) -> None:
    """`flask --app app broadcast create|list|cancel`: the same functions the dashboard will call."""

    @app.cli.group("broadcast")
    def broadcast() -> None:
        """Broadcasts to a segment of families."""

    @broadcast.command("create")
    @click.option("--segment", "segments", multiple=True,
                  help="who: e.g. 'region=3372 class=3 months=4-24 plan=no cadre=KDR-SKA-01' (or 'all')")
    @click.option("--at", "at", required=True, help="ISO 8601 moment of the first sending")
    @click.option("--text", "text_id", required=True, help="the message in Indonesian")
    @click.option("--text-en", "text_en", default=None, help="the message in English (default: the Indonesian)")
    @click.option("--repeat", type=click.Choice(REPEATS), default="once", show_default=True)
    @click.option("--until", "until", default=None, help="ISO 8601 moment after which a repeat stops")
    def create_command(segments: tuple[str, ...], at: str, text_id: str, text_en: str | None, repeat: str,
                       until: str | None) -> None:
        """Schedule a broadcast; prints its id and how many families it reaches today."""
        rt = runtime()
        rules = rt.services.rules
        now = rt.clock.now()
        try:
            with rt.sessions.begin() as session:
                created = create(session, segment_text=" ".join(segments) or "all", at=_moment(at),
                                 text_id=text_id, text_en=text_en, now=now, repeat=repeat,
                                 until=_moment(until) if until else None, created_by="cli")
                count = recipients(session, Segment.from_json(created.segment), now, rules)
                click.echo(f"broadcast {created.id}: {created.segment_text}, {repeat} from "
                           f"{created.starts_at:%Y-%m-%d %H:%M} UTC; {_families(count)} reachable now")
        except (BroadcastError, SegmentError) as error:
            raise click.UsageError(str(error)) from None
        if not text_en:
            click.echo("no --text-en: members who chose English get the Indonesian text")

    @broadcast.command("list")
    @click.option("--all", "include_done", is_flag=True, help="also cancelled and finished broadcasts")
    def list_command(include_done: bool) -> None:
        """Broadcasts with their next time, recipient count and a preview of the text."""
        rt = runtime()
        with rt.reading() as session:
            views = listing(session, rt.clock.now(), rt.services.rules, include_done)
        if not views:
            click.echo("no broadcasts scheduled")
        for view in views:
            upcoming = f"{view.next_at:%Y-%m-%d %H:%M} UTC" if view.next_at else "-"
            click.echo(f"{view.id:>4}  {view.status:<9}  next {upcoming}  {view.repeat:<7}  {view.segment}  "
                       f"{_families(view.recipients)}  \"{view.preview}\"")

    @broadcast.command("cancel")
    @click.argument("broadcast_id", type=int)
    def cancel_command(broadcast_id: int) -> None:
        """Cancel a broadcast: nothing more of it is sent."""
        rt = runtime()
        try:
            with rt.sessions.begin() as session:
                cancelled = cancel(session, broadcast_id, rt.clock.now())
                click.echo(f"broadcast {cancelled.id}: {cancelled.status}")
        except BroadcastError as error:
            raise click.UsageError(str(error)) from None
