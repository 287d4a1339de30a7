"""The demo branch's past: its cadres' visit reports over the last few months, and the payments they collected.

Without a history the dashboard's overview of a freshly loaded demo shows no active cadre and empty charts,
because its figures (models/figures.py) are counted from visit reports. `add_history` writes the reports the
cadres' LAPOR journey would have written (handlers/cadre_records.py: the same fields, result codes, source
keys, promises for JANJI, BAYAR reports confirmed by the payment they collected as models.visits.reconcile_family
pairs them, one audit line each), from a seeded random.Random, with days relative to the demo's day, so every
laptop gets the same past. It reads plain rows once and then only writes, so a session that commits on every
read (the tests') never reloads the demo's objects.

Cadres visit families on their own list, 3 to 6 a working day (their region's holidays and weekends off),
and miss some days. The demo's fixed families (the personas') keep what their journeys show: they are never
visited in the last few days, and only with results that leave no promise, plan, invitation or payment behind.
Payments are added only for paid-up families' months the demo has none for, so arrears stay as loaded.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.demo_names import CHANNELS
from models.fieldwork import AuditEntry, Promise, Visit
from models.figures import BRANCH_ZONE
from models.people import Assignment, Cadre, Family, Member, Payment
from models.visits import BAYAR, CONFIRMED, PAID_BEFORE_VISIT, REPORTED
from rules.arrears import RateTable
from rules.calendar import is_working_day
from rules.months import add_months, month_of, months_between
from rules.programme import DEFAULT_RULES
from rules.regions import zone_for_region
from rules.segments import pays_own_dues
from rules.visit_reports import VisitReport, content_key

SEED = 20_250_603
MONTHS = 3  # the history starts on the 1st of the month this many months before the demo's month
MISSED_DAY = 0.12  # a cadre's working day without any visit (ill, training, a family matter)
FIXED_QUIET_DAYS = 3  # the personas' families are not visited in the last days (TUGAS, REKAP, BATAL stay as shown)
NOTES = {
    "TIDAKADA": ("rumah kosong", "sedang kerja ke luar kota", "kata tetangga pulang sore"),
    "TOLAK": ("belum ada uang", "merasa tidak perlu", "minta datang bulan depan"),
    "EDUKASI": ("jelaskan Mobile JKN", "jelaskan cara bayar lewat VA", "jelaskan denda layanan"),
    "JANJI": ("tunggu gajian", "setelah panen", "tunggu kiriman anak"),
    "REHAB": ("minta dihubungi lewat WA", "tertarik cicilan"),
    "BAYAR": ("titip lewat kader",),
}


@dataclass
class _Household:
    """What choosing a result needs to know about one family on a cadre's list."""

    family_id: int
    number: str  # the KK number
    card_number: str  # the account holder's card
    region_code: str
    fixed: bool
    months_behind: int  # by the demo's last due month; 0 or less: paid up
    monthly: int  # the family's dues for one month


@dataclass(frozen=True)
class _Cadre:
    """A demo cadre, read before the session may expire its objects."""

    id: int
    code: str
    region_code: str


@dataclass(frozen=True)
class _Paid:
    """A payment of the family's: the demo's own (with its id), or one the history adds."""

    paid_at: datetime
    amount: int
    id: int | None = None


