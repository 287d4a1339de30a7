"""The dashboard's operations pages, their data against a hand-built branch with known answers: REHAB plans
by state, the ticket queue (a staff answer reaches the member like a cadre's JAWAB), broadcast counts,
previews and delivery, CSV exports for Excel, and imports in the background with the CLI's report; and
who sees what (admin: the branch; supervisor: their team; viewer: figures only)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest import import_file
from models import (
    AuditEntry,
    Broadcast,
    Cadre,
    ImportJob,
    OutboxMessage,
    Reminder,
    Ticket,
)
from reminders.segments import Segment
from reminders.templates import WhatsAppTemplates
from rules.programme import DEFAULT_RULES
from web.admin import operations_broadcasts as broadcasts
from web.admin import operations_exports as exports
from web.admin import operations_imports as imports
from web.admin import operations_rehab as rehab
from web.admin import operations_tickets as tickets
from web.admin.operations_scope import BRANCH, FIGURES_ONLY, supervisor_scope

pytest_plugins = ["tests.operations_branch"]  # the hand-built branch's fixtures: branch, plans, queue, visits
TODAY = date(2025, 6, 2)  # the tests' DEFAULT_NOW in WIB
JUNE = date(2025, 6, 1)


def at(day: str, hour: int = 3) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)

# --- REHAB -------------------------------------------------------------------------------------------------


def test_rehab_plans_are_counted_by_state(db, plans):  # type: ignore[no-untyped-def]
    assert rehab.plan_counts(db, BRANCH, TODAY, JUNE) == {"opened": 2, "running": 2, "overdue": 1, "completed": 1}
    assert rehab.plan_counts(db, BRANCH, TODAY, date(2025, 5, 1))["opened"] == 1


def test_rehab_lists_mask_identifiers_and_say_where_instalments_stand(db, plans, branch):  # type: ignore[no-untyped-def]
    overdue = rehab.plan_rows(db, BRANCH, "overdue", TODAY, JUNE)
    assert [(row.plan_id, row.family, row.head, row.cadre, row.paid, row.overdue, row.next_due) for row in overdue] \
        == [(plans["P2"].id, "3372********9902", "Wa••• No••••", "KDR-A-01", 0, 1, date(2025, 6, 1))]
    running = rehab.plan_rows(db, BRANCH, "running", TODAY, JUNE)
    assert [row.plan_id for row in running] == [plans["P4"].id, plans["P1"].id]  # newest first
    assert running[1].paid == 1 and running[1].next_due == date(2025, 6, 20)


def test_a_supervisor_sees_only_their_teams_plans_and_a_viewer_no_rows(db, plans):  # type: ignore[no-untyped-def]
    team = supervisor_scope(db, "kdr-a-00")
    assert rehab.plan_counts(db, team, TODAY, JUNE) == {"opened": 2, "running": 2, "overdue": 1, "completed": 0}
    assert rehab.plan_rows(db, team, "completed", TODAY, JUNE) == []
    assert rehab.plan_rows(db, FIGURES_ONLY, "running", TODAY, JUNE) == []
    assert rehab.plan_counts(db, FIGURES_ONLY, TODAY, JUNE)["running"] == 2
    assert rehab.plan_counts(db, supervisor_scope(db, "NOBODY"), TODAY, JUNE)["running"] == 0


# --- tickets -----------------------------------------------------------------------------------------------


def test_the_queue_counts_and_lists_tickets_oldest_open_first(db, queue):  # type: ignore[no-untyped-def]
    assert tickets.ticket_counts(db, BRANCH) == {"open": 2, "answered": 0, "closed": 1}
    rows = tickets.ticket_rows(db, BRANCH, "open")
    assert [(row.number, row.family, row.cadre) for row in rows] == [
        ("K-000002", "3372********9903", "KDR-B-01 Yusuf Wonda"), ("K-000001", "3372********9901", "KDR-A-01 Sri Wahyuni")]


def test_a_staff_answer_reaches_the_member_in_their_chat_and_is_audited(db, queue, runtime):  # type: ignore[no-untyped-def]
    with runtime.sessions.begin() as session:
        tickets.answer_ticket(session, BRANCH, "k-000001", "Kartu aktif lagi setelah bayar.", close=False,
                              actor="admin:siti", now=runtime.clock.now())
    ticket = db.scalar(select(Ticket).where(Ticket.number == "K-000001"))
    assert (ticket.status, ticket.answer) == ("answered", "Kartu aktif lagi setelah bayar.")
    sent = db.scalars(select(OutboxMessage).where(OutboxMessage.address == "web-f1")).one()
    assert sent.body == ("Jawaban petugas kantor cabang BPJS Kesehatan untuk tiket K-000001: Kartu aktif lagi "
                         "setelah bayar.")
    assert (sent.channel, sent.kind, sent.status) == ("web", "notice", "queued")
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "answer_ticket")).one()
    assert (audit.actor, audit.detail) == ("admin:siti", "K-000001")


def test_closing_without_a_message_tells_the_member_in_their_language(db, queue, runtime):  # type: ignore[no-untyped-def]
    db.add(Ticket(number="K-000004", chat_id=queue["T3"].chat_id, family_id=queue["T3"].family_id,
                  cadre_id=queue["T3"].cadre_id, text="?", status="open", created_at=at("2025-06-01")))
    db.commit()
    with runtime.sessions.begin() as session:
        tickets.answer_ticket(session, BRANCH, "K-000004", "", close=True, actor="admin:siti", now=runtime.clock.now())
    body = db.scalars(select(OutboxMessage.body).where(OutboxMessage.address == "1002")).one()
    assert body == "Ticket K-000004 was closed by the BPJS Kesehatan branch office."


def test_a_supervisor_answers_only_their_teams_tickets_and_a_viewer_none(db, queue, runtime):  # type: ignore[no-untyped-def]
    team = supervisor_scope(db, "KDR-A-00")
    assert tickets.ticket_counts(db, team) == {"open": 1, "answered": 0, "closed": 1}
    assert [row.number for row in tickets.ticket_rows(db, team, "open")] == ["K-000001"]
    with runtime.sessions.begin() as session, pytest.raises(tickets.TicketError, match="not in your queue"):
        tickets.answer_ticket(session, team, "K-000002", "Halo", close=False, actor="admin:endang",
                              now=runtime.clock.now())
    assert tickets.ticket_rows(db, FIGURES_ONLY, "open") == []
    with runtime.sessions.begin() as session, pytest.raises(tickets.TicketError):
        tickets.answer_ticket(session, FIGURES_ONLY, "K-000001", "Halo", close=False, actor="admin:v",
                              now=runtime.clock.now())
    with runtime.sessions.begin() as session, pytest.raises(tickets.TicketError, match="write the answer"):
        tickets.answer_ticket(session, BRANCH, "K-000001", "  ", close=False, actor="admin:siti",
                              now=runtime.clock.now())
    assert db.scalar(select(OutboxMessage.id)) is None


# --- broadcasts --------------------------------------------------------------------------------------------


def test_the_segment_form_reads_as_the_cli_writes_it():  # type: ignore[no-untyped-def]
    form = {"region": "3372, 6472", "class": "3", "months": "4-24", "plan": "no", "cadre": ""}
    assert broadcasts.segment_text(form) == "region=3372,6472 class=3 months=4-24 plan=no"
    assert broadcasts.segment_text({}) == "all"


def test_the_live_count_names_families_reachable_and_chats_per_channel(db, branch, now):  # type: ignore[no-untyped-def]
    everyone = broadcasts.count(db, Segment.parse("all"), now, DEFAULT_RULES)
    assert everyone == {"families": 5, "reachable": 2, "web": 1, "telegram": 1, "whatsapp": 0}
    sri = broadcasts.count(db, Segment.parse("cadre=KDR-A-01"), now, DEFAULT_RULES)
    assert (sri["families"], sri["reachable"]) == (2, 2)


def test_a_supervisors_broadcast_stays_within_their_team(db, branch, now):  # type: ignore[no-untyped-def]
    team = supervisor_scope(db, "KDR-A-00")
    segment = broadcasts.scoped_segment(db, team, "class=3")
    assert segment.cadres == ("KDR-A-00", "KDR-A-01")
    assert broadcasts.count(db, segment, now, DEFAULT_RULES)["families"] == 3  # F1, F2, F4
    with pytest.raises(broadcasts.ScopeError, match="KDR-B-01 is not in your team"):
        broadcasts.scoped_segment(db, team, "cadre=KDR-B-01")
    assert broadcasts.scoped_segment(db, BRANCH, "all") == Segment()


def test_previews_show_each_channel_and_whatsapps_template_outside_24_hours():  # type: ignore[no-untyped-def]
    shown = broadcasts.previews("Posyandu besok.", "Health post tomorrow.", WhatsAppTemplates({}))
    assert {(p.channel, p.language) for p in shown} == {(c, lang) for c in broadcasts.CHANNELS for lang in ("id", "en")}
    web_en = next(p for p in shown if p.channel == "web" and p.language == "en")
    assert web_en.body == "Health post tomorrow.\n\nType STOP to stop reminders."
    whatsapp = next(p for p in shown if p.channel == "whatsapp" and p.language == "id")
    assert "no template" in whatsapp.note
    book = WhatsAppTemplates.from_mapping({"broadcast": {"content_sid": "HX123", "variables": ["text"]}})
    whatsapp = next(p for p in broadcasts.previews("Posyandu besok.", None, book) if p.channel == "whatsapp")
    assert whatsapp.note == "template HX123: {'1': 'Posyandu besok.'}"


def test_delivery_progress_follows_reminders_into_the_outbox(db, branch, now):  # type: ignore[no-untyped-def]
    sent = Broadcast(segment={}, segment_text="all", text_id="Halo", starts_at=now, created_at=now)
    db.add(sent)
    db.flush()
    states = [("planned", None, None), ("skipped", "stopped", None), ("queued", None, "sent"),
              ("queued", None, "delivered"), ("queued", None, "read"), ("queued", None, "failed"),
              ("queued", None, "queued")]
    for number, (status, reason, outbox_status) in enumerate(states):
        family = list(branch.families.values())[number % 5]
        reminder = Reminder(family_id=family.id, kind="broadcast", period=f"{sent.id}@{number}", channel="web",
                            chat_id=branch.chats["F1"].id, broadcast_id=sent.id, not_before=now, status=status,
                            reason=reason, created_at=now)
        db.add(reminder)
        db.flush()
        if outbox_status:
            db.add(OutboxMessage(channel="web", address="web-f1", body="Halo", status=outbox_status, created_at=now,
                                 dedupe_key=f"reminder:{reminder.id}", kind="broadcast"))
    db.commit()
    progress = broadcasts.delivery(db, [sent.id])[sent.id]
    assert (progress.planned, progress.skipped, progress.queued, progress.sent, progress.delivered, progress.read,
            progress.failed) == (1, {"stopped": 1}, 1, 1, 1, 1, 1)
    assert (progress.total, progress.done_percent) == (7, 71)


def test_the_reminder_rules_in_force_are_the_branchs_own(db):  # type: ignore[no-untyped-def]
    rules = DEFAULT_RULES.from_mapping({"reminder_arrears_days": [5, 20], "send_window_start_hour": 9})
    shown = {name: value for name, value, _, _ in broadcasts.reminder_rules(rules)}
    assert shown["reminder_arrears_days"] == "5, 20"
    assert shown["send_window_start_hour"] == "9"
    assert shown["extra_holidays"] == "-"


# --- exports -----------------------------------------------------------------------------------------------


def rows_of(table: exports.Table) -> list[list[object]]:
    return [list(row) for row in table.rows]


def test_collections_per_cadre_per_month_against_the_target(db, visits, runtime, now):  # type: ignore[no-untyped-def]
    table = exports.collections_per_cadre(runtime.sessions, BRANCH, 2025, DEFAULT_RULES, now)
    by_key = {(row[0], row[2]): row for row in rows_of(table)}
    assert by_key[("KDR-A-01", "2025-06")] == ["KDR-A-01", "Sri Wahyuni", "2025-06", 2, 3, 50_000, 150_000, 200_000,
                                               12_000_000, 2]
    assert by_key[("KDR-B-01", "2025-05")][5:8] == [100_000, 0, 100_000]
    assert by_key[("KDR-B-01", "2025-06")][3:8] == [0, 0, 0, 0, 0]
    assert len(by_key) == 3 * 6  # January to June, the month of `now`
    team = exports.collections_per_cadre(runtime.sessions, supervisor_scope(db, "KDR-A-00"), 2025, DEFAULT_RULES, now)
    assert {row[0] for row in rows_of(team)} == {"KDR-A-00", "KDR-A-01"}
    viewer = exports.collections_per_cadre(runtime.sessions, FIGURES_ONLY, 2025, DEFAULT_RULES, now)
    assert {row[1] for row in rows_of(viewer)} == {""}


def test_the_csv_is_ready_for_excel_bom_separator_and_no_formulas(db, visits):  # type: ignore[no-untyped-def]
    table = exports.visit_reports(db, BRANCH, date(2025, 6, 1), date(2025, 6, 2))
    data = exports.to_csv(table, ";")
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ("report;visited_at;reported_at;cadre_code;cadre_name;household;result;amount;status;"
                        "promised_on;note;cancelled")
    assert lines[1].startswith("L-000001;2025-06-01 10:00;2025-06-01 10:00;KDR-A-01;Sri Wahyuni;3372********9901;"
                               "BAYAR;150000;confirmed;;'=HYPERLINK(1);")
    assert next(line for line in lines if line.startswith("L-000004;")).endswith(";yes")  # cancelled, marked
    assert len([line for line in lines if line]) == 5  # Yusuf's May report is outside the days asked
    assert exports.to_csv(table).decode("utf-8-sig").splitlines()[0].startswith("report,visited_at,")


def test_rehab_plans_export_lists_every_plan_with_its_state(db, plans):  # type: ignore[no-untyped-def]
    table = exports.rehab_plans(db, BRANCH, TODAY)
    assert sorted((row[0], row[1]) for row in rows_of(table)) == sorted(
        [(plans["P1"].id, "running"), (plans["P4"].id, "running"), (plans["P2"].id, "overdue"),
         (plans["P3"].id, "completed")])
    assert rows_of(exports.rehab_plans(db, FIGURES_ONLY, TODAY)) == []


# --- imports -----------------------------------------------------------------------------------------------

CADRES_CSV = ("cadre_code;name;phone;telegram_username;branch;region_code;supervisor_code\n"
              "KDR-X-01;Ani Lestari;081234567890;;Surakarta;3372;\n"
              "KDR-X-02;;081234567891;;Surakarta;33;\n")


def test_an_upload_is_imported_in_the_background_with_the_clis_report(db, runtime, tmp_path: Path, app):  # type: ignore[no-untyped-def]
    started = imports.start_import(runtime.sessions, tmp_path / "uploads", "cadres", "../kader.csv",
                                   io.BytesIO(CADRES_CSV.encode()), actor="admin:siti", now=runtime.clock.now(),
                                   today=TODAY, rules=DEFAULT_RULES, clock=runtime.clock.now)
    started.thread.join(timeout=60)
    job = db.get(ImportJob, started.job_id)
    assert (job.status, job.filename) == ("done", "kader.csv")
    assert job.summary == "cadres: 1 inserted, 0 updated, 0 unchanged, 1 rejected"
    assert [line for line, _ in job.rejected] == [3]
    state = imports.job_state(job)
    assert (state["percent"], state["rejected_count"]) == (100, 1)
    assert not list((tmp_path / "uploads").iterdir())  # the file, personal data, is gone
    assert db.scalar(select(Cadre.name).where(Cadre.code == "KDR-X-01")) == "Ani Lestari"
    assert db.scalars(select(AuditEntry.action)).all() == ["import_cadres"]
    path = tmp_path / "same.csv"
    path.write_text(CADRES_CSV.replace("KDR-X-01;Ani Lestari;081234567890", "KDR-X-09;Ani;081234567899"),
                    encoding="utf-8")
    cli = app.test_cli_runner().invoke(args=["import", "cadres", str(path)])
    assert imports.report_text(job).splitlines()[1:] == cli.output.splitlines()[1:]  # the same rejected lines


def test_the_import_reports_its_progress_as_it_reads(runtime, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "kader.csv"
    path.write_text("cadre_code,name,region_code\n" + "".join(f"KDR-Z-{n:05d},Kader {n},3372\n" for n in range(9000)),
                    encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = import_file(runtime.sessions, "cadres", path, today=TODAY, on_progress=lambda done, size: seen.append(
        (done, size)))
    assert report.inserted == 9000
    size = path.stat().st_size
    assert seen[-1] == (size, size)
    assert any(0 < done < size for done, _ in seen)  # partway through, for the bar
