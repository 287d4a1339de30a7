"""The arrears engine: what a family owes on a day, and how a payment is applied to it.

Pure functions of data and a date (no session, no clock, no I/O), so every rule of the JKN dues can be
checked with a table of cases. Every threshold lives in `ProgrammeRules` and every rate in a `RateTable`,
because both change by regulation, not by code. Months are `date`s on the 1st of the month.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rules.identifiers import virtual_accounts
from rules.months import last_due_index, month_at, month_index, months_from_to
from rules.programme import DEFAULT_RULES, ProgrammeRules

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
            if month_index(effective_from) in starts:
                raise ValueError(f"two rates for Kelas {klass} from {effective_from}")
            starts[month_index(effective_from)] = amount
        self._starts = {klass: sorted(starts) for klass, starts in by_class.items()}
        self._amounts = {klass: [by_class[klass][s] for s in self._starts[klass]] for klass in by_class}
        # Memos: arrears on one day ask the same few questions for every family.
        self._cache: dict[tuple[int, int], int] = {}
        self._sums: dict[tuple[int, int, int], int] = {}

    def rate(self, klass: int, month: date) -> int:
        """The rate in force for `klass` in the month of `month`; NoRateError when none is."""
        return self.rate_at(klass, month_index(month))

    def rate_at(self, klass: int, index: int) -> int:
        """The rate for `klass` in the month with index `index` (year * 12 + month - 1); memoised."""
        key = (klass, index)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        starts = self._starts.get(klass)
        if starts is None:
            raise NoRateError(f"no dues rate for Kelas {klass}")
        position = bisect_right(starts, index) - 1
        if position < 0:
            raise NoRateError(f"no dues rate for Kelas {klass} in force in {month_at(index):%Y-%m}")
        amount = self._amounts[klass][position]
        self._cache[key] = amount
        return amount

    def sum_between(self, klass: int, first: int, last: int) -> int:
        """The sum of the rates in force in months first..last (inclusive), one step per rate period."""
        key = (klass, first, last)
        cached = self._sums.get(key)
        if cached is not None:
            return cached
        total = 0
        month = first
        while month <= last:
            amount = self.rate_at(klass, month)
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
    # The last month billed to the member themselves: None while self-paying (PBPU, BP: every month);
    # for a member who moved to a segment whose dues others pay, the last self-paid month (rules.segments).
    billed_until: date | None = None

    @property
    def moved(self) -> bool:
        """Moved from a self-paying segment: only old arrears, never this month's dues."""
        return self.billed_until is not None


@dataclass(frozen=True, slots=True)
class MemberArrears:
    """One member's unpaid months, those billed, and their amount."""

    member: MemberDues
    unpaid: list[date]  # every month past its due date and not paid, oldest first
    counted: list[date]  # the most recent `max_counted_months` of them: what is billed
    amount: int  # the sum of the rate in force in each counted month, for the member's class

    @property
    def months(self) -> int:
        """How many months are unpaid (billed or not)."""
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
    current_month_dues: int  # what the family's self-paying members owe for the current month at its rates
    reactivation_amount: int  # see arrears_for
    virtual_accounts: dict[str, str]  # bank -> VA number, from the head's card
    pays_own_dues: bool  # some member is self-paying (billed every month); False: every member moved
    next_month: date | None  # the first month not yet due that a self-paying member has not paid
    next_dues: int  # what that month costs the members who have not paid it
    next_due_on: date | None  # its due date

    @property
    def in_arrears(self) -> bool:
        """Whether any month is unpaid past its due date."""
        return self.months_in_arrears > 0

    @property
    def capped(self) -> bool:
        """More months unpaid than are billed (domain.md: 50 months behind is billed 24)."""
        return self.months_in_arrears > self.counted_months

    @property
    def extra_for_reactivation(self) -> int:
        """What reactivating costs beyond the arrears: this month's dues when its due day has not passed."""
        return self.reactivation_amount - self.total if self.reactivation_amount else 0


