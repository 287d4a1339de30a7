"""Member journeys beyond money: reminders on/off (STOP/MULAI), my cadre (KADER, CEK KADER), complaints
(KELUHAN, TIKET) and registering (DAFTAR, KUNJUNGAN)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import outbox
from bot.keywords import normalise
from bot.messages import Choice, Reply
from bot.turns import Turn
from handlers import identity
from handlers.context import after_keyword, family_cadre, tell_cadre
from handlers.steps import ask_again
from handlers.texts import text
from models import Cadre, Family, Ticket
from rules.identifiers import mask_identifier
from rules.phones import local_number
from rules.regions import REGION_NAMES, region_for_place, region_name

# The flows' steps (handlers.STEPS): a complaint's text, the area of a visit request.
COMPLAINT_TEXT, REGISTER_AREA = "complaint.text", "register.area"
STATES = (COMPLAINT_TEXT, REGISTER_AREA)


# --- STOP / MULAI ----------------------------------------------------------------------------------------


def stop_reminders(turn: Turn) -> Reply:
    """STOP / BERHENTI: honoured at once, even in the middle of a flow (which it ends)."""
    if turn.chat.reminders_stopped_at is not None:
        return Reply().say(text("stop.already", turn.language))
    turn.chat.reminders_stopped_at = turn.now
    outbox.cancel_bulk(turn.session, turn.chat.id)  # reminders already queued for this chat do not go either
    return Reply().say(text("stop.done", turn.language))


def resume_reminders(turn: Turn) -> Reply:
    """MULAI: reminders on again (and says so only once: a second MULAI says they are on already)."""
    if turn.chat.reminders_stopped_at is None:
        return Reply().say(text("mulai.already", turn.language))
    turn.chat.reminders_stopped_at = None
    return Reply().say(text("mulai.done", turn.language))


# --- KADER, CEK KADER ------------------------------------------------------------------------------------


def my_cadre(turn: Turn) -> Reply:
    """KADER: who the family's cadre is and how to reach them."""
    family = identity.family_for(turn, then="KADER")
    if isinstance(family, Reply):
        return family
    cadre = family_cadre(turn, family)
    if cadre is None:
        return Reply().say(text("kader.none", turn.language))
    return Reply().say(text("kader.mine", turn.language, name=cadre.name, code=cadre.code,
                            phone=local_number(cadre.phone), area=region_name(cadre.region_code) or cadre.region_code))


def check_cadre(turn: Turn) -> Reply:
    """CEK KADER <code>: is this cadre real and active, so members can spot fake collectors."""
    code = normalise(after_keyword(turn, 2)).replace(" ", "-")
    if not code:
        return Reply().say(text("cekkader.ask", turn.language))
    cadre = turn.session.execute(
        select(Cadre).where(func.upper(Cadre.code) == code)).scalar_one_or_none()
    if cadre is None:
        return Reply().say(text("cekkader.unknown", turn.language, code=code))
    area = region_name(cadre.region_code) or cadre.region_code
    key = "cekkader.active" if cadre.active else "cekkader.inactive"
    return Reply().say(text(key, turn.language, code=cadre.code, name=cadre.name, area=area,
                            branch=cadre.branch or "-"))


# --- KELUHAN, TIKET --------------------------------------------------------------------------------------


def complaint(turn: Turn) -> Reply:
    """KELUHAN <text> (or the menu's "help from my cadre"): a ticket sent to the family's cadre."""
    typed = turn.incoming.choice is None  # a menu button carries no text
    family = identity.family_for(turn, then=turn.text if typed and turn.words else "KELUHAN")
    if isinstance(family, Reply):
        return family
    message = after_keyword(turn) if typed else ""
    if not message:
        return Reply(state=COMPLAINT_TEXT, data={"family_id": family.id}).say(text("keluhan.ask", turn.language))
    return _open_ticket(turn, family, message)


