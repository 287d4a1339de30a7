"""Member journeys: arrears (CEK), how to pay (BAYAR), promises (JANJI), reminders on/off (STOP/MULAI),
my cadre (KADER, CEK KADER), complaints (KELUHAN, TIKET) and registering (DAFTAR)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import outbox
from bot.conversation import Turn
from bot.keywords import normalise
from bot.messages import Choice, Outgoing, Reply
from handlers import identity
from handlers.context import family_today, rules_of
from handlers.texts import date_text, text
from handlers.values import parse_date
from models import Assignment, Cadre, Chat, Family, Promise, Ticket
from models.arrears import format_rupiah, mask_identifier, rehab_eligibility
from models.ledger import family_arrears
from models.regions import REGION_NAMES, region_name
from models.rehab_plans import active_plan


def _after_keyword(turn: Turn, words: int = 1) -> str:
    """What follows the keyword: 'JANJI 20/6' -> '20/6'."""
    return " ".join(turn.words[words:]).strip()


# --- CEK -------------------------------------------------------------------------------------------------


def check_arrears(turn: Turn) -> Reply:
    """CEK: the whole family's arrears in one message, and the next step."""
    family = identity.family_for(turn, then="CEK")
    if isinstance(family, Reply):
        return family
    language, rules, today = turn.language, rules_of(turn), family_today(turn, family)
    arrears = family_arrears(turn.session, family, today, rules)
    identity.audit(turn, "view_arrears", family)

    lines = [text("cek.title", language, family=mask_identifier(family.number), date=date_text(today, language))]
    for result in arrears.members:
        first_name = result.member.name.split()[0]
        card = mask_identifier(result.member.card_number)
        if result.months:
            lines.append(text("cek.member", language, name=first_name, card=card, months=result.months,
                              amount=format_rupiah(result.amount)))
        else:
            lines.append(text("cek.member_paid", language, name=first_name, card=card))
    if not arrears.in_arrears:
        lines.append(text("cek.no_arrears", language, dues=format_rupiah(arrears.current_month_dues),
                          due=date_text(arrears.current_month.replace(day=rules.due_day), language)))
        return Reply().say("\n".join(lines))

    lines.append(text("cek.total", language, amount=format_rupiah(arrears.total),
                      months=arrears.months_in_arrears))
    if arrears.months_in_arrears > arrears.counted_months:
        lines.append(text("cek.capped", language, counted=arrears.counted_months))
    if arrears.coverage_active:
        lines.append(text("cek.active", language))
    else:
        assert arrears.suspended_since is not None
        lines.append(text("cek.suspended", language, since=date_text(arrears.suspended_since, language)))
        lines.append(text("cek.reactivate", language, amount=format_rupiah(arrears.reactivation_amount)))
        lines.append(text("cek.penalty", language))
    holder = family.account_holder
    assert holder is not None  # a verified family has the member who verified it
    in_plan = active_plan(turn.session, family) is not None
    eligibility = rehab_eligibility(arrears, holder.segment, today, in_plan, rules)
    next_step = "cek.next_rehab" if eligibility.eligible else "cek.next_pay"
    return Reply().say("\n".join(lines) + "\n\n" + text(next_step, language),
                       (Choice("REHAB", text("menu.rehab", language)), Choice("BAYAR", text("menu.bayar", language)))
                       if eligibility.eligible else (Choice("BAYAR", text("menu.bayar", language)),))


# --- BAYAR -----------------------------------------------------------------------------------------------


def how_to_pay(turn: Turn) -> Reply:
    """BAYAR: the family's virtual account by bank (once verified), the other channels, and autodebit."""
    families = identity.linked_families(turn)
    language = turn.language
    if not families:
        return Reply().say(text("bayar.general", language) + "\n\n" + text("bayar.channels", language))
    family = identity.family_for(turn, then="BAYAR")
    if isinstance(family, Reply):
        return family
    arrears = family_arrears(turn.session, family, family_today(turn, family), rules_of(turn))
    identity.audit(turn, "view_virtual_account", family)
    accounts = arrears.virtual_accounts
    amount = arrears.reactivation_amount or arrears.total or arrears.current_month_dues
    lines = [text("bayar.va", language, bri=accounts.get("BRI", "-"), mandiri=accounts.get("Mandiri", "-")),
             text("bayar.amount", language, amount=format_rupiah(amount)), text("bayar.channels", language)]
    return Reply().say("\n\n".join(lines))


