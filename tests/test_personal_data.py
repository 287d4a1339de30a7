"""Personal data the chats leave behind (UU PDP): identity answers stored masked, HAPUS erasing a chat's data at
once, and old inbound texts purged after the retention period."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import build_runtime
from bot.settings import Settings
from bot.worker import Background
from models import AuditEntry, Chat, ChatFamily, Consent, InboundMessage, OutboxMessage
from reminders.scheduler import purge_once, start_scheduler
from tests.journeys import BUDI_CARD, BUDI_NIK, BUDI_PHONE, arrange_branch, verify
from tests.transcript import Person


@pytest.fixture
def branch(db):
    return arrange_branch(db)


def inbound_texts(db, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(db.execute(select(InboundMessage.text).join(Chat, Chat.id == InboundMessage.chat_id)
                           .where(Chat.address == address).order_by(InboundMessage.id)).scalars())


def test_identity_answers_are_stored_masked_while_the_bot_reads_them(runtime, branch, db):
    member = Person(runtime, address="web-nik")  # no phone on file: card, NIK and birth date are all typed
    reply = verify(member, second=BUDI_NIK, birth="17 Agustus 1985")
    assert "Rp1.050.000" in reply  # the handler read them in clear
    stored = inbound_texts(db, "web-nik")
    assert stored == ["CEK", "*************", "****************", "** ******* ****", "YA"]
    assert not any(secret in text for text in stored for secret in (BUDI_CARD, BUDI_NIK, "1985", "Agustus"))


def test_hapus_erases_the_chat_personal_data_at_once(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    member.send("KELUHAN kartu anak saya belum aktif")
    before_hapus = db.execute(select(OutboxMessage.id).where(OutboxMessage.address == member.address)
                              .order_by(OutboxMessage.id.desc())).scalars().first()
    reply = member.says("HAPUS")
    assert "ditarik" in reply and "dihapus" in reply

    assert set(inbound_texts(db, member.address)) == {""}
    bodies = db.execute(select(OutboxMessage.body, OutboxMessage.choices).where(
        OutboxMessage.address == member.address, OutboxMessage.id <= before_hapus)).all()
    assert bodies and all(body == "[dihapus]" and choices == [] for body, choices in bodies)
    chat = db.execute(select(Chat).where(Chat.address == member.address)).scalar_one()
    assert chat.state is None and chat.phone is None and chat.display_name is None
    assert chat.active_family_id is None
    assert db.execute(select(ChatFamily)).first() is None
    assert db.execute(select(Consent.withdrawn_at)).scalar_one() is not None
    audit = db.execute(select(AuditEntry.action, AuditEntry.detail).where(
        AuditEntry.action.in_(("withdraw_consent", "erase_chat_data")))).all()
    assert {action for action, _ in audit} == {"withdraw_consent", "erase_chat_data"}
    assert not any(secret in detail for _, detail in audit for secret in ("Budi", BUDI_CARD, "kartu anak"))
    # Proving identity again works as for a new chat.
    assert "nomor kartu JKN" in member.says("CEK")


def test_hapus_gives_up_messages_not_sent_yet(runtime, branch, db):
    member = Person(runtime, phone=BUDI_PHONE)
    verify(member)
    chat_id = db.execute(select(Chat.id).where(Chat.address == member.address)).scalar_one()
    later = OutboxMessage(channel="web", address=member.address, chat_id=chat_id, kind="reminder",
                          body="Iuran Rp105.000 untuk keluarga Budi", choices=[], status="queued",
                          next_attempt_at=member.now() + timedelta(days=1), created_at=member.now())
    db.add(later)
    db.commit()
    member.send("HAPUS")
    db.refresh(later)
    assert later.status == "dead" and later.body == "[dihapus]"


def test_inbound_texts_older_than_the_retention_period_are_purged(runtime, branch, db):
    member = Person(runtime, address="web-old")
    member.send("halo, saya Budi dari Laweyan")
    member.wait(days=80)
    member.send("menu")
    result = purge_once(runtime, at=runtime.clock.now() + timedelta(days=91))
    assert "inbound texts purged: 1" in result
    assert inbound_texts(db, "web-old") == ["", "menu"]
    assert db.execute(select(InboundMessage)).scalars().all()[0].provider_id  # the dedupe key stays


def test_the_retention_period_is_configurable(settings, branch, db):
    assert Settings.from_env({"INBOUND_RETENTION_DAYS": "30"}, instance_path=settings.instance_path
                             ).inbound_retention_days == 30
    assert Settings.from_env({}, instance_path=settings.instance_path).inbound_retention_days == 90
    with pytest.raises(ValueError, match="days"):
        Settings.from_env({"INBOUND_RETENTION_DAYS": "-1"}, instance_path=settings.instance_path)
    runtime = build_runtime(replace(settings, inbound_retention_days=30))
    background = Background(runtime, sweep_every=None).start()  # answers what the member sends
    try:
        member = Person(runtime, address="web-month")
        member.send("halo")
        assert "purged: 0" in purge_once(runtime, at=runtime.clock.now() + timedelta(days=29))
        assert "purged: 1" in purge_once(runtime, at=runtime.clock.now() + timedelta(days=31))
    finally:
        background.stop()
        runtime.engine.dispose()


def test_the_scheduler_runs_the_purge_daily(runtime):
    scheduler = start_scheduler(runtime)
    try:
        purge = scheduler.get_job("daily-purge")
        assert purge is not None and "cron" in str(purge.trigger)
    finally:
        scheduler.shutdown(wait=False)