def add_history(session: Session, today: date, rates: RateTable, cadres: Iterable[Cadre],
                fixed: Collection[int]) -> int:
    """Write the `cadres`' visit reports from the 1st of the month MONTHS before `today`'s to yesterday (and
    the payments and promises they imply) into `session`; the caller commits. `fixed`: the ids of the
    personas' families. Returns the number of reports."""
    rng = random.Random(SEED)
    this_month = month_of(today)
    last_due = this_month if today.day > DEFAULT_RULES.due_day else add_months(this_month, -1)
    first = add_months(this_month, -MONTHS)
    team = sorted((_Cadre(cadre.id, cadre.code, cadre.region_code) for cadre in cadres), key=lambda c: c.code)
    session.flush()
    lists = _households(session, [cadre.id for cadre in team], set(fixed), last_due, rates)
    # The demo's own payments, by (family, month): a BAYAR visit before one is the collection it confirms.
    paid: dict[tuple[int, date], _Paid] = {}
    for payment_id, family_id, paid_at, amount in session.execute(
            select(Payment.id, Payment.family_id, Payment.paid_at, Payment.amount).order_by(Payment.id)):
        paid[(family_id, month_of(paid_at.astimezone(BRANCH_ZONE).date()))] = _Paid(paid_at, amount, payment_id)
    collected: set[tuple[int, date]] = set()  # (family, month) whose dues a cadre collected
    visits: list[tuple[Visit, _Cadre]] = []
    promises: list[tuple[Visit, Promise]] = []
    payments: list[tuple[Visit, Payment]] = []
    for cadre in team:
        zone = zone_for_region(cadre.region_code)
        households = lists.get(cadre.id, [])
        last_seen: dict[int, date] = {}
        waiting: dict[int, date] = {}  # a family that promised to pay is left alone until that day
        day = first
        while day < today:
            if not is_working_day(day, cadre.region_code, DEFAULT_RULES, DEFAULT_RULES.cadre_working_days) \
                    or rng.random() < MISSED_DAY:
                day += timedelta(days=1)
                continue
            quiet = (today - day).days <= FIXED_QUIET_DAYS
            pool = [h for h in households if (day - last_seen.get(h.family_id, date.min)).days
                    >= DEFAULT_RULES.recent_visit_days and waiting.get(h.family_id, day) <= day
                    and not (h.fixed and quiet)]
            weights = [0.5 if h.fixed else 3.0 if h.months_behind > 0 else 1.0 for h in pool]
            chosen: list[_Household] = []
            for _ in range(min(rng.randint(3, 6), len(pool))):
                pick = rng.choices(range(len(pool)), weights)[0]
                chosen.append(pool.pop(pick))
                weights.pop(pick)
            moment = datetime.combine(day, time(8, rng.choice((0, 15, 30, 45))), tzinfo=zone)
            for household in chosen:
                moment += timedelta(minutes=rng.randint(25, 75))
                visit, promise, payment = _report(rng, cadre, household, moment, today, last_due, paid, collected)
                last_seen[household.family_id] = day
                visits.append((visit, cadre))
                if promise is not None:
                    promises.append((visit, promise))
                    waiting[household.family_id] = promise.promised_on
                if isinstance(payment, Payment):
                    payment.reference = f"DEMO-H{len(payments):04d}"
                    payments.append((visit, payment))
                elif payment is not None:
                    visit.status, visit.payment_id = CONFIRMED, payment.id
            day += timedelta(days=1)
    session.add_all(row for _, row in promises)
    session.add_all(row for _, row in payments)
    session.flush()
    for visit, promise in promises:
        visit.promise_id = promise.id
    for visit, payment in payments:
        visit.status, visit.payment_id = CONFIRMED, payment.id
    session.add_all(visit for visit, _ in visits)
    session.flush()
    session.add_all(AuditEntry(at=visit.reported_at, actor=f"cadre:{cadre.code}", action="visit_report",
                               family_id=visit.family_id, detail=f"{visit.number} {visit.result}")
                    for visit, cadre in visits)
    session.flush()
    return len(visits)


def _households(session: Session, cadre_ids: list[int], fixed: set[int], last_due: date,
                rates: RateTable) -> dict[int, list[_Household]]:
    """Each cadre's self-paying families, in KK number order, read as plain rows in one query."""
    rows = session.execute(
        select(Assignment.cadre_id, Family.id, Family.number, Family.region_code, Member.relation,
               Member.card_number, Member.paid_through, Member.segment, Member.class_)
        .join(Family, Family.id == Assignment.family_id).join(Member, Member.family_id == Family.id)
        .where(Assignment.cadre_id.in_(cadre_ids)).order_by(Family.number, Member.id)).all()
    members: dict[int, list[Any]] = {}
    for row in rows:
        members.setdefault(row.id, []).append(row)
    lists: dict[int, list[_Household]] = {}
    for family_id, people in members.items():
        holder = next((person for person in people if person.relation == "head"), people[0])
        monthly = sum(rates.rate(person.class_, last_due) for person in people)
        if not pays_own_dues(holder.segment):  # employers and the state pay: nothing for a cadre to do
            continue
        lists.setdefault(holder.cadre_id, []).append(_Household(
            family_id, holder.number, holder.card_number, holder.region_code, family_id in fixed,
            months_between(holder.paid_through, last_due), monthly))
    return lists