# --- JANJI -----------------------------------------------------------------------------------------------


def promise(turn: Turn) -> Reply:
    """JANJI <date>: a promise to pay by a date; reminders pause until then."""
    family = identity.family_for(turn, then=turn.text if turn.state is None else "JANJI")
    if isinstance(family, Reply):
        return family
    typed = _after_keyword(turn)
    if not typed:
        return Reply(state="promise.date", data={"family_id": family.id}).say(text("janji.ask", turn.language))
    return _record_promise(turn, family, typed)


def step_promise_date(turn: Turn) -> Reply:
    family = turn.session.get(Family, int(turn.data.get("family_id", 0)))
    if family is None:
        return promise(turn)
    return _record_promise(turn, family, turn.text)


def _record_promise(turn: Turn, family: Family, typed: str) -> Reply:
    today, rules, language = family_today(turn, family), rules_of(turn), turn.language
    promised = parse_date(typed, today, future=True)
    keep = Reply(state="promise.date", data={"family_id": family.id})
    if promised is None:
        return keep.say(text("janji.bad_date", language))
    latest = today + timedelta(days=rules.promise_max_days)
    if promised < today:
        return keep.say(text("janji.past", language))
    if promised > latest:
        return keep.say(text("janji.too_far", language, days=rules.promise_max_days,
                             latest=date_text(latest, language)))
    turn.session.add(Promise(family_id=family.id, promised_on=promised, made_at=turn.now, chat_id=turn.chat.id))
    identity.audit(turn, "promise", family, promised.isoformat())
    cadre = _cadre_of(turn, family)
    if cadre is not None:
        head = family.head
        _tell_cadre(turn, cadre, text("janji.to_cadre", "id", family=mask_identifier(family.number),
                                      name=head.name if head else "-", date=date_text(promised, "id")))
    return Reply().say(text("janji.recorded", language, date=date_text(promised, language)))


# --- STOP / MULAI ----------------------------------------------------------------------------------------


def stop_reminders(turn: Turn) -> Reply:
    """STOP / BERHENTI: honoured at once, even in the middle of a flow (which it ends)."""
    if turn.chat.reminders_stopped_at is not None:
        return Reply().say(text("stop.already", turn.language))
    turn.chat.reminders_stopped_at = turn.now
    return Reply().say(text("stop.done", turn.language))


def resume_reminders(turn: Turn) -> Reply:
    """MULAI: reminders on again."""
    turn.chat.reminders_stopped_at = None
    return Reply().say(text("mulai.done", turn.language))


# --- KADER, CEK KADER ------------------------------------------------------------------------------------


def my_cadre(turn: Turn) -> Reply:
    """KADER: who the family's cadre is and how to reach them."""
    family = identity.family_for(turn, then="KADER")
    if isinstance(family, Reply):
        return family
    cadre = _cadre_of(turn, family)
    if cadre is None:
        return Reply().say(text("kader.none", turn.language))
    return Reply().say(text("kader.mine", turn.language, name=cadre.name, code=cadre.code,
                            phone=_local_phone(cadre.phone), area=region_name(cadre.region_code) or cadre.region_code))


def check_cadre(turn: Turn) -> Reply:
    """CEK KADER <code>: is this cadre real and active, so members can spot fake collectors."""
    code = normalise(_after_keyword(turn, 2)).replace(" ", "-")
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


def _cadre_of(turn: Turn, family: Family) -> Cadre | None:
    return turn.session.execute(
        select(Cadre).join(Assignment, Assignment.cadre_id == Cadre.id).where(Assignment.family_id == family.id)
    ).scalar_one_or_none()


def _local_phone(phone: str | None) -> str:
    """+6281234567890 -> 081234567890, as Indonesians dial it."""
    if not phone:
        return "-"
    return "0" + phone[3:] if phone.startswith("+62") else phone


# --- KELUHAN, TIKET --------------------------------------------------------------------------------------


