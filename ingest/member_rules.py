"""The members file's rules as set-based SQL over its staged lines: which lines are rejected and why, then the
writes (families, demoted heads, members) for the lines that pass.

Every line of the file is a row of `member_rows` (a TEMP table). A decision marks rejected lines with a
`reason` (a key of members.MESSAGES) and its `detail`; the lines still without a reason are written. Lines go
in two passes, as a family's head decides for the family: first each family's head line, then the others,
which can only join a family that has its head in the database by then. Within a pass every rule reads the
database as it was when the pass began, so the outcome does not depend on how the file is cut into chunks.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Date,
    Integer,
    String,
    Table,
    Text,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    not_,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import Column as C
from sqlalchemy.dialects import postgresql, sqlite

from ingest.staging import temporary
from models.people import Family, Member

ROWS = temporary(
    "member_rows",
    C("line", Integer, primary_key=True, autoincrement=False),  # as a spreadsheet numbers it
    C("card", String(13)),  # NULL when the card number is not 13 digits (so is every other field below)
    C("family", String(16)),
    C("problems", Text),  # the line's field problems, "; "-joined; NULL when every field is right
    C("nik", String(16)),
    C("name", String(120)),
    C("birth_date", Date),
    C("relationship", String(8)),  # head / spouse / child / other, as members name it
    C("segment", String(4)),
    C("class_", Integer),
    C("phone", String(20)),
    C("region_code", String(4)),
    C("paid_through", Date),
    C("own_dues_until", Date),  # what rules/segments.py records for a new member of the line's segment
    C("head_line", Boolean, nullable=False),  # its family's first head line (chosen while reading the file)
    # decided here
    C("reason", String(16)),  # why the line is rejected; NULL: written
    C("detail", Text),  # the reason's particular: a card number, a family number, a line
    C("later", String(16)),  # a reason that yields to `nik_repeated` (see `claim_niks`)
    C("later_detail", Text),
    C("demoted", Boolean, nullable=False, server_default=false()),  # the member loses the head role now
)
LOADED = [column.name for column in ROWS.columns][:15]  # the columns the file fills

HEAD_LINES = temporary("member_head_lines", C("family", String(16), primary_key=True), C("line", Integer))
REPEATED_NIKS = temporary("member_repeated_niks", C("nik", String(16), primary_key=True))
NIK_CLAIMS = temporary("member_nik_claims", C("nik", String(16), primary_key=True), C("line", Integer))
TABLES = (ROWS, HEAD_LINES, REPEATED_NIKS, NIK_CLAIMS)

MEMBERS = cast(Table, Member.__table__)
FAMILIES = cast(Table, Family.__table__)
S, M, F = ROWS.c, MEMBERS.c, FAMILIES.c
FIELDS = ("nik", "name", "birth_date", "relationship", "segment", "class_", "phone", "region_code", "paid_through")


def reject(connection: Connection, reason: str, where: list[ColumnElement[bool]], detail: Any = None,
           *, later: bool = False) -> None:
    """Give the matching lines still without a reason this one (or a `later` one, see `claim_niks`)."""
    values = {"later": reason, "later_detail": detail} if later else {"reason": reason, "detail": detail}
    pending = S.later.is_(None) if later else S.reason.is_(None)
    connection.execute(update(ROWS).where(pending, *where).values(**values))


def file_rules(connection: Connection) -> None:
    """What the file alone decides: repeated cards, bad fields, second heads (one scan of the lines)."""
    # After loading, not before: one sort instead of a million index insertions.
    connection.execute(text(f"CREATE INDEX {ROWS.name}_card ON {ROWS.name} (card)"))
    connection.execute(insert(HEAD_LINES).from_select(["family", "line"],
                                                      select(S.family, S.line).where(S.head_line)))
    # Which of two lines with one card is right, only the supervisor knows: both are rejected.
    repeated = S.card.in_(select(S.card).where(S.card.is_not(None)).group_by(S.card).having(func.count() > 1))
    second_head = and_(S.relationship == "head", not_(S.head_line))
    connection.execute(update(ROWS).where(or_(repeated, S.problems.is_not(None), second_head)).values(
        reason=case((repeated, "repeated"), (S.problems.is_not(None), "problems"), else_="second_head")))
    connection.execute(insert(REPEATED_NIKS).from_select(
        ["nik"], select(S.nik).where(S.reason.is_(None)).group_by(S.nik).having(func.count() > 1)))


def in_pass(heads: bool) -> ColumnElement[bool]:
    """The lines a pass decides: its family's head line (first pass) or any other (second), not yet rejected."""
    return and_(S.head_line if heads else not_(S.head_line), S.reason.is_(None))


def database_rules(connection: Connection, heads: bool) -> None:
    """The rules that read the database (as it is when the pass begins), in the order they apply to a line."""
    this_pass = in_pass(heads)
    reject(connection, "nik_owned", [this_pass, M.nik == S.nik, M.card_number != S.card], M.card_number)
    current_head = MEMBERS.alias("current_head")
    old_family = FAMILIES.alias("old_family")
    if heads:
        # A family that has a head keeps it unless this file lists that member too (with their new role).
        # NOT EXISTS over the card index, not NOT IN: PostgreSQL hashes a NOT IN list only while it fits in
        # work_mem, and with a million cards it would scan the list once per line.
        listed = exists().where(ROWS.alias("listed").c.card == current_head.c.card_number)
        reject(connection, "head_exists", [
            this_pass, F.number == S.family, current_head.c.family_id == F.id, current_head.c.relationship == "head",
            current_head.c.card_number != S.card, not_(listed)], current_head.c.card_number, later=True)
        # A head may move to another family only when this file gives their old family a new head.
        moving = [old_family.c.number != S.family,
                  not_(exists().where(HEAD_LINES.c.family == old_family.c.number))]
    else:
        has_head = (select(current_head.c.id).join(FAMILIES, F.id == current_head.c.family_id)
                    .where(F.number == S.family, current_head.c.relationship == "head").correlate(ROWS).exists())
        reject(connection, "headless", [this_pass, not_(has_head)], later=True)
        # By now a head this file replaced was demoted, so a member still a head is one nobody replaces.
        moving = []
    reject(connection, "keeps_head", [this_pass, M.card_number == S.card, M.relationship == "head",
                                      old_family.c.id == M.family_id, *moving], old_family.c.number, later=True)
    claim_niks(connection, this_pass)
    connection.execute(update(ROWS).where(this_pass, S.later.is_not(None))
                       .values(reason=S.later, detail=S.later_detail))


