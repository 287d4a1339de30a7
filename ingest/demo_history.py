"""The demo branch's past: its cadres' visit reports over the last few months, and the payments they collected.

Without a history the dashboard's overview of a freshly loaded demo shows no active cadre and empty charts,
because its figures (models/figures.py) are counted from visit reports. `add_history` writes the reports the
cadres' LAPOR journey would have written (handlers/cadre_records.py: the same fields, result codes, source
keys, promises for JANJI, BAYAR reports reconciled with payments, one audit line each), from a seeded
random.Random, with days relative to the demo's day, so every laptop gets the same past.

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

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.demo_names import CHANNELS
from models.fieldwork import AuditEntry, Promise, Visit
from models.figures import BRANCH_ZONE
from models.people import Assignment, Cadre, Family, Payment
from models.visits import BAYAR, REPORTED, reconcile_family
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

    family: Family
    fixed: bool
    months_behind: int  # by the demo's last due month; 0 or less: paid up
    monthly: int  # the family's dues for one month
    self_paying: bool


def add_history(session: Session, today: date, rates: RateTable, cadres: Iterable[Cadre],
                fixed: Collection[int]) -> int:
    """Write the `cadres`' visit reports from the 1st of the month MONTHS before `today`'s to yesterday (and
    the payments and promises they imply) into `session`; the caller commits. `fixed`: the ids of the
    personas' families. Returns the number of reports."""
    rng = random.Random(SEED)
    this_month = month_of(today)
    last_due = this_month if today.day > DEFAULT_RULES.due_day else add_months(this_month, -1)
    first = add_months(this_month, -MONTHS)
    # The demo's own payments, by (family, month): a BAYAR visit before one is the collection it confirms.
    paid: dict[tuple[int, date], tuple[datetime, int]] = {}
    for family_id, paid_at, amount in session.execute(select(Payment.family_id, Payment.paid_at, Payment.amount)):
        paid[(family_id, month_of(paid_at.astimezone(BRANCH_ZONE).date()))] = (paid_at, amount)
    collected: set[tuple[int, date]] = set()  # (family, month) whose dues a cadre collected
    visits: list[tuple[Visit, Cadre]] = []
    promises: list[tuple[Visit, Promise]] = []
    payments = 0
    for cadre in sorted(cadres, key=lambda cadre: cadre.code):
        zone = zone_for_region(cadre.region_code)
        households = [_household(family, family.id in fixed, last_due, rates) for family in session.scalars(
            select(Family).join(Assignment).where(Assignment.cadre_id == cadre.id).order_by(Family.number))]
        households = [h for h in households if h.self_paying]
        last_seen: dict[int, date] = {}
        waiting: dict[int, date] = {}  # a family that promised to pay is left alone until that day
        day = first
        while day < today:
            if not is_working_day(day, cadre.region_code, DEFAULT_RULES, DEFAULT_RULES.cadre_working_days) \
                    or rng.random() < MISSED_DAY:
                day += timedelta(days=1)
                continue
            quiet = (today - day).days <= FIXED_QUIET_DAYS
            pool = [h for h in households if (day - last_seen.get(h.family.id, date.min)).days
                    >= DEFAULT_RULES.recent_visit_days and waiting.get(h.family.id, day) <= day
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
                visit, promise, pays = _report(rng, cadre, household, moment, last_due, paid, collected)
                last_seen[household.family.id] = day
                visits.append((visit, cadre))
                if promise is not None:
                    promises.append((visit, promise))
                    waiting[household.family.id] = promise.promised_on
                if pays:
                    payments += _pay(session, rng, household, visit, today, payments)
            day += timedelta(days=1)
    session.add_all(visit for visit, _ in visits)
    session.add_all(promise for _, promise in promises)
    session.flush()
    for visit, promise in promises:
        visit.promise_id = promise.id
    for visit, cadre in visits:
        session.add(AuditEntry(at=visit.reported_at, actor=f"cadre:{cadre.code}", action="visit_report",
                               family_id=visit.family_id, detail=f"{visit.number} {visit.result}"))
    for family_id in sorted({visit.family_id for visit, _ in visits if visit.result == BAYAR and visit.family_id}):
        reconcile_family(session, family_id)
    return len(visits)


def _household(family: Family, fixed: bool, last_due: date, rates: RateTable) -> _Household:
    head = family.account_holder or family.members[0]
    monthly = sum(rates.rate(member.class_, last_due) for member in family.members)
    return _Household(family, fixed, months_between(head.paid_through, last_due), monthly,
                      pays_own_dues(head.segment))


def _report(rng: random.Random, cadre: Cadre, household: _Household, moment: datetime, last_due: date,
            paid: dict[tuple[int, date], tuple[datetime, int]],
            collected: set[tuple[int, date]]) -> tuple[Visit, Promise | None, bool]:
    """One visit report as LAPOR files it, the promise a JANJI report makes, and whether the family is yet
    to pay what the report says the cadre collected (no payment of the demo's is there for it)."""
    family, day = household.family, moment.date()
    amount: int | None = None
    promised_on: date | None = None
    key = (family.id, month_of(day))
    earlier = paid.get(key)
    pays = False
    if household.fixed:  # nothing the personas' journeys would show
        result = rng.choice(("EDUKASI", "TIDAKADA"))
    elif household.months_behind <= 0:  # paid up: the cadre collects the month's dues, once a month
        if earlier is None:
            collect = key[1] <= last_due and rng.random() < 0.7
            amount, pays = household.monthly, collect
        else:  # the demo's payment of that month, if it came after the visit
            collect = earlier[0] > moment and rng.random() < 0.7
            amount = earlier[1]
        collect = collect and key not in collected
        result = BAYAR if collect else rng.choice(("EDUKASI", "EDUKASI", "TIDAKADA"))
        if collect:
            collected.add(key)
        else:
            amount, pays = None, False
    else:
        rehab = household.months_behind >= DEFAULT_RULES.rehab_min_months
        result = rng.choices(("JANJI", "TIDAKADA", "EDUKASI", "TOLAK", "REHAB"),
                             weights=(30, 25, 18, 12, 15 if rehab else 0))[0]
        if result == "JANJI":
            promised_on = day + timedelta(days=rng.randint(3, 21))
            if rng.random() < 0.5:
                amount = household.monthly * min(household.months_behind, rng.randint(1, 3))
    note = rng.choice(NOTES[result]) if rng.random() < 0.3 else ""
    head = family.account_holder or family.members[0]
    typed = head.card_number if rng.random() < 0.6 else family.number
    offline = rng.random() < 0.2  # typed in the evening with the visit's time: `LAPOR ... jam 10.30`
    reported = moment.replace(hour=rng.randint(19, 20), minute=rng.randint(0, 59)) if offline else moment
    report = VisitReport(typed, result, amount, promised_on, visited_time=moment.time() if offline else None,
                         note=note)
    visit = Visit(cadre_id=cadre.id, family_id=family.id, household=typed, result=result, amount=amount,
                  promised_on=promised_on, note=note, source_key=content_key(report, f"F{family.id}", day),
                  reported_at=reported.astimezone(UTC), visited_at=moment.astimezone(UTC),
                  via="line" if offline or rng.random() < 0.7 else "guided",
                  status=REPORTED if result == BAYAR else None)
    promise = None
    if promised_on is not None:
        promise = Promise(family_id=family.id, promised_on=promised_on, made_at=visit.reported_at,
                          cadre_id=cadre.id)
    return visit, promise, pays


def _pay(session: Session, rng: random.Random, household: _Household, visit: Visit, today: date,
         made: int) -> int:
    """The family pays what the cadre collected a day or two after the visit (none yet when that is today or
    later: the report waits for the next payments import). Returns how many payments were added."""
    family = household.family
    assert visit.visited_at is not None and visit.amount is not None
    zone = zone_for_region(family.region_code)
    day = visit.visited_at.astimezone(zone).date() + timedelta(days=rng.randint(0, 2))
    if day >= today:
        return 0
    local = datetime.combine(day, time(rng.randint(9, 20), rng.choice((0, 15, 30, 45))), tzinfo=zone)
    paid_at = max(local.astimezone(UTC), visit.visited_at + timedelta(minutes=30))
    session.add(Payment(reference=f"DEMO-H{made:04d}", family_id=family.id, amount=visit.amount, paid_at=paid_at,
                        channel=rng.choice(CHANNELS)))
    return 1