def complaint(turn: Turn) -> Reply:
    """KELUHAN <text> (or the menu's "help from my cadre"): a ticket sent to the family's cadre."""
    family = identity.family_for(turn, then=turn.text if turn.state is None and turn.words else "KELUHAN")
    if isinstance(family, Reply):
        return family
    message = _after_keyword(turn) if turn.incoming.choice is None else ""
    if not message:
        return Reply(state="complaint.text", data={"family_id": family.id}).say(text("keluhan.ask", turn.language))
    return _open_ticket(turn, family, message)


def step_complaint_text(turn: Turn) -> Reply:
    family = turn.session.get(Family, int(turn.data.get("family_id", 0)))
    if family is None or not turn.text:
        return Reply(state="complaint.text", data=dict(turn.data)).say(text("keluhan.ask", turn.language))
    return _open_ticket(turn, family, turn.text)


def _open_ticket(turn: Turn, family: Family, message: str) -> Reply:
    cadre = _cadre_of(turn, family)
    ticket = Ticket(number="", kind="complaint", chat_id=turn.chat.id, family_id=family.id,
                    cadre_id=cadre.id if cadre else None, region_code=family.region_code, text=message[:1000],
                    status="open", created_at=turn.now)
    turn.session.add(ticket)
    turn.session.flush()
    ticket.number = f"K-{ticket.id:06d}"
    identity.audit(turn, "complaint", family, ticket.number)
    if cadre is not None:
        head = family.head
        _tell_cadre(turn, cadre, text("keluhan.to_cadre", "id", number=ticket.number,
                                      family=mask_identifier(family.number),
                                      name=head.name if head else "-", text=message[:500]))
    key = "keluhan.recorded" if cadre else "keluhan.recorded_no_cadre"
    return Reply().say(text(key, turn.language, number=ticket.number, cadre=cadre.name if cadre else ""))


def ticket_status(turn: Turn) -> Reply:
    """TIKET [number]: the status of this chat's tickets."""
    number = normalise(_after_keyword(turn)).replace(" ", "-")
    query = select(Ticket).where(Ticket.chat_id == turn.chat.id).order_by(Ticket.id.desc())
    if number:
        query = query.where(Ticket.number == number)
    tickets = turn.session.execute(query.limit(3)).scalars().all()
    if not tickets:
        return Reply().say(text("tiket.none", turn.language))
    lines = [text(f"tiket.{ticket.status}", turn.language, number=ticket.number,
                  answer=ticket.answer or "") for ticket in tickets]
    return Reply().say("\n".join(lines))


def _tell_cadre(turn: Turn, cadre: Cadre, message: str) -> None:
    """Queue a message to every chat the cadre uses (the sender delivers it on its next tick)."""
    chats = turn.session.execute(select(Chat).where(Chat.cadre_id == cadre.id)).scalars().all()
    for chat in chats:
        outbox.queue(turn.session, channel=chat.channel, address=chat.address, message=Outgoing(message),
                     now=turn.now, chat_id=chat.id, kind="notice")


# --- DAFTAR ----------------------------------------------------------------------------------------------


def how_to_register(turn: Turn) -> Reply:
    """DAFTAR: how to register, and a request for a cadre visit that lands on that area's cadre list."""
    return Reply().say(text("daftar.info", turn.language),
                       (Choice("KUNJUNGAN", text("daftar.visit", turn.language)),))


def request_visit(turn: Turn) -> Reply:
    """KUNJUNGAN (or the DAFTAR button): ask where the person lives."""
    return Reply(state="register.area").say(text("daftar.ask_area", turn.language))


def step_register_area(turn: Turn) -> Reply:
    """Where the person lives: a kabupaten/kota name or its 4-digit code."""
    typed = normalise(turn.text)
    code = next((c for c, name in REGION_NAMES.items()
                 if typed and (typed == c or typed in normalise(name))), None)
    if code is None:
        return Reply(state="register.area").say(text("daftar.unknown_area", turn.language))
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
        _tell_cadre(turn, cadre, text("daftar.to_cadre", "id", number=ticket.number,
                                      phone=_local_phone(turn.chat.phone), area=REGION_NAMES[code]))
    return Reply().say(text("daftar.recorded", turn.language, number=ticket.number, area=REGION_NAMES[code]))

