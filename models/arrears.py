"""The arrears engine: what a family owes, REHAB options and schedules, and how a payment is applied.

Pure functions of data and a date (no session, no clock, no I/O), so every rule of domain.md can be checked
with a table of cases. Every threshold lives in `ProgrammeRules` and every rate in a `RateTable`, because
both change by regulation, not by code. Months are `date`s on the 1st of the month.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class ProgrammeRules:
    """Every programme threshold, defaulting to domain.md; a branch may override any of them from JSON."""

    due_day: int = 10  # dues for a month are due by this day of that month
    max_counted_months: int = 24  # reactivation bills at most this many months of arrears
    rehab_min_months: int = 4  # "more than 3 months of arrears"
    rehab_max_months: int = 24
    rehab_min_instalments: int = 2  # one instalment is paying in full, not a plan
    rehab_max_instalments: int = 12
    rehab_tenor_divisor: int = 2  # REHAB 2.0: at most half the months in arrears
    registration_closes_day: int = 28  # last day of the month REHAB registration is open
    registration_closes_day_february: int = 27
    rehab_segments: tuple[str, ...] = ("PBPU", "BP")
    promise_max_days: int = 60  # how far ahead a promise to pay (JANJI) may be dated
    inpatient_penalty_percent: int = 5  # of the INA-CBG cost, per month in arrears
    inpatient_penalty_max_months: int = 12
    inpatient_penalty_cap: int = 30_000_000
    inpatient_penalty_window_days: int = 45  # the penalty applies to inpatient care this soon after reactivation

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "rehab_segments":
                if not all(isinstance(segment, str) for segment in value):
                    raise ValueError("rehab_segments must be a list of segment codes")
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{field.name} must be a whole number >= 0, not {value!r}")
        if not 1 <= self.due_day <= 28:
            raise ValueError("due_day must be 1..28 so that every month has it")
        if self.max_counted_months < 1 or self.rehab_tenor_divisor < 1:
            raise ValueError("max_counted_months and rehab_tenor_divisor must be at least 1")

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any]) -> ProgrammeRules:
        """Defaults with `overrides` applied; an unknown key is an error, so a typo cannot pass silently."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown programme rule(s): {', '.join(unknown)}")
        values = dict(overrides)
        if "rehab_segments" in values:
            segments = values["rehab_segments"]
            if isinstance(segments, str):
                raise ValueError("rehab_segments must be a list of segment codes")
            values["rehab_segments"] = tuple(segments)
        return cls(**values)


DEFAULT_RULES = ProgrammeRules()


def load_rules(path: Path) -> ProgrammeRules:
    """The rules from a JSON object of overrides; the defaults when the file does not exist."""
    if not path.exists():
        return DEFAULT_RULES
    overrides = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(overrides, dict):
        raise ValueError(f"{path}: expected a JSON object of rule overrides")
    return ProgrammeRules.from_mapping(overrides)


# -------------------------------------------------------------------------------------------------- months


def month_of(day: date) -> date:
    """The month `day` falls in, as the 1st of that month."""
    return date(day.year, day.month, 1)


def add_months(month: date, count: int) -> date:
    """The month `count` months after (or before, when negative) `month`."""
    return _month(_index(month) + count)


def months_between(start: date, end: date) -> int:
    """How many months `end` is after `start` (negative when before), ignoring the day: Jan -> Mar is 2."""
    return _index(end) - _index(start)


# Internally a month is an integer (year * 12 + month - 1): the engine's inner loops then avoid building
# dates, which is most of its cost.
def _index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


# The months of 1900..2199 built once: a family's unpaid months are then a slice, not a date per month.
_FIRST_MONTH = 1900 * 12
_MONTHS = tuple(_month(index) for index in range(_FIRST_MONTH, 2200 * 12))


def _months(first: int, last: int) -> list[date]:
    """The months first..last (inclusive), oldest first; empty when last < first."""
    if first > last:
        return []
    if _FIRST_MONTH <= first and last - _FIRST_MONTH < len(_MONTHS):
        return list(_MONTHS[first - _FIRST_MONTH:last - _FIRST_MONTH + 1])
    return [_month(index) for index in range(first, last + 1)]


def _last_due_index(on: date, rules: ProgrammeRules) -> int:
    """The latest month whose due date has passed on `on`: this month after the due day, else the last."""
    current = _index(on)
    return current if on.day > rules.due_day else current - 1


# --------------------------------------------------------------------------------------------------- rates


class NoRateError(LookupError):
    """No dues rate is in force for a class in a month (the rate table does not reach back that far)."""