def claim_niks(connection: Connection, this_pass: ColumnElement[bool]) -> None:
    """One NIK per card: of the lines of a pass that would be written with one NIK, the first takes it and the
    others are rejected, even those with a `later` reason of their own (that was the rule's order in code that
    went line by line); a line before the first keeps its own reason."""
    connection.execute(delete(NIK_CLAIMS))
    connection.execute(insert(NIK_CLAIMS).from_select(["nik", "line"], select(S.nik, func.min(S.line)).where(
        this_pass, S.later.is_(None), S.nik.in_(select(REPEATED_NIKS.c.nik))).group_by(S.nik)))
    claim = NIK_CLAIMS.c
    connection.execute(update(ROWS).where(this_pass, claim.nik == S.nik, claim.line < S.line)
                       .values(reason="nik_repeated", detail=claim.line))


def mark_demoted(connection: Connection) -> None:
    """The current heads of families whose new head is another member (counted as updated below)."""
    head_row = ROWS.alias("head_row")
    demoted = (select(M.card_number).join(FAMILIES, F.id == M.family_id)
               .join(head_row, head_row.c.family == F.number)
               .where(head_row.c.head_line, head_row.c.reason.is_(None), M.relationship == "head",
                      M.card_number != head_row.c.card))
    connection.execute(update(ROWS).where(S.card.in_(demoted)).values(demoted=True))


def kept_own_dues(member: Any, line: Any) -> ColumnElement[Any]:
    """own_dues_until after the line (rules/segments.own_dues_until_on_import): none for a self-paying segment
    (the line's is NULL), else the month already known, else the line's."""
    return case((line["own_dues_until"].is_(None), null()),
                else_=func.coalesce(member["own_dues_until"], line["own_dues_until"]))


def changed(member: Any, line: Any, with_phone: bool) -> ColumnElement[bool]:
    """The member's stored fields (`member[name]`) differ from the line's (`line[name]`), a paid_through only
    when the line's is later: a member file never undoes a payment recorded since it was exported."""
    names = ["family_id", *(name for name in FIELDS if name != "paid_through" and (with_phone or name != "phone"))]
    return or_(line["paid_through"] > member["paid_through"],
               member["own_dues_until"].is_distinct_from(kept_own_dues(member, line)),
               *(member[name].is_distinct_from(line[name]) for name in names))


def counts(connection: Connection, heads: bool, with_phone: bool) -> tuple[int, int, int]:
    """(inserted, updated, unchanged) the pass's writes will make."""
    is_new = M.id.is_(None)
    line = {**{name: S[name] for name in (*FIELDS, "own_dues_until")}, "family_id": F.id}
    is_update = and_(not_(is_new), or_(S.demoted, changed(M, line, with_phone)))
    inserted, updated, total = connection.execute(
        select(func.coalesce(func.sum(case((is_new, 1), else_=0)), 0),
               func.coalesce(func.sum(case((is_update, 1), else_=0)), 0), func.count())
        .select_from(ROWS.outerjoin(MEMBERS, M.card_number == S.card)
                     .outerjoin(FAMILIES, F.number == S.family))
        .where(in_pass(heads))).one()
    return inserted, updated, total - inserted - updated


def write(connection: Connection, heads: bool, first: int, last: int, with_phone: bool) -> None:
    """Write the lines first..last of a pass that have no reason: families, demotions, then members."""
    lines = and_(in_pass(heads), S.line.between(first, last))
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    if heads:
        # A family's region is its head's.
        connection.execute(dialect.insert(FAMILIES).from_select(
            ["number", "region_code", "credit"],
            select(S.family, S.region_code, literal(0)).where(lines).order_by(S.line))
            .on_conflict_do_nothing(index_elements=["number"]))
        connection.execute(update(FAMILIES).where(lines, F.number == S.family,
                                                          F.region_code != S.region_code)
                           .values(region_code=S.region_code))
        # The old head steps down first; if they are in this file, their own line says what they become.
        connection.execute(update(MEMBERS).where(
            lines, F.number == S.family, M.family_id == F.id, M.relationship == "head", M.card_number != S.card)
            .values(relationship="other"))
    fields = [name for name in FIELDS if with_phone or name != "phone"]
    upsert = dialect.insert(MEMBERS).from_select(
        ["card_number", "family_id", "own_dues_until", *fields],
        select(S.card, F.id, S.own_dues_until, *(S[name] for name in fields))
        .join(FAMILIES, F.number == S.family).where(lines).order_by(S.line))
    new = upsert.excluded
    # Member ids follow the file's order (heads first), as a family's members are listed in id order.
    connection.execute(upsert.on_conflict_do_update(
        index_elements=["card_number"],
        set_={"family_id": new.family_id, **{name: new[name] for name in fields},
              "paid_through": case((new.paid_through > M.paid_through, new.paid_through), else_=M.paid_through),
              "own_dues_until": kept_own_dues(M, new)},
        where=changed(M, new, with_phone)))