def arrears_for(
    members: Sequence[MemberDues], rates: RateTable, on: date, rules: ProgrammeRules = DEFAULT_RULES
) -> FamilyArrears:
    """The family's arrears on `on`.

    A month is in arrears once its due date has passed (on day `due_day` + 1 of that month). At most the
    `max_counted_months` most recent unpaid months are billed, each at the rate in force in that month.
    Coverage is suspended from the 1st of the month after an unpaid month ended, i.e. as soon as any member
    has an unpaid month before the current one.

    `reactivation_amount` is the bill of docs/jkn-rules.md for a suspended family ("the arrears, counted for at most
    24 months, plus the current month"): the counted arrears plus, for each member who has not paid the
    current month, that month's dues unless they are already among the counted months (after the due day
    they are, and are not billed twice). It is 0 while coverage is active: there is nothing to reactivate,
    and the month's dues are `current_month_dues`.

    A member who moved to a segment whose dues others pay (`billed_until` set, see rules.segments) owes
    only the months up to `billed_until`, the most recent `max_counted_months` of them billed; they owe no
    dues for the current month, and their old arrears do not suspend the family's coverage.

    `next_month` is the first month whose due date has not passed that a self-paying member has not paid
    (this month before its due day, else the next, or later for a family that paid ahead), with what it costs.
    """
    current = month_index(on)
    last_due = last_due_index(on, rules)
    results: list[MemberArrears] = []
    months_in_arrears = total = current_dues = reactivation = 0
    oldest_paid_through: int | None = None  # of the self-paying members: only their arrears suspend coverage
    self_paying: list[MemberDues] = []
    for member in members:
        paid_through = month_index(member.paid_through)
        # A moved member's arrears end with their last self-paid month; the employer or state pays since.
        last = last_due if member.billed_until is None else min(last_due, month_index(member.billed_until))
        unpaid = months_from_to(paid_through + 1, last)
        first_counted = max(paid_through + 1, last - rules.max_counted_months + 1)
        if first_counted <= last:
            amount = rates.sum_between(member.klass, first_counted, last)
            counted = unpaid[first_counted - paid_through - 1:]
        else:
            amount, counted = 0, []
        results.append(MemberArrears(member, unpaid, counted, amount))
        months_in_arrears = max(months_in_arrears, len(unpaid))
        total += amount
        if member.billed_until is not None:
            continue
        self_paying.append(member)
        if oldest_paid_through is None or paid_through < oldest_paid_through:
            oldest_paid_through = paid_through
        this_month = rates.rate_at(member.klass, current)
        current_dues += this_month
        if paid_through < current and last_due < current:
            reactivation += this_month
    reactivation += total

    # A month left unpaid at its end suspends coverage from the 1st of the next month.
    suspended_since = None
    if oldest_paid_through is not None and oldest_paid_through + 2 <= current:
        suspended_since = month_at(oldest_paid_through + 2)
    if suspended_since is None:
        reactivation = 0
    next_month, next_dues = None, 0
    if oldest_paid_through is not None:
        upcoming = max(last_due + 1, oldest_paid_through + 1)
        next_month = month_at(upcoming)
        next_dues = sum(rates.rate_at(member.klass, upcoming) for member in self_paying
                        if month_index(member.paid_through) < upcoming)
    head = next((m for m in members if m.relation == "head"), members[0] if members else None)
    return FamilyArrears(
        on=on,
        current_month=month_at(current),
        members=results,
        months_in_arrears=months_in_arrears,
        counted_months=min(months_in_arrears, rules.max_counted_months),
        total=total,
        coverage_active=suspended_since is None,
        suspended_since=suspended_since,
        current_month_dues=current_dues,
        reactivation_amount=reactivation,
        virtual_accounts=virtual_accounts(head.card_number) if head else {},
        pays_own_dues=bool(self_paying),
        next_month=next_month,
        next_dues=next_dues,
        next_due_on=next_month.replace(day=rules.due_day) if next_month else None,
    )

# ------------------------------------------------------------------------------------------------ payments


@dataclass(frozen=True, slots=True)
class PaymentApplication:
    """What a payment did: each member's new paid-through month, the credit left, months paid."""

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

    Months older than the `max_counted_months` billed on `on` are never billed (docs/jkn-rules.md: 50 months behind
    is billed 24), so a payment starts at the oldest counted month and the older ones are written off: a
    member's paid_through jumps over them. That happens only when at least one family-month is paid.

    A moved member (`billed_until` set) pays only their old months, up to `billed_until`, never ahead.
    """
    if amount < 0 or credit < 0:
        raise ValueError("a payment and a credit cannot be negative")
    money = amount + credit
    if not members:
        return PaymentApplication({}, money, 0)
    last_due = last_due_index(on, rules)
    original = {m.member_id: month_index(m.paid_through) for m in members}
    # A moved member is billed no month after their last self-paid one; the self-paying may pay ahead.
    until = {m.member_id: month_index(m.billed_until) if m.billed_until else None for m in members}
    paid = {}
    for member_id, index in original.items():
        end = until[member_id]
        last = last_due if end is None else min(last_due, end)
        paid[member_id] = max(index, last - rules.max_counted_months)  # older months are written off
    klass = {m.member_id: m.klass for m in members}

    def may_owe(member_id: int, month: int) -> bool:
        end = until[member_id]
        return paid[member_id] < month and (end is None or month <= end)

    month = min(paid.values()) + 1
    months_paid = 0
    while True:
        owing = [member_id for member_id in paid if may_owe(member_id, month)]
        if not owing:  # only moved members are behind, and not in this month: the next month someone owes
            ahead = [paid[m] + 1 for m in paid if paid[m] + 1 > month and may_owe(m, paid[m] + 1)]
            if not ahead:
                break
            month = min(ahead)
            continue
        cost = sum(rates.rate_at(klass[member_id], month) for member_id in owing)
        if cost > money:
            break
        money -= cost
        for member_id in owing:
            paid[member_id] = month
        months_paid += 1
        month += 1
    if months_paid == 0:
        paid = original
    return PaymentApplication({member_id: month_at(index) for member_id, index in paid.items()}, money, months_paid)


def inpatient_penalty(
    months_in_arrears: int, inpatient_cost: int, rules: ProgrammeRules = DEFAULT_RULES
) -> int:
    """The denda pelayanan for inpatient care soon after reactivation: 5% of the cost per month in arrears
    (at most 12 months), capped; rounded down to the rupiah."""
    months = min(max(months_in_arrears, 0), rules.inpatient_penalty_max_months)
    penalty = inpatient_cost * rules.inpatient_penalty_percent * months // 100
    return min(penalty, rules.inpatient_penalty_cap)