class RateTable:
    """Monthly dues per person by class, each rate in force from its month until the next one starts."""

    def __init__(self, rows: Iterable[tuple[int, date, int]]) -> None:
        """`rows` are (class, effective_from, amount), e.g. the `dues_rates` table."""
        by_class: dict[int, dict[int, int]] = {}
        for klass, effective_from, amount in rows:
            if effective_from.day != 1:
                raise ValueError(f"a rate takes effect on the 1st of a month, not {effective_from}")
            if amount <= 0:
                raise ValueError(f"a dues rate must be positive, not {amount} (Kelas {klass}, {effective_from})")
            starts = by_class.setdefault(klass, {})
            if _index(effective_from) in starts:
                raise ValueError(f"two rates for Kelas {klass} from {effective_from}")
            starts[_index(effective_from)] = amount
        self._starts = {klass: sorted(starts) for klass, starts in by_class.items()}
        self._amounts = {klass: [by_class[klass][s] for s in self._starts[klass]] for klass in by_class}
        # Memos: arrears on one day ask the same few questions for every family.
        self._cache: dict[tuple[int, int], int] = {}
        self._sums: dict[tuple[int, int, int], int] = {}

    def rate(self, klass: int, month: date) -> int:
        """The rate in force for `klass` in the month of `month`; NoRateError when none is."""
        return self._rate_at(klass, _index(month))

    def _rate_at(self, klass: int, index: int) -> int:
        key = (klass, index)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        starts = self._starts.get(klass)
        if starts is None:
            raise NoRateError(f"no dues rate for Kelas {klass}")
        position = bisect_right(starts, index) - 1
        if position < 0:
            raise NoRateError(f"no dues rate for Kelas {klass} in force in {_month(index):%Y-%m}")
        amount = self._amounts[klass][position]
        self._cache[key] = amount
        return amount

    def _sum_between(self, klass: int, first: int, last: int) -> int:
        """The sum of the rates in force in months first..last (inclusive), one step per rate period."""
        key = (klass, first, last)
        cached = self._sums.get(key)
        if cached is not None:
            return cached
        total = 0
        month = first
        while month <= last:
            amount = self._rate_at(klass, month)
            starts = self._starts[klass]
            position = bisect_right(starts, month)
            period_end = starts[position] - 1 if position < len(starts) else last
            until = min(period_end, last)
            total += amount * (until - month + 1)
            month = until + 1
        self._sums[key] = total
        return total


# ------------------------------------------------------------------------------------------------- arrears


@dataclass(frozen=True, slots=True)
class MemberDues:
    """What the engine needs to know of a member: plain data, so it never touches the database."""

    member_id: int
    card_number: str
    name: str
    klass: int
    segment: str
    relation: str  # head / spouse / child / other
    paid_through: date  # the 1st of the last month whose dues are paid


@dataclass(frozen=True, slots=True)
class MemberArrears:
    member: MemberDues
    unpaid: list[date]  # every month past its due date and not paid, oldest first
    counted: list[date]  # the most recent `max_counted_months` of them: what is billed
    amount: int  # the sum of the rate in force in each counted month, for the member's class

    @property
    def months(self) -> int:
        return len(self.unpaid)


@dataclass(frozen=True, slots=True)
class FamilyArrears:
    """A family's arrears on one day. Arrears are settled for the whole family (one VA), so the family
    is the unit: it is in arrears as long as any member is, and suspended as soon as any member is."""

    on: date
    current_month: date
    members: list[MemberArrears]
    months_in_arrears: int  # the most unpaid months of any member, not capped
    counted_months: int  # min(months_in_arrears, max_counted_months)
    total: int  # the counted arrears of all members
    coverage_active: bool
    suspended_since: date | None  # the 1st of the month after the oldest unpaid month ended unpaid
    current_month_dues: int  # what the whole family owes for the current month at its rates
    reactivation_amount: int  # see arrears_for
    virtual_accounts: dict[str, str]  # bank -> VA number, from the head's card

    @property
    def in_arrears(self) -> bool:
        return self.months_in_arrears > 0


