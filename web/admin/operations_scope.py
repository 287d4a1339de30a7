"""Whose data a dashboard user may see on the operations pages (REHAB, tickets, broadcasts, exports).

An admin sees the whole branch; a supervisor the families and tickets of their team (the cadres whose
`supervisor_code` names them, and themselves); a viewer the figures only, never a name or an identifier.
The rules are SQL conditions, so a list is filtered in the database, not after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select, true
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from models import Assignment, Cadre, Family

Column = ColumnElement[Any] | QueryableAttribute[Any]  # a model's column, or an expression


@dataclass(frozen=True)
class Scope:
    """The cadres whose data may be seen (None: the whole branch), and whether personal data may be."""

    team: frozenset[int] | None = None
    personal: bool = True

    def sees_cadre(self, cadre_id: Column) -> ColumnElement[bool]:
        """SQL: true for rows of a cadre in scope (every row for the whole branch)."""
        if self.team is None:
            return true()
        return cadre_id.in_(sorted(self.team))

    def sees_family(self, family_id: Column) -> ColumnElement[bool]:
        """SQL: true for a family on the list of a cadre in scope (every family for the whole branch)."""
        if self.team is None:
            return true()
        listed = aliased(Assignment)  # its own name: the outer query may join Assignment too
        return exists().where(listed.family_id == family_id, listed.cadre_id.in_(sorted(self.team)))

    def allows(self, cadre_id: int | None) -> bool:
        """Whether one cadre's data (a ticket's, a broadcast's list) is in scope."""
        return self.team is None or (cadre_id is not None and cadre_id in self.team)


BRANCH = Scope()  # an admin
FIGURES_ONLY = Scope(personal=False)  # a viewer


def team_of(session: Session, supervisor_code: str) -> frozenset[int]:
    """The supervisor's team: the cadre with that code and the cadres they supervise (empty when unknown)."""
    supervisor = session.scalar(select(Cadre.id).where(func.upper(Cadre.code) == supervisor_code.strip().upper()))
    if supervisor is None:
        return frozenset()
    team = set(session.scalars(select(Cadre.id).where(Cadre.supervisor_id == supervisor)))
    return frozenset({supervisor, *team})


def supervisor_scope(session: Session, supervisor_code: str) -> Scope:
    """A supervisor's scope: their team, with personal data (masked on lists)."""
    return Scope(team=team_of(session, supervisor_code))


def team_codes(session: Session, scope: Scope) -> list[str]:
    """The codes of the cadres in scope, in order (every active cadre for the whole branch)."""
    query = select(Cadre.code).where(scope.sees_cadre(Cadre.id)).order_by(Cadre.code)
    return list(session.scalars(query))


def family_in_scope(session: Session, scope: Scope, family: Family) -> bool:
    """Whether one family's data may be seen."""
    if scope.team is None:
        return True
    return session.scalar(select(Assignment.cadre_id).where(Assignment.family_id == family.id)) in scope.team
