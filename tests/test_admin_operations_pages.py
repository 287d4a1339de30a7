"""The operations pages through the real app (Flask's test client, signed in through the form): what admins,
supervisors and viewers see and may do on REHAB, Tiket, Siaran and Impor/Ekspor."""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import select

from models import Broadcast, ImportJob, OutboxMessage, Ticket
from tests.admin_pages import form_token, make_account, sign_in

pytest_plugins = ["tests.operations_branch"]  # the hand-built branch's fixtures: branch, plans, queue, visits


@pytest.fixture
def admin(client, db, branch):  # type: ignore[no-untyped-def]
    make_account(db, "siti", "admin")
    sign_in(client, "siti")
    return client


@pytest.fixture
def supervisor(client, db, branch):  # type: ignore[no-untyped-def]
    make_account(db, "endang", "supervisor", cadre_code="KDR-A-00")
    sign_in(client, "endang")
    return client


@pytest.fixture
def viewer(client, db, branch):  # type: ignore[no-untyped-def]
    make_account(db, "vera", "viewer")
    sign_in(client, "vera")
    return client


def page(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return str(response.get_data(as_text=True))


def test_rehab_page_counts_states_and_lists_masked_plans(admin, plans):  # type: ignore[no-untyped-def]
    html = page(admin, "/admin/rehab?state=overdue&month=2025-06")
    assert 'data-state="overdue"' in html and "3372********9902" in html and "Wa••• No••••" in html
    assert "3372010101259902" not in html  # never whole on a list
    assert '<span class="value">2</span>' in html  # opened in June, running


def test_a_supervisor_sees_their_team_and_a_viewer_none_of_the_operations_pages(supervisor, plans, queue):  # type: ignore[no-untyped-def]
    html = page(supervisor, "/admin/rehab?state=completed")
    assert "3372********9903" not in html  # Yusuf's family's completed plan
    tickets = page(supervisor, "/admin/tiket")
    assert "K-000001" in tickets and "K-000002" not in tickets


def test_a_viewer_is_refused_the_operations_pages(viewer, plans):  # type: ignore[no-untyped-def]
    for path in ("/admin/rehab", "/admin/tiket", "/admin/siaran", "/admin/impor/1", "/admin/ekspor/rehab.csv",
                 "/admin/siaran/pratinjau?class=3"):
        assert viewer.get(path).status_code == 403, path


def test_staff_answer_a_ticket_and_the_member_gets_it_in_their_chat(admin, db, queue):  # type: ignore[no-untyped-def]
    token = form_token(admin, "/admin/tiket")
    response = admin.post("/admin/tiket/K-000001", data={"csrf_token": token, "answer": "Sudah kami cek.",
                                                          "action": "answer"}, follow_redirects=True)
    assert "Jawaban untuk K-000001 dikirim ke peserta." in response.get_data(as_text=True)
    sent = db.scalars(select(OutboxMessage).where(OutboxMessage.address == "web-f1")).one()
    assert sent.body == "Jawaban petugas kantor cabang BPJS Kesehatan untuk tiket K-000001: Sudah kami cek."
    assert sent.status == "sent"  # sent at once, like a reply
    assert db.scalar(select(Ticket.status).where(Ticket.number == "K-000001")) == "answered"


def test_a_ticket_form_without_its_token_changes_nothing(admin, db, queue):  # type: ignore[no-untyped-def]
    response = admin.post("/admin/tiket/K-000001", data={"answer": "x", "action": "close"})
    assert response.status_code == 400
    assert db.scalar(select(Ticket.status).where(Ticket.number == "K-000001")) == "open"


def test_a_supervisor_cannot_answer_another_teams_ticket(supervisor, db, queue):  # type: ignore[no-untyped-def]
    token = form_token(supervisor, "/admin/tiket")
    response = supervisor.post("/admin/tiket/K-000002", data={"csrf_token": token, "answer": "x", "action": "close"},
                               follow_redirects=True)
    assert "not in your queue" in response.get_data(as_text=True)
    assert db.scalar(select(Ticket.status).where(Ticket.number == "K-000002")) == "open"


def test_the_broadcast_form_counts_recipients_live_and_previews_each_channel(admin):  # type: ignore[no-untyped-def]
    data = admin.get("/admin/siaran/pratinjau?cadre=KDR-A-01&text_id=Halo&text_en=Hello&count=1").get_json()
    assert data["segment"] == "cadre=KDR-A-01"
    assert data["count"] == {"families": 2, "reachable": 2, "web": 1, "telegram": 1, "whatsapp": 0}
    assert "2 keluarga dalam sasaran; 2 dapat dihubungi" in data["line"]
    assert {(p["channel"], p["language"]) for p in data["previews"]} >= {("telegram", "en"), ("whatsapp", "id")}
    wrong = admin.get("/admin/siaran/pratinjau?months=abc").get_json()
    assert "months=abc" in wrong["error"]
    text_only = admin.get("/admin/siaran/pratinjau?cadre=KDR-A-01&text_id=Halo").get_json()
    assert "count" not in text_only and text_only["previews"]


def test_a_broadcast_is_scheduled_from_the_form_and_listed(admin, db):  # type: ignore[no-untyped-def]
    token = form_token(admin, "/admin/siaran")
    response = admin.post("/admin/siaran", data={
        "csrf_token": token, "class": "3", "plan": "no", "text_id": "Posyandu JKN besok.", "text_en": "",
        "at": "2025-06-03T09:00", "repeat": "once"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "dijadwalkan untuk 2 keluarga" in html
    created = db.scalars(select(Broadcast)).one()
    assert (created.segment_text, created.created_by) == ("class=3 plan=no", "admin:siti")
    assert created.starts_at.isoformat() == "2025-06-03T02:00:00+00:00"  # 09:00 WIB
    assert f'id="broadcast-{created.id}"' in page(admin, "/admin/siaran")


def test_a_supervisors_broadcast_is_kept_to_their_team(supervisor, db):  # type: ignore[no-untyped-def]
    data = supervisor.get("/admin/siaran/pratinjau?count=1").get_json()
    assert data["segment"] == "cadre=KDR-A-00,KDR-A-01" and data["count"]["families"] == 3
    token = form_token(supervisor, "/admin/siaran")
    supervisor.post("/admin/siaran", data={"csrf_token": token, "cadre": "KDR-B-01", "text_id": "x",
                                           "at": "2025-06-03T09:00"})
    assert db.scalar(select(Broadcast.id)) is None


def wait_for(client, job_id: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60  # a hang guard only
    while time.monotonic() < deadline:
        state: dict[str, object] = client.get(f"/admin/impor/{job_id}.json").get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def test_an_uploaded_csv_is_imported_in_the_background_and_bad_lines_reported(admin, db):  # type: ignore[no-untyped-def]
    token = form_token(admin, "/admin/impor")
    csv = ("cadre_code,name,phone,telegram_username,branch,region_code,supervisor_code\n"
           "KDR-X-01,Ani Lestari,081234567890,,Surakarta,3372,\n"
           "KDR-X-02,Budi,08123,,Surakarta,3372,\n")
    response = admin.post("/admin/impor", data={"csrf_token": token, "kind": "cadres",
                                                "file": (io.BytesIO(csv.encode()), "kader.csv")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    state = wait_for(admin, job_id)
    assert state["summary"] == "cadres: 1 inserted, 0 updated, 0 unchanged, 1 rejected"
    assert [line for line, _ in state["rejected"]] == [3]  # type: ignore[attr-defined]
    html = page(admin, f"/admin/impor/{job_id}")
    assert "<td class=\"num\">3</td>" in html
    report = admin.get(f"/admin/impor/{job_id}/laporan.txt").get_data(as_text=True)
    assert report.startswith("cadres: 1 inserted") and "  line 3: " in report


def test_a_large_upload_passes_the_service_body_limit_only_on_the_upload_route(admin, db):  # type: ignore[no-untyped-def]
    token = form_token(admin, "/admin/impor")
    lines = "".join(f"KDR-Y-{n:05d},Kader {n},,,Surakarta,3372,\n" for n in range(7000))  # ~290 KB
    body = "cadre_code,name,phone,telegram_username,branch,region_code,supervisor_code\n" + lines
    assert len(body) > 256 * 1024
    response = admin.post("/admin/impor", data={"csrf_token": token, "kind": "cadres",
                                                "file": (io.BytesIO(body.encode()), "besar.csv")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    state = wait_for(admin, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert state["summary"] == "cadres: 7000 inserted, 0 updated, 0 unchanged, 0 rejected"
    refused = admin.post("/admin/tiket/K-1", data={"csrf_token": token, "answer": "x" * (300 * 1024)})
    assert refused.status_code == 413


def test_only_admins_upload(supervisor, db):  # type: ignore[no-untyped-def]
    token = form_token(supervisor, "/admin/impor")
    response = supervisor.post("/admin/impor", data={"csrf_token": token, "kind": "cadres",
                                                     "file": (io.BytesIO(b"x"), "a.csv")},
                               content_type="multipart/form-data")
    assert response.status_code == 403
    assert db.scalar(select(ImportJob.id)) is None


def test_exports_are_ready_for_excel_and_kept_to_the_scope(supervisor, visits):  # type: ignore[no-untyped-def]
    data = supervisor.get("/admin/ekspor/setoran.csv?sep=semicolon&year=2025")
    assert data.headers["Content-Disposition"] == 'attachment; filename="setoran-per-kader-2025.csv"'
    text = data.get_data().decode("utf-8")
    assert text.startswith("\ufeffcadre_code;cadre_name;month;")
    assert "KDR-A-01;Sri Wahyuni;2025-06;2;3;50000;150000;200000;12000000;2" in text
    assert "KDR-B-01" not in text


def test_a_viewer_downloads_the_programme_figures_and_nothing_with_names(viewer, visits):  # type: ignore[no-untyped-def]
    html = page(viewer, "/admin/impor")
    assert "angka.csv" in html and "setoran.csv" not in html and 'name="file"' not in html
    text = viewer.get("/admin/ekspor/angka.csv?month=2025-06&sep=semicolon").get_data().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("month;cadres;visit_target;collection_target;reports;households;collected;")
    assert len(lines) == 1 + 12 and lines[-1].startswith("2025-06;3;250;36000000;3;2;200000;")
    assert "Sri" not in text
    assert viewer.get("/admin/ekspor/setoran.csv").status_code == 403


def test_the_operations_pages_speak_english_when_asked(admin, queue):  # type: ignore[no-untyped-def]
    html = page(admin, "/admin/tiket?lang=en")
    assert "Complaint tickets" in html and "complaint" in html and "Send answer" in html
    assert "REHAB plans" in page(admin, "/admin/rehab")  # remembered for the session
    assert "Schedule broadcast" in page(admin, "/admin/siaran")


def test_an_admin_cancels_a_scheduled_broadcast(admin, db, now):  # type: ignore[no-untyped-def]
    db.add(Broadcast(segment={}, segment_text="all", text_id="Halo", starts_at=now, created_at=now,
                     created_by="cli"))
    db.commit()
    broadcast_id = db.scalar(select(Broadcast.id))
    token = form_token(admin, "/admin/siaran")
    response = admin.post(f"/admin/siaran/{broadcast_id}/batal", data={"csrf_token": token}, follow_redirects=True)
    assert f"Siaran {broadcast_id} dibatalkan." in response.get_data(as_text=True)
    assert db.scalar(select(Broadcast.status)) == "cancelled"


def test_a_supervisor_cannot_cancel_a_broadcast_they_did_not_make(supervisor, db, now):  # type: ignore[no-untyped-def]
    db.add(Broadcast(segment={}, segment_text="all", text_id="Halo", starts_at=now, created_at=now,
                     created_by="admin:siti"))
    db.commit()
    token = form_token(supervisor, "/admin/siaran")
    assert supervisor.post(f"/admin/siaran/{db.scalar(select(Broadcast.id))}/batal",
                           data={"csrf_token": token}).status_code == 404
    assert db.scalar(select(Broadcast.status)) == "scheduled"
