"""The records of the service (SQLAlchemy 2 ORM) and the pure JKN rules that read them."""

from models.base import Base
from models.conversation import Chat, ChatFamily, InboundMessage, OutboxMessage, VerificationAttempt
from models.fieldwork import (
    AdminUser,
    AuditEntry,
    Consent,
    Promise,
    RehabInstalment,
    RehabPlan,
    Ticket,
    Visit,
)
from models.people import Assignment, Cadre, DuesRate, Family, Member, Payment

__all__ = [
    "AdminUser", "Assignment", "AuditEntry", "Base", "Cadre", "Chat", "ChatFamily", "Consent", "DuesRate",
    "Family", "InboundMessage", "Member", "OutboxMessage", "Payment", "Promise", "RehabInstalment",
    "RehabPlan", "Ticket", "VerificationAttempt", "Visit",
]