def arrears_for(
    members: Sequence[MemberDues], rates: RateTable, on: date, rules: ProgrammeRules = DEFAULT_RULES
) -> FamilyArrears:
    """The family's arrears on `on`.

    A month is in arrears once its due date has passed (on day `due_day` + 1 of that month). At most the
    `max_counted_months` most recent unpaid months are billed, each at the rate in force in that month.
    Coverage is suspended from the 1st of the month after an unpaid month ended, i.e. as soon as any member
    has an unpaid month before the current one.

    `reactivation_amount` is the bill of domain.md for a suspended family ("the arrears, counted for at most
    24 months, plus the current month"): the counted arrears plus, for each member who has not paid the
    current month, that month's dues unless they are already among the counted months (after the due day
    they are, and are not billed twice). It is 0 while coverage is active: there is nothing to reactivate,
    and the month's dues are `current_month_dues`.
    """
    current = _index(on)
    last_due = _last_due_index(on, rules)
    window_start = last_due - rules.max_counted_months + 1
    results: list[MemberArrears] = []
    months_in_arrears = total = current_dues = reactivation = 0
    oldest_paid_through: int | None = None
    for member in members:
        paid_through = _index(member.paid_through)
        if oldest_paid_through is None or paid_through < oldest_paid_through:
            oldest_paid_through = paid_through
        unpaid = _months(paid_through + 1, last_due)
        first_counted = max(paid_through + 1, window_start)
        if first_counted <= last_due:
            amount = rates._sum_between(member.klass, first_counted, last_due)
            counted = unpaid[first_counted - paid_through - 1:]
        else:
            amount, counted = 0, []
        results.append(MemberArrears(member, unpaid, counted, amount))
        months_in_arrears = max(months_in_arrears, len(unpaid))
        total += amount
        this_month = rates._rate_at(member.klass, current)
        current_dues += this_month
        if paid_through < current and last_due < current:
            reactivation += this_month
    reactivation += total

    # A month left unpaid at its end suspends coverage from the 1st of the next month.
    suspended_since = None
    if oldest_paid_through is not None and oldest_paid_through + 2 <= current:
        suspended_since = _month(oldest_paid_through + 2)
    if suspended_since is None:
        reactivation = 0
    head = next((m for m in members if m.relation == "head"), members[0] if members else None)
    return FamilyArrears(
        on=on,
        current_month=_month(current),
        members=results,
        months_in_arrears=months_in_arrears,
        counted_months=min(months_in_arrears, rules.max_counted_months),
        total=total,
        coverage_active=suspended_since is None,
        suspended_since=suspended_since,
        current_month_dues=current_dues,
        reactivation_amount=reactivation,
        virtual_accounts=virtual_accounts(head.card_number) if head else {},
    )


def virtual_accounts(head_card_number: str) -> dict[str, str]:
    """The family's VA number per bank: a prefix plus the last 11 digits of the head's card number."""
    digits = head_card_number.strip()
    if not digits.isdigit() or len(digits) < 11:
        raise ValueError("a card number has at least 11 digits")
    tail = digits[-11:]
    return {
        "BRI": "88888" + tail,
        "BNI": "88888" + tail,
        "BTN": "88888" + tail,
        "BCA": "88888" + tail,
        "Mandiri": "89888" + tail,
    }


# --------------------------------------------------------------------------------------------------- REHAB


@dataclass(frozen=True, slots=True)
class RehabEligibility:
    eligible: bool
    reason: str | None  # segment / active_plan / too_few_months / too_many_months / registration_closed
    allowed_counts: list[int]  # the instalment counts the family may choose; empty when not eligible


