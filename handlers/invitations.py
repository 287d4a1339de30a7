"""What a cadre's report asks of a family's next message: after a REHAB result, the family's next message
(a greeting, anything that is not another command) starts the REHAB journey, proving identity first."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.messages import Outgoing, Reply
from bot.turns import Turn
from handlers import rehab
from handlers.context import in_cadre_menu
from handlers.texts import text
from models import Cadre, ChatFamily, Member
from models.visits import pending_rehab_invitations

INVITATION_LASTS = timedelta(days=30)  # a month-old visit is not what the family is writing about
GREETINGS = {"HALO", "REHAB"}  # keyword rows (by their first word) that read as "I am here": HALO, HAI, ...


def rehab_invitation(turn: Turn, keyword: str | None) -> Reply | None:
    """The REHAB journey with a word on who suggested it, when a cadre reported that this chat's family
    wants REHAB and the family has not written since; None otherwise. `keyword`: the first word of the
    keyword row the message starts with (another command is answered as asked)."""
    if turn.state is not None or turn.incoming.choice is not None or in_cadre_menu(turn) \
            or (keyword is not None and keyword not in GREETINGS):
        return None
    families = set(turn.session.scalars(select(ChatFamily.family_id).where(ChatFamily.chat_id == turn.chat.id)))
    if turn.chat.phone:
        families |= set(turn.session.scalars(select(Member.family_id).where(Member.phone == turn.chat.phone)))
    invitations = pending_rehab_invitations(turn.session, families, turn.now - INVITATION_LASTS)
    if not invitations:
        return None
    for visit in invitations:
        visit.followed_up_at = turn.now
    invited = invitations[-1]
    cadre = turn.session.get(Cadre, invited.cadre_id)
    again = replace(turn, incoming=replace(turn.incoming, text="REHAB", choice=None), text="REHAB",
                    data={"family_id": invited.family_id})
    reply = rehab.rehab(again)
    reply.messages.insert(0, Outgoing(text("rehab.invited", turn.language, cadre=cadre.name if cadre else "-")))
    return reply