def _report(rng: random.Random, cadre: _Cadre, household: _Household, moment: datetime, today: date,
            last_due: date, paid: dict[tuple[int, date], _Paid],
            collected: set[tuple[int, date]]) -> tuple[Visit, Promise | None, Payment | _Paid | None]:
    """One visit report as LAPOR files it, the promise a JANJI report makes, and the payment that confirms a
    BAYAR report: the demo's own of that month, or a new one a day or two later (none when that is not
    before today: the report waits for the next payments import)."""
    day = moment.date()
    amount: int | None = None
    promised_on: date | None = None
    payment: Payment | _Paid | None = None
    key = (household.family_id, month_of(day))
    earlier = paid.get(key)
    if household.fixed:  # nothing the personas' journeys would show
        result = rng.choice(("EDUKASI", "TIDAKADA"))
    elif household.months_behind <= 0:  # paid up: the cadre collects the month's dues, once a month
        if earlier is None:
            collect = key[1] <= last_due and rng.random() < 0.7
        else:  # the demo's payment of that month, if it came after the visit
            collect = earlier.paid_at > moment - PAID_BEFORE_VISIT and rng.random() < 0.7
        collect = collect and key not in collected
        result = BAYAR if collect else rng.choice(("EDUKASI", "EDUKASI", "TIDAKADA"))
        if collect:
            collected.add(key)
            amount = household.monthly if earlier is None else earlier.amount
            payment = _payment(rng, household, moment, amount, today) if earlier is None else earlier
    else:
        rehab = household.months_behind >= DEFAULT_RULES.rehab_min_months
        result = rng.choices(("JANJI", "TIDAKADA", "EDUKASI", "TOLAK", "REHAB"),
                             weights=(30, 25, 18, 12, 15 if rehab else 0))[0]
        if result == "JANJI":
            promised_on = day + timedelta(days=rng.randint(3, 21))
            if rng.random() < 0.5:
                amount = household.monthly * min(household.months_behind, rng.randint(1, 3))
    note = rng.choice(NOTES[result]) if rng.random() < 0.3 else ""
    typed = household.card_number if rng.random() < 0.6 else household.number
    offline = rng.random() < 0.2  # typed in the evening with the visit's time: `LAPOR ... jam 10.30`
    reported = moment.replace(hour=rng.randint(19, 20), minute=rng.randint(0, 59)) if offline else moment
    report = VisitReport(typed, result, amount, promised_on, visited_time=moment.time() if offline else None,
                         note=note)
    visit = Visit(cadre_id=cadre.id, family_id=household.family_id, household=typed, result=result,
                  amount=amount, promised_on=promised_on, note=note,
                  source_key=content_key(report, f"F{household.family_id}", day),
                  reported_at=reported.astimezone(UTC), visited_at=moment.astimezone(UTC),
                  via="line" if offline or rng.random() < 0.7 else "guided",
                  status=REPORTED if result == BAYAR else None)
    promise = None
    if promised_on is not None:
        promise = Promise(family_id=household.family_id, promised_on=promised_on, made_at=visit.reported_at,
                          cadre_id=cadre.id)
    return visit, promise, payment


def _payment(rng: random.Random, household: _Household, visit: datetime, amount: int, today: date) -> Payment | None:
    """What the cadre collected, paid in by the family's VA a day or two after the visit (None when that would
    be today or later)."""
    zone = zone_for_region(household.region_code)
    day = visit.astimezone(zone).date() + timedelta(days=rng.randint(0, 2))
    if day >= today:
        return None
    local = datetime.combine(day, time(rng.randint(9, 20), rng.choice((0, 15, 30, 45))), tzinfo=zone)
    paid_at = max(local.astimezone(UTC), visit.astimezone(UTC) + timedelta(minutes=30))
    return Payment(reference="", family_id=household.family_id, amount=amount, paid_at=paid_at,
                   channel=rng.choice(CHANNELS))
