"""A cadre's chat: the cadre menu and help, switching to the member menu and back, and the tickets members
send them (JAWAB, TUTUP). Reports, lists and progress live in cadre_report, cadre_guided and cadre_lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from bot.keywords import normalise
from bot.messages import Choice, Outgoing, Reply
from bot.turns import Turn
from handlers import menu
from handlers.context import cadre_of, in_cadre_menu
from handlers.texts import text
from models import Cadre, Chat, Member, OutboxMessage, Ticket

STATES: tuple[str, ...] = ()  # no steps here: the guided report's are in cadre_guided, UBAH's in cadre_report


def show_menu(turn: Turn) -> Reply:
    """MENU, HALO, /start: the cadre menu in a cadre's chat (unless they chose the member menu), else the
    member menu; either way leaving any flow in progress."""
    cadre = cadre_of(turn)
    if cadre is None or not in_cadre_menu(turn):
        reply = menu.show_menu(turn)
        if cadre is not None:  # a cadre in the member menu keeps a way back
            reply.messages[-1] = Outgoing(reply.messages[-1].text, reply.messages[-1].choices + (
                Choice("MENU KADER", text("cadre.menu.kader", turn.language)),))
        return reply
    return cadre_menu_reply(turn, cadre)


def contact_shared(turn: Turn) -> Reply:
    """A contact shared (Telegram's button after SIAPA): a cadre recognised by it gets the cadre menu."""
    cadre = cadre_of(turn)
    if cadre is None:
        return menu.empty(turn)
    reply = cadre_menu_reply(turn, cadre)
    reply.messages.insert(0, Outgoing(text("whoami.cadre", turn.language, code=cadre.code, name=cadre.name).strip()))
    return reply


def cadre_menu_reply(turn: Turn, cadre: Cadre) -> Reply:
    """The cadre menu: REKAP TIM for supervisors, MENU PESERTA for a cadre whose phone is also a member's."""
    language = turn.language
    keys = ["LAPOR", "TUGAS", "REKAP"]
    if turn.session.scalar(select(Cadre.id).where(Cadre.supervisor_id == cadre.id).limit(1)) is not None:
        keys.append("REKAP TIM")
    keys.append("BANTUAN")
    if cadre.phone and turn.session.scalar(select(Member.id).where(Member.phone == cadre.phone).limit(1)):
        keys.append("MENU PESERTA")  # a cadre who is also a member
    labels = {"LAPOR": "lapor", "TUGAS": "tugas", "REKAP": "rekap", "REKAP TIM": "tim", "BANTUAN": "bantuan",
              "MENU PESERTA": "peserta"}
    choices = [Choice(key, text(f"cadre.menu.{labels[key]}", language)) for key in keys]
    return Reply().say(text("cadre.menu", language, name=cadre.name.split()[0]), choices)


def show_help(turn: Turn) -> Reply:
    """BANTUAN: how to report, in a cadre's chat; the member help elsewhere."""
    if cadre_of(turn) is None or not in_cadre_menu(turn):
        return menu.show_help(turn)
    return Reply().say(text("cadre.help", turn.language))


def to_member_menu(turn: Turn) -> Reply:
    """MENU PESERTA: a cadre who is also a member uses the member menu until MENU KADER."""
    if turn.chat.cadre_id is None:
        return menu.show_menu(turn)
    turn.chat.menu = "member"
    reply = show_menu(turn)
    reply.messages.insert(0, Outgoing(text("cadre.to_member_menu", turn.language)))
    return reply


def to_cadre_menu(turn: Turn) -> Reply:
    """MENU KADER: back to the cadre menu."""
    cadre = cadre_of(turn)
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    turn.chat.menu = None
    return cadre_menu_reply(turn, cadre)


# --- tickets -------------------------------------------------------------------------------------------------


def answer_ticket(turn: Turn) -> Reply:
    """JAWAB <ticket> <message>: the member gets the answer in the chat they wrote from."""
    return _update_ticket(turn, close=False)


def close_ticket(turn: Turn) -> Reply:
    """TUTUP <ticket> [message]: done; the member is told."""
    return _update_ticket(turn, close=True)


def _update_ticket(turn: Turn, close: bool) -> Reply:
    cadre = turn.session.get(Cadre, turn.chat.cadre_id) if turn.chat.cadre_id else None
    if cadre is None:
        return Reply().say(text("cadre.only", turn.language))
    words = turn.words
    number = normalise(words[1]).replace(" ", "-") if len(words) > 1 else ""
    message = " ".join(words[2:]).strip()
    ticket = turn.session.execute(select(Ticket).where(Ticket.number == number)).scalar_one_or_none()
    if ticket is None or ticket.cadre_id != cadre.id:
        return Reply().say(text("cadre.ticket_unknown", turn.language, number=number or "?"))
    if not close and not message:
        return Reply().say(text("cadre.answer_empty", turn.language, number=ticket.number))
    settle_ticket(turn.session, ticket, message=message, close=close, by=cadre.name, now=turn.now)
    return Reply().say(text("cadre.ticket_closed" if close else "cadre.ticket_answered", turn.language,
                            number=ticket.number))


def settle_ticket(session: Session, ticket: Ticket, *, message: str, close: bool, by: str, now: datetime,
                  staff: bool = False) -> OutboxMessage | None:
    """Answer (or close) a ticket and tell the member in the chat they wrote from, through the outbox: a
    cadre's JAWAB/TUTUP, and staff on the dashboard (`staff`: the note names the branch office, not a cadre).
    None when the member's chat is gone (erased with HAPUS)."""
    ticket.status = "closed" if close else "answered"
    ticket.answer = message or ticket.answer
    ticket.updated_at = now
    member_chat = session.get(Chat, ticket.chat_id) if ticket.chat_id else None
    if member_chat is None:
        return None
    who = "staff" if staff else "cadre"
    key = f"{who}.closed_to_member" if close else f"{who}.answer_to_member"
    note = text(key, member_chat.language, number=ticket.number, name=by, answer=message)
    return outbox.queue(session, channel=member_chat.channel, address=member_chat.address,
                        message=Outgoing(note.strip()), now=now, chat_id=member_chat.id, kind="notice")