def instalment_counts(months_in_arrears: int, rules: ProgrammeRules = DEFAULT_RULES) -> list[int]:
    """The instalment counts a family with these months of arrears may choose: at least
    `rehab_min_instalments` (one instalment is paying in full), at most `rehab_max_instalments` and at most
    months // `rehab_tenor_divisor` (REHAB 2.0: 10 months -> 2..5)."""
    most = min(rules.rehab_max_instalments, months_in_arrears // rules.rehab_tenor_divisor)
    return list(range(rules.rehab_min_instalments, most + 1))


def registration_open(on: date, rules: ProgrammeRules = DEFAULT_RULES) -> bool:
    """REHAB registration is open up to and including the closing day (an earlier one in February)."""
    closes = rules.registration_closes_day_february if on.month == 2 else rules.registration_closes_day
    return on.day <= closes


def rehab_eligibility(
    arrears: FamilyArrears,
    segment: str,
    on: date,
    has_active_plan: bool,
    rules: ProgrammeRules = DEFAULT_RULES,
) -> RehabEligibility:
    """Whether the family may enrol in REHAB on `on`, and with how many instalments.

    Reasons are checked from the most lasting to the most passing (segment, an active plan, the months,
    then the registration window), so the reason given is the one that still holds next month.
    """
    def refused(reason: str) -> RehabEligibility:
        return RehabEligibility(False, reason, [])

    months = arrears.months_in_arrears
    if segment.upper() not in rules.rehab_segments:
        return refused("segment")
    if has_active_plan:
        return refused("active_plan")
    counts = instalment_counts(months, rules)
    if months < rules.rehab_min_months or not counts:
        return refused("too_few_months")
    if months > rules.rehab_max_months:
        return refused("too_many_months")
    if not registration_open(on, rules):
        return refused("registration_closed")
    return RehabEligibility(True, None, counts)


@dataclass(frozen=True, slots=True)
class Instalment:
    sequence: int  # 1..n
    due_on: date
    arrears_share: int
    current_dues: int  # the dues of the month of due_on
    amount: int  # arrears_share + current_dues


def first_instalment_due(enrolled_on: date, rules: ProgrammeRules = DEFAULT_RULES) -> date:
    """The due day of the enrolment month when enrolling on or before it, else of the next month.

    Each instalment carries the dues of its own month, and the arrears on the enrolment day already include
    the enrolment month once its due day has passed; so this way every month is paid exactly once.
    """
    month = _index(enrolled_on) if enrolled_on.day <= rules.due_day else _index(enrolled_on) + 1
    return _month(month).replace(day=rules.due_day)


def rehab_schedule(
    arrears: FamilyArrears, count: int, enrolled_on: date, rules: ProgrammeRules = DEFAULT_RULES
) -> list[Instalment]:
    """The instalments of a REHAB plan: the arrears total split into `count` whole-rupiah shares, each with
    the family's monthly dues added, due monthly on the due day from `first_instalment_due`.

    Shares are equal and the last one absorbs the rounding (at most count - 1 rupiah more), so they add up
    exactly to the total. The monthly dues are those of `arrears.current_month` (a rate change during the
    plan is not foreseen: the plan is a promise made on the enrolment day).
    """
    allowed = instalment_counts(arrears.months_in_arrears, rules)
    if count not in allowed:
        raise ValueError(f"{count} instalments not allowed for {arrears.months_in_arrears} months: {allowed}")
    share, remainder = divmod(arrears.total, count)
    first = _index(first_instalment_due(enrolled_on, rules))
    dues = arrears.current_month_dues
    schedule = []
    for sequence in range(1, count + 1):
        arrears_share = share + (remainder if sequence == count else 0)
        schedule.append(Instalment(
            sequence=sequence,
            due_on=_month(first + sequence - 1).replace(day=rules.due_day),
            arrears_share=arrears_share,
            current_dues=dues,
            amount=arrears_share + dues,
        ))
    return schedule


# ------------------------------------------------------------------------------------------------ payments


@dataclass(frozen=True, slots=True)
class PaymentApplication:
    paid_through: dict[int, date]  # member_id -> the 1st of the last month now paid
    credit: int  # what was left over: less than the next family-month costs
    months_paid: int  # whole family-months paid by this payment


def apply_payment(
    members: Sequence[MemberDues],
    amount: int,
    credit: int,
    rates: RateTable,
    on: date,
    rules: ProgrammeRules = DEFAULT_RULES,
) -> PaymentApplication:
    """Apply `amount` plus the family's `credit` to whole family-months, oldest billable month first.

    A family-month costs the rates, in force that month, of the members who have not paid it; so members
    who are behind are caught up before anyone pays ahead, and the money may pay ahead into future months.
    What cannot pay a whole family-month stays as credit.

    Months older than the `max_counted_months` billed on `on` are never billed (domain.md: 50 months behind
    is billed 24), so a payment starts at the oldest counted month and the older ones are written off: a
    member's paid_through jumps over them. That happens only when at least one family-month is paid.
    """
    if amount < 0 or credit < 0:
        raise ValueError("a payment and a credit cannot be negative")
    money = amount + credit
    if not members:
        return PaymentApplication({}, money, 0)
    window_start = _last_due_index(on, rules) - rules.max_counted_months + 1
    original = {m.member_id: _index(m.paid_through) for m in members}
    paid = {member_id: max(index, window_start - 1) for member_id, index in original.items()}
    klass = {m.member_id: m.klass for m in members}
    month = min(paid.values()) + 1
    months_paid = 0
    while True:
        owing = [member_id for member_id, index in paid.items() if index < month]
        cost = sum(rates._rate_at(klass[member_id], month) for member_id in owing)
        if cost > money:
            break
        money -= cost
        for member_id in owing:
            paid[member_id] = month
        months_paid += 1
        month += 1
    if months_paid == 0:
        paid = original
    return PaymentApplication({member_id: _month(index) for member_id, index in paid.items()}, money, months_paid)


def inpatient_penalty(
    months_in_arrears: int, inpatient_cost: int, rules: ProgrammeRules = DEFAULT_RULES
) -> int:
    """The denda pelayanan for inpatient care soon after reactivation: 5% of the cost per month in arrears
    (at most 12 months), capped; rounded down to the rupiah."""
    months = min(max(months_in_arrears, 0), rules.inpatient_penalty_max_months)
    penalty = inpatient_cost * rules.inpatient_penalty_percent * months // 100
    return min(penalty, rules.inpatient_penalty_cap)


# ------------------------------------------------------------------------------------------------- display


def format_rupiah(amount: int) -> str:
    """Rupiah as Indonesians write it: Rp1.050.000 (dots between thousands, no decimals)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def mask_identifier(identifier: str) -> str:
    """A card number, NIK or KK number safe for replies and logs (UU PDP): the first 4 and the last 4
    characters, the rest as stars. Anything of 8 characters or fewer is all stars, as showing 4 + 4 would
    show it whole."""
    value = identifier.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