def step_complaint_text(turn: Turn) -> Reply:
    """The member was asked for the complaint: any text is it (handlers.steps.any_text)."""
    family = turn.session.get(Family, int(turn.data.get("family_id", 0)))
    if family is None or not turn.text:
        return ask_again(COMPLAINT_TEXT, turn.data, turn.language, text("keluhan.ask", turn.language))
    return _open_ticket(turn, family, turn.text)


def _open_ticket(turn: Turn, family: Family, message: str) -> Reply:
    cadre = family_cadre(turn, family)
    ticket = Ticket(number="", kind="complaint", chat_id=turn.chat.id, family_id=family.id,
                    cadre_id=cadre.id if cadre else None, region_code=family.region_code, text=message[:1000],
                    status="open", created_at=turn.now)
    turn.session.add(ticket)
    turn.session.flush()
    ticket.number = f"K-{ticket.id:06d}"
    identity.audit(turn, "complaint", family, ticket.number)
    if cadre is not None:
        head = family.head
        tell_cadre(turn, cadre, "keluhan.to_cadre", number=ticket.number, family=mask_identifier(family.number),
                    name=head.name if head else "-", text=message[:500])
    key = "keluhan.recorded" if cadre else "keluhan.recorded_no_cadre"
    return Reply().say(text(key, turn.language, number=ticket.number, cadre=cadre.name if cadre else ""))


def ticket_status(turn: Turn) -> Reply:
    """TIKET [number]: the status of this chat's tickets."""
    number = normalise(after_keyword(turn)).replace(" ", "-")
    query = select(Ticket).where(Ticket.chat_id == turn.chat.id).order_by(Ticket.id.desc())
    if number:
        query = query.where(Ticket.number == number)
    tickets = turn.session.execute(query.limit(3)).scalars().all()
    if not tickets:
        return Reply().say(text("tiket.none", turn.language))
    lines = [text(f"tiket.{ticket.status}", turn.language, number=ticket.number,
                  answer=ticket.answer or "") for ticket in tickets]
    return Reply().say("\n".join(lines))


# --- DAFTAR ----------------------------------------------------------------------------------------------


def how_to_register(turn: Turn) -> Reply:
    """DAFTAR: how to register, and a request for a cadre visit that lands on that area's cadre list."""
    return Reply().say(text("daftar.info", turn.language),
                       (Choice("KUNJUNGAN", text("daftar.visit", turn.language)),))


def request_visit(turn: Turn) -> Reply:
    """KUNJUNGAN (or the DAFTAR button): ask where the person lives."""
    return Reply(state=REGISTER_AREA).say(text("daftar.ask_area", turn.language))


def step_register_area(turn: Turn) -> Reply:
    """Where the person lives: a kabupaten/kota name, a common name ("solo"), or its 4-digit code."""
    code = _region_typed(turn.text)
    if code is None:
        return ask_again(REGISTER_AREA, {}, turn.language, text("daftar.unknown_area", turn.language))
    cadre = turn.session.execute(
        select(Cadre).where(Cadre.region_code == code, Cadre.active.is_(True)).order_by(Cadre.id)
    ).scalars().first()
    ticket = Ticket(number="", kind="registration", chat_id=turn.chat.id, cadre_id=cadre.id if cadre else None,
                    region_code=code, text=f"Minta kunjungan untuk pendaftaran. Telepon: {turn.chat.phone or '-'}",
                    status="open", created_at=turn.now)
    turn.session.add(ticket)
    turn.session.flush()
    ticket.number = f"D-{ticket.id:06d}"
    if cadre is not None:
        tell_cadre(turn, cadre, "daftar.to_cadre", number=ticket.number, phone=local_number(turn.chat.phone),
                    area=REGION_NAMES[code])
    return Reply().say(text("daftar.recorded", turn.language, number=ticket.number, area=REGION_NAMES[code]))


def reads_area(turn: Turn) -> bool:
    """A kabupaten/kota we know answers the area step."""
    return _region_typed(turn.text) is not None


def _region_typed(typed: str) -> str | None:
    """The region code of a place as typed: a kabupaten/kota name (or its start), a common name ("solo"),
    a sentence naming one, or its 4-digit code (rules.regions.region_for_place)."""
    return region_for_place(typed)
