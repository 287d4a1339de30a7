"""What a cadre does by message here: answer or close the tickets members send them (JAWAB, TUTUP)."""

from __future__ import annotations

from sqlalchemy import select

from bot import outbox
from bot.conversation import Turn
from bot.keywords import normalise
from bot.messages import Outgoing, Reply
from handlers.texts import text
from models import Cadre, Chat, Ticket


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
    ticket.status = "closed" if close else "answered"
    ticket.answer = message or ticket.answer
    ticket.updated_at = turn.now
    member_chat = turn.session.get(Chat, ticket.chat_id) if ticket.chat_id else None
    if member_chat is not None:
        key = "cadre.closed_to_member" if close else "cadre.answer_to_member"
        note = text(key, member_chat.language, number=ticket.number, name=cadre.name, answer=message)
        outbox.queue(turn.session, channel=member_chat.channel, address=member_chat.address,
                     message=Outgoing(note), now=turn.now, chat_id=member_chat.id, kind="notice")
    return Reply().say(text("cadre.ticket_closed" if close else "cadre.ticket_answered", turn.language,
                            number=ticket.number))
